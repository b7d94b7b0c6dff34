"""The office's routine around the monthly report: send the templates, chase who is missing, start next year."""

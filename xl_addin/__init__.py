"""xl_addin: DDCI plan tracking from a master Excel workbook.

The package is a pure core (plan model, indicator changes, validation rules,
consolidation) with I/O at the edges (workbook readers and writers, the SQLite
archive, the Word renderer) and two thin front ends: ``cli`` and ``buttons``.
"""

__version__ = "0.1.0"

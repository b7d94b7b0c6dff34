"""The words that cross stages, spelled once.

Every value here is also what users see in JSON and in the findings workbook
(``"error"``, ``"percent-range"``, ``"phat-huy"``…), so these are ``StrEnum``s: a member
*is* its string, compares equal to it and serialises as it, while code names it
(``Rule.PERCENT_RANGE``) and a typo fails at import instead of silently never matching.
Each enum carries its Vietnamese label, so no other module keeps a label table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Category", "Finding", "Group", "ReportKind", "Rule", "Severity", "UnitState"]


class Severity(StrEnum):
    """How bad a finding is: an error keeps the file out of the consolidation, a warning does not."""

    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return {"error": "Lỗi", "warning": "Cảnh báo"}[self.value]


class Rule(StrEnum):
    """Every rule a finding can name (the README's findings table lists them by group)."""

    # The file itself (intake.safety and the readers).
    LOCK_FILE = "lock-file"
    NOT_A_FILE = "not-a-file"
    EMPTY_FILE = "empty-file"
    STILL_COPYING = "still-copying"
    PASSWORD_PROTECTED = "password-protected"
    ZIP_BOMB = "zip-bomb"
    CORRUPT_ZIP = "corrupt-zip"
    NOT_EXCEL = "not-excel"
    XML_DTD = "xml-dtd"
    UNREADABLE = "unreadable"
    TOO_LARGE = "too-large"
    MACRO_ENABLED = "macro-enabled"
    LEGACY_XLS = "legacy-xls"
    # Whose report it is.
    IDENTITY_MISSING = "identity-missing"
    IDENTITY_TAMPERED = "identity-tampered"
    UNKNOWN_UNIT = "unknown-unit"
    WRONG_PERIOD = "wrong-period"
    SHEET_MISSING = "sheet-missing"
    TEMPLATE_VERSION = "template-version"
    PLAN_CHANGED = "plan-changed"
    # The task rows.
    ROW_DELETED = "row-deleted"
    ROW_INSERTED = "row-inserted"
    ROWS_REORDERED = "rows-reordered"
    ROW_EDITED = "row-edited"
    HEADER_MISSING = "header-missing"
    # The values typed.
    STATUS_INVALID = "status-invalid"
    PERCENT_INVALID = "percent-invalid"
    PERCENT_RANGE = "percent-range"
    DONE_NOT_100 = "done-not-100"
    DONE_NO_RESULT = "done-no-result"
    DATE_FUTURE = "date-future"
    DATE_BEFORE_PLAN = "date-before-plan"
    DATE_INVALID = "date-invalid"
    FORMULA_ERROR = "formula-error"
    PERCENT_TEXT = "percent-text"
    PERCENT_FRACTION = "percent-fraction"
    STATUS_CASE = "status-case"
    STATUS_EMPTY = "status-empty"
    NOT_REPORTED = "not-reported"
    DATE_NUMBER = "date-number"
    LEGACY_ENCODING = "legacy-encoding"
    CELL_TOO_LONG = "cell-too-long"
    JUNK_ROWS = "junk-rows"
    # The period: who sent what, when.
    MISSING = "missing"
    LATE = "late"
    DUPLICATE = "duplicate"
    EMPTY_REPORT = "empty-report"
    # Against the previous period.
    PERCENT_DROPPED = "percent-dropped"
    TASK_REOPENED = "task-reopened"


class UnitState(StrEnum):
    """Where a unit stands in a period."""

    ON_TIME = "on-time"
    LATE = "late"
    MISSING = "missing"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return {"on-time": "Đúng hạn", "late": "Nộp muộn", "missing": "Chưa nộp", "rejected": "Có lỗi"}[self.value]


class Group(StrEnum):
    """The two groups of the plan's section III: indicators to keep up, and to fix."""

    KEEP_UP = "phat-huy"
    FIX = "khac-phuc"

    @property
    def label(self) -> str:
        return {"phat-huy": "Phát huy", "khac-phuc": "Khắc phục"}[self.value]


class ReportKind(StrEnum):
    """The two documents: the yearly Kế hoạch and the periodic Báo cáo."""

    PLAN = "ke-hoach"
    REPORT = "bao-cao"

    @property
    def label(self) -> str:
        return {"ke-hoach": "Kế hoạch", "bao-cao": "Báo cáo"}[self.value]

    @property
    def abbreviation(self) -> str:
        """In the document number: ``Số: 05/BC-STNMT``."""
        return {"ke-hoach": "KH", "bao-cao": "BC"}[self.value]

    @property
    def template(self) -> str:
        """The Word template's file name."""
        return {"ke-hoach": "ke_hoach.docx", "bao-cao": "bao_cao.docx"}[self.value]

    @property
    def sections(self) -> tuple[str, ...]:
        """The document's mục, by Roman numeral (the office's own paragraphs name one)."""
        return {"ke-hoach": ("I", "II", "III", "IV"), "bao-cao": ("I", "II", "III", "IV", "V")}[self.value]


class Category(StrEnum):
    """A task's state in a period, from its lead units' statuses."""

    DONE = "done"
    IN_PROGRESS = "in-progress"
    NOT_STARTED = "not-started"
    NO_REPORT = "no-report"

    @property
    def label(self) -> str:
        return {
            "done": "Hoàn thành",
            "in-progress": "Đang triển khai",
            "not-started": "Chưa triển khai",
            "no-report": "Chưa có báo cáo",
        }[self.value]


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, how bad, which rule, and a Vietnamese message saying how to fix it."""

    file: str
    unit: str
    sheet: str
    cell: str
    severity: Severity
    rule: Rule
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "unit": self.unit,
            "sheet": self.sheet,
            "cell": self.cell,
            "severity": str(self.severity),
            "rule": str(self.rule),
            "message": self.message,
        }

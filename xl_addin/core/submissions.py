"""What intake hands to validation, and what validation hands on: plain records, no I/O.

``InboxFile`` and ``SheetSubmission`` are what reading a file produced; ``ReportRow``,
``UnitStatus`` and ``ValidationResult`` what the rules made of them. Consolidation, the
archive, the writers and the documents all read these, so they live in the core rather
than in the module that reads files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from xl_addin.core.cells import cell_ref
from xl_addin.core.contracts import Finding, Severity, UnitState
from xl_addin.core.model import Period


class RawRow(NamedTuple):
    """One task row as typed (str values NFC), with its 0-based sheet row.

    A NamedTuple rather than a frozen dataclass: one is made per task row of every file,
    and a tuple is built in half the time.
    """

    row: int
    values: dict[str, Any]


@dataclass
class SheetSubmission:
    """One division's report: a progress sheet and the identity it carries."""

    file: Path
    file_label: str
    sheet: str
    unit: str
    period: str
    version: str
    fingerprint: str
    identity_rows: str
    header_row: int = -1
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    reporter: str = ""
    phone: str = ""
    error_cells: dict[str, str] = field(default_factory=dict)
    junk_rows: int = 0

    def cell(self, row: int, column: str) -> str:
        return cell_ref(row, self.columns[column]) if column in self.columns else ""


@dataclass
class InboxFile:
    """A file found in the inbox, with what reading it produced."""

    path: Path
    label: str  # path relative to the inbox, for messages
    size: int
    modified: dt.datetime
    sha256: str = ""
    kind: str = ""
    sheets: list[SheetSubmission] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set by a ``check`` run where the file was read (``intake.sheet_rules.SheetRules``): one check per
    # sheet, and the key of the rules that made them; the raw rows are then released.
    checks: list[Any] = field(default_factory=list)
    checked_by: str = ""


class ReportRow(NamedTuple):
    """A task row that passed validation, traceable to its file, sheet and row.

    A NamedTuple rather than a frozen dataclass: one is made per task row of every file
    and, from a reading process, pickled and unpickled once more; a tuple does each in
    half to two thirds of the time.
    """

    unit: str
    period: str
    task_code: str
    role: str
    status: str
    percent: float | None
    result: str
    difficulty: str
    proposal: str
    done_date: dt.date | None
    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    has_warning: bool


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    name: str
    state: UnitState
    file: str
    received: dt.datetime | None
    errors: int
    warnings: int
    reporter: str = ""
    phone: str = ""


@dataclass
class ValidationResult:
    period: Period
    findings: list[Finding]
    rows: list[ReportRow]
    units: list[UnitStatus]
    accepted: list[tuple[InboxFile, SheetSubmission]] = field(default_factory=list)
    files: list[InboxFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.WARNING]

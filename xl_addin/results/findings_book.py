"""The findings workbook (``bao_cao/kiem_tra_<kỳ>.xlsx``): every problem found, one filterable Excel Table.

Errors red, warnings yellow; the clerk sorts and filters it, and works through it
with the units. The same columns as ``ddci validate --json``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.contracts import Severity
from xl_addin.core.vnformat import nfc
from xl_addin.files.atomic import atomic_write
from xl_addin.files.xlsx_style import (
    ERROR_FILL,
    ERROR_FONT,
    GRID,
    WARNING_FILL,
    WARNING_FONT,
    WRAP_TOP,
    a4,
    add_table,
    header_row,
    put,
    row_height,
    title_rows,
)

__all__ = ["FINDING_COLUMNS", "FINDING_KEYS", "severity_label", "write_findings"]

FINDING_COLUMNS = ("Tệp", "Đơn vị", "Trang", "Ô", "Mức độ", "Quy tắc", "Nội dung")
FINDING_KEYS = ("file", "unit", "sheet", "cell", "severity", "rule", "message")
FINDING_WIDTHS = (30, 24, 14, 8, 11, 20, 70)
FINDINGS_SHEET = "Kiểm tra"
FINDINGS_TABLE = "KiemTra"


def severity_label(severity: str) -> str:
    """``error`` → ``Lỗi``; a label already in Vietnamese is kept."""
    key = (severity or "").strip().lower()
    return Severity(key).label if key in Severity.__members__.values() else (severity or "").strip()


def is_error(severity: str) -> bool:
    return (severity or "").strip().lower() in ("error", "lỗi")


def is_warning(severity: str) -> bool:
    return (severity or "").strip().lower() in ("warning", "cảnh báo")


def text_of(value: object) -> str:
    return "" if value is None else nfc(str(value))


def body_row(ws: Worksheet, row: int, values: Sequence[str], widths: Sequence[float]) -> None:
    """One table row of plain, wrapped, bordered text, tall enough for its longest cell."""
    for j, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=j)
        put(cell, value)
        cell.alignment = WRAP_TOP
        cell.border = GRID
    ws.row_dimensions[row].height = row_height(zip(values, widths, strict=True))


def mark_severity(cell: object, severity: str) -> None:
    """Red for an error, yellow for a warning."""
    if is_error(severity):
        cell.fill, cell.font = ERROR_FILL, ERROR_FONT  # type: ignore[attr-defined]
    elif is_warning(severity):
        cell.fill, cell.font = WARNING_FILL, WARNING_FONT  # type: ignore[attr-defined]


def write_findings(findings: list[dict], path: Path, title: str) -> Path:
    """Write the findings list as one filterable Excel Table; errors red, warnings yellow."""
    wb = Workbook()
    ws = wb.active
    ws.title = FINDINGS_SHEET
    errors = sum(1 for f in findings if is_error(text_of(f.get("severity"))))
    warnings = sum(1 for f in findings if is_warning(text_of(f.get("severity"))))
    files = len({text_of(f.get("file")) for f in findings if f.get("file")})
    title_rows(ws, title, f"Tổng cộng: {errors} lỗi, {warnings} cảnh báo trong {files} tệp.")
    top = 4
    header_row(ws, top, FINDING_COLUMNS, FINDING_WIDTHS)
    rows = [[text_of(f.get(k)) for k in FINDING_KEYS] for f in findings]
    if not rows:
        rows = [["", "", "", "", "", "", "Không phát hiện lỗi hay cảnh báo nào."]]
    sev_col = FINDING_KEYS.index("severity")
    for i, values in enumerate(rows, start=top + 1):
        severity = values[sev_col]
        values[sev_col] = severity_label(severity)
        body_row(ws, i, values, FINDING_WIDTHS)
        mark_severity(ws.cell(row=i, column=sev_col + 1), severity)
    last = top + len(rows)
    add_table(ws, FINDINGS_TABLE, f"A{top}:{get_column_letter(len(FINDING_COLUMNS))}{last}", stripes=False)
    a4(ws, landscape=True, header_row=top)
    wb.properties.title = nfc(title)
    wb.properties.creator = "xl_addin"
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)

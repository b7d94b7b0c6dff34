"""The findings workbook (``bao_cao/kiem_tra_<kỳ>.xlsx``): every problem found, one filterable Excel Table.

Errors red, warnings yellow; the clerk sorts and filters it, and works through it
with the units. The same columns as ``ddci validate --json``. Written by
``files.xlsx_stream`` (no openpyxl): ``ddci validate`` never imports it for this.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from xl_addin.core.contracts import Severity
from xl_addin.core.vnformat import nfc
from xl_addin.files.house_style import (
    ERROR_RGB,
    ERROR_TEXT_RGB,
    HEADER_RGB,
    TITLE_SIZE,
    WARNING_RGB,
    WARNING_TEXT_RGB,
    row_height,
)
from xl_addin.files.xlsx_stream import Book, CellStyle, Sheet, Table, row_xml

__all__ = ["FINDING_COLUMNS", "FINDING_KEYS", "severity_label", "write_findings"]

FINDING_COLUMNS = ("Tệp", "Đơn vị", "Trang", "Ô", "Mức độ", "Quy tắc", "Nội dung")
FINDING_KEYS = ("file", "unit", "sheet", "cell", "severity", "rule", "message")
FINDING_WIDTHS = (30, 24, 14, 8, 11, 20, 70)
FINDINGS_SHEET = "Kiểm tra"
FINDINGS_TABLE = "KiemTra"
TOP_ROW = 4
_LETTERS = "ABCDEFG"

BODY = CellStyle(border=True, wrap=True)
ERROR_CELL = CellStyle(border=True, wrap=True, fill=ERROR_RGB, color=ERROR_TEXT_RGB)
WARNING_CELL = CellStyle(border=True, wrap=True, fill=WARNING_RGB, color=WARNING_TEXT_RGB)
TITLE = CellStyle(size=TITLE_SIZE, bold=True, vertical=None)
SUBTITLE = CellStyle(italic=True, vertical=None)
HEADER = CellStyle(bold=True, fill=HEADER_RGB, border=True, wrap=True, vertical="center", horizontal="center")


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


def _rows(book: Book, findings: list[dict], title: str, subtitle: str) -> Iterator[str]:
    yield row_xml(1, [book.text_cell("A1", book.style(TITLE), title)])
    yield row_xml(2, [book.text_cell("A2", book.style(SUBTITLE), subtitle)])
    header = book.style(HEADER)
    names = enumerate(FINDING_COLUMNS)
    yield row_xml(TOP_ROW, [book.text_cell(f"{_LETTERS[j]}{TOP_ROW}", header, name) for j, name in names])
    body, error, warning = book.style(BODY), book.style(ERROR_CELL), book.style(WARNING_CELL)
    rows = [[text_of(f.get(k)) for k in FINDING_KEYS] for f in findings]
    if not rows:
        rows = [["", "", "", "", "", "", "Không phát hiện lỗi hay cảnh báo nào."]]
    sev_col = FINDING_KEYS.index("severity")
    for r, values in enumerate(rows, start=TOP_ROW + 1):
        severity = values[sev_col]
        values[sev_col] = severity_label(severity)
        mark = error if is_error(severity) else warning if is_warning(severity) else body
        cells = [
            book.text_cell(f"{_LETTERS[j]}{r}", mark if j == sev_col else body, value) for j, value in enumerate(values)
        ]
        yield row_xml(r, cells, row_height(zip(values, FINDING_WIDTHS, strict=True)))


def write_findings(findings: list[dict], path: Path, title: str) -> Path:
    """Write the findings list as one filterable Excel Table; errors red, warnings yellow."""
    errors = sum(1 for f in findings if is_error(text_of(f.get("severity"))))
    warnings = sum(1 for f in findings if is_warning(text_of(f.get("severity"))))
    files = len({text_of(f.get("file")) for f in findings if f.get("file")})
    subtitle = f"Tổng cộng: {errors} lỗi, {warnings} cảnh báo trong {files} tệp."
    last = TOP_ROW + max(len(findings), 1)
    book = Book(title)
    sheet = Sheet(
        name=FINDINGS_SHEET,
        widths=FINDING_WIDTHS,
        rows=_rows(book, findings, title, subtitle),
        last_row=last,
        header_row=TOP_ROW,
        table=Table(FINDINGS_TABLE, f"A{TOP_ROW}:G{last}", FINDING_COLUMNS, stripes=False),
        selected=True,
    )
    return book.save(Path(path), [sheet])

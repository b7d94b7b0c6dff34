"""How every workbook we write looks: one place for fonts, fills, table style and A4 print setup.

The master, the unit templates, the findings list, the returned copies, the
consolidation and the indicator changes all use Times New Roman (what Nghị định 30
documents use, so a table pasted into a Word report matches it), the same header
colour and table style, and print on A4 fitted to the page width. Row heights are
estimated here because neither openpyxl nor LibreOffice's headless import sizes rows
to wrapped text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.files.cell_text import write_text_cell

FONT_NAME = "Times New Roman"
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SUBTITLE_FONT = Font(name=FONT_NAME, italic=True, size=12)
HEADER_FONT = Font(name=FONT_NAME, bold=True, size=12)
BODY_FONT = Font(name=FONT_NAME, size=12)
LABEL_FONT = HEADER_FONT
LINK_FONT = Font(name=FONT_NAME, size=12, color="FF0563C1", underline="single")
ERROR_FONT = Font(name=FONT_NAME, size=12, color="FF9C0006")
WARNING_FONT = Font(name=FONT_NAME, size=12, color="FF9C5700")

HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
INPUT_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # light yellow: "type here", in the master and the templates
ERROR_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # light red, Excel's "Bad"
WARNING_FILL = PatternFill("solid", fgColor="FFFFEB9C")  # light yellow, Excel's "Neutral"
FLAG_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # rows with "Có cảnh báo"
KEEP_UP_FILL = PatternFill("solid", fgColor="FFE2EFDA")  # phát huy: light green
FIX_FILL = PatternFill("solid", fgColor="FFFCE4D6")  # khắc phục: light orange

THIN = Side(style="thin", color="FF808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
CENTER_TOP = Alignment(wrap_text=True, vertical="top", horizontal="center")

TABLE_STYLE = "TableStyleLight9"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DECIMAL_FORMAT = "0.0#"  # 37.5 → 37,5 and 57.14 → 57,14 in a Vietnamese-locale Excel
EXCEL_MAX_ROW_HEIGHT = 409.0


def row_height(cells: Iterable[tuple[str, float]], *, min_lines: int = 1, point_size: float = 12) -> float:
    """Row height (points) for wrapped text in Times New Roman, from (text, column width) pairs.

    Neither openpyxl nor LibreOffice's headless import sizes rows to wrapped text (Excel
    does when it opens a file, LibreOffice does not), so rows holding long text get an
    explicit estimated height: about one character per width unit (measured in LibreOffice).
    """
    lines = min_lines
    for text, width in cells:
        per_line = max(width * 1.0, 1)
        n = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
        lines = max(lines, n)
    return min(round(lines * point_size * 1.25 + 3, 1), EXCEL_MAX_ROW_HEIGHT)


def put(cell: Any, value: object, font: Font = BODY_FONT) -> None:
    """Write one cell: text always as inert text (never a formula), other values as they are."""
    if isinstance(value, str):
        write_text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
    else:
        cell.value = value
    cell.font = font


def title_rows(ws: Worksheet, title: str, subtitle: str = "") -> None:
    """The title (row 1) and an italic subtitle (row 2) above a table."""
    put(ws.cell(row=1, column=1), title, TITLE_FONT)
    if subtitle:
        put(ws.cell(row=2, column=1), subtitle, SUBTITLE_FONT)


def header_row(ws: Worksheet, row: int, names: Sequence[str], widths: Sequence[float], *, left: int = 1) -> None:
    """A table's header: bold, shaded, centred, bordered; sets the column widths too."""
    for j, (name, width) in enumerate(zip(names, widths, strict=True), start=left):
        cell = ws.cell(row=row, column=j)
        put(cell, name, HEADER_FONT)
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = GRID
        ws.column_dimensions[get_column_letter(j)].width = width


def add_table(ws: Worksheet, name: str, ref: str, *, stripes: bool = True) -> Table:
    """An Excel Table over ``ref`` in the house style (filter buttons included)."""
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=stripes)
    ws.add_table(table)
    return table


def a4(ws: Worksheet, *, landscape: bool, header_row: int | None = None, margin: float | None = 0.4) -> None:
    """Print on A4, fitted to the page width; ``header_row`` repeats on every page and stays frozen."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if margin is not None:
        ws.page_margins.left = ws.page_margins.right = margin
    if header_row is not None:
        ws.freeze_panes = f"A{header_row + 1}"  # a string: ws.cell() would create an (empty) data row
        ws.print_title_rows = f"{header_row}:{header_row}"

"""How every workbook we write looks: one place for fonts, fills, table style and A4 print setup.

The master, the unit templates, the findings list, the returned copies, the
consolidation and the indicator changes all use Times New Roman (what Nghị định 30
documents use, so a table pasted into a Word report matches it), the same header
colour and table style, and print on A4 fitted to the page width. Row heights are
estimated here because neither openpyxl nor LibreOffice's headless import sizes rows
to wrapped text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.files.cell_text import write_text_cell
from xl_addin.files.house_style import (
    BODY_SIZE,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_FORMAT,
    ERROR_RGB,
    ERROR_TEXT_RGB,
    FIX_RGB,
    FLAG_RGB,
    FONT_NAME,
    GRID_RGB,
    HEADER_RGB,
    INPUT_RGB,
    KEEP_UP_RGB,
    LINK_RGB,
    PAGE_MARGIN,
    TABLE_STYLE,
    TITLE_SIZE,
    WARNING_RGB,
    WARNING_TEXT_RGB,
    row_height,
)

__all__ = [
    "BODY_FONT",
    "CENTER_TOP",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "DECIMAL_FORMAT",
    "ERROR_FILL",
    "ERROR_FONT",
    "FIX_FILL",
    "FLAG_FILL",
    "FONT_NAME",
    "GRID",
    "HEADER_ALIGN",
    "HEADER_FILL",
    "HEADER_FONT",
    "INPUT_FILL",
    "KEEP_UP_FILL",
    "LABEL_FONT",
    "LINK_FONT",
    "SUBTITLE_FONT",
    "TABLE_STYLE",
    "THIN",
    "TITLE_FONT",
    "TOP",
    "WARNING_FILL",
    "WARNING_FONT",
    "WRAP_TOP",
    "a4",
    "add_table",
    "header_row",
    "put",
    "row_height",
    "title_rows",
]

TITLE_FONT = Font(name=FONT_NAME, bold=True, size=TITLE_SIZE)
SUBTITLE_FONT = Font(name=FONT_NAME, italic=True, size=BODY_SIZE)
HEADER_FONT = Font(name=FONT_NAME, bold=True, size=BODY_SIZE)
BODY_FONT = Font(name=FONT_NAME, size=BODY_SIZE)
LABEL_FONT = HEADER_FONT
LINK_FONT = Font(name=FONT_NAME, size=BODY_SIZE, color=LINK_RGB, underline="single")
ERROR_FONT = Font(name=FONT_NAME, size=BODY_SIZE, color=ERROR_TEXT_RGB)
WARNING_FONT = Font(name=FONT_NAME, size=BODY_SIZE, color=WARNING_TEXT_RGB)

HEADER_FILL = PatternFill("solid", fgColor=HEADER_RGB)
INPUT_FILL = PatternFill("solid", fgColor=INPUT_RGB)
ERROR_FILL = PatternFill("solid", fgColor=ERROR_RGB)
WARNING_FILL = PatternFill("solid", fgColor=WARNING_RGB)
FLAG_FILL = PatternFill("solid", fgColor=FLAG_RGB)
KEEP_UP_FILL = PatternFill("solid", fgColor=KEEP_UP_RGB)
FIX_FILL = PatternFill("solid", fgColor=FIX_RGB)

THIN = Side(style="thin", color=GRID_RGB)
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
CENTER_TOP = Alignment(wrap_text=True, vertical="top", horizontal="center")


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


def a4(ws: Worksheet, *, landscape: bool, header_row: int | None = None, margin: float | None = PAGE_MARGIN) -> None:
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

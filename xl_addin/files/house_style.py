"""The house style as plain values: fonts, colours, number formats, row heights.

``files.xlsx_style`` turns these into openpyxl objects for the workbooks openpyxl writes
(the master, the unit templates, the returned copies); ``files.xlsx_stream`` writes them
directly into ``styles.xml`` for the big workbooks it streams (the findings list and the
consolidation). Nothing here imports openpyxl, so a command that streams its workbooks
never pays for that import.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

FONT_NAME = "Times New Roman"
BODY_SIZE = 12
TITLE_SIZE = 14

# ARGB colours
HEADER_RGB = "FFD9E1F2"
INPUT_RGB = "FFFFF2CC"  # light yellow: "type here", in the master and the templates
ERROR_RGB = "FFFFC7CE"  # light red, Excel's "Bad"
WARNING_RGB = "FFFFEB9C"  # light yellow, Excel's "Neutral"
FLAG_RGB = "FFFFF2CC"  # rows with "Có cảnh báo"
KEEP_UP_RGB = "FFE2EFDA"  # phát huy: light green
FIX_RGB = "FFFCE4D6"  # khắc phục: light orange
ERROR_TEXT_RGB = "FF9C0006"
WARNING_TEXT_RGB = "FF9C5700"
LINK_RGB = "FF0563C1"
GRID_RGB = "FF808080"

TABLE_STYLE = "TableStyleLight9"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DECIMAL_FORMAT = "0.0#"  # 37.5 → 37,5 and 57.14 → 57,14 in a Vietnamese-locale Excel
EXCEL_MAX_ROW_HEIGHT = 409.0
PAGE_MARGIN = 0.4  # left and right, inches


def text_lines(text: str, width: float) -> int:
    """Lines ``text`` takes when wrapped in a column ``width`` units wide (about one character per unit)."""
    per_line = max(width * 1.0, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def height_for_lines(lines: int, point_size: float = BODY_SIZE) -> float:
    """Row height (points) of ``lines`` lines of Times New Roman."""
    return min(round(lines * point_size * 1.25 + 3, 1), EXCEL_MAX_ROW_HEIGHT)


def row_height(cells: Iterable[tuple[str, float]], *, min_lines: int = 1, point_size: float = BODY_SIZE) -> float:
    """Row height (points) for wrapped text in Times New Roman, from (text, column width) pairs.

    Neither openpyxl nor LibreOffice's headless import sizes rows to wrapped text (Excel
    does when it opens a file, LibreOffice does not), so rows holding long text get an
    explicit estimated height: about one character per width unit (measured in LibreOffice).
    """
    lines = min_lines
    for text, width in cells:
        lines = max(lines, text_lines(str(text), width))
    return height_for_lines(lines, point_size)

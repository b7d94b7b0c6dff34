"""What a cell is called and what it can hold: references for messages, Excel's error values.

Findings name the cell a clerk must fix (``D7``); a cell holding ``#DIV/0!`` is an
error the clerk must see, whichever reader met it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

FORMULA_ERRORS = frozenset((
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA",
))


def column_letter(index: int) -> str:
    """0-based column index → ``A``, ``Z``, ``AA``…"""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → ``B7``."""
    return f"{column_letter(col)}{row + 1}"


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
    return min(round(lines * point_size * 1.25 + 3, 1), 409.0)  # 409 pt is Excel's maximum

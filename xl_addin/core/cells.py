"""What a cell is called and what it can hold: references for messages, Excel's error values.

Findings name the cell a clerk must fix (``D7``); a cell holding ``#DIV/0!`` is an
error the clerk must see, whichever reader met it.
"""

from __future__ import annotations

FORMULA_ERRORS = frozenset(
    (
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#SPILL!",
        "#CALC!",
        "#GETTING_DATA",
    )
)


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

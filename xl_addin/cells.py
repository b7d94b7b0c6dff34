"""Cell references for messages: findings name the cell a clerk must fix."""

from __future__ import annotations


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

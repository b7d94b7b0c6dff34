"""Inert cell text: text from other people's files must stay text in every workbook we write.

Text such as ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM`` typed in a submission is kept
exactly as typed: openpyxl turns any ``str`` starting with ``=`` into a formula, so the
cell's data type is forced to string after assignment. That keeps the text verbatim (no
apostrophe that later shows up in reports), and the saved XML has ``t="inlineStr"`` and no
``<f>``, which neither Excel nor LibreOffice evaluates. The workbooks streamed by
``files.xlsx_stream`` store text as shared strings (``t="s"``), which can never be a formula
either (:func:`inert_text`). Characters XML cannot carry are dropped and text over Excel's
32,767-character limit is cut, each with a warning.
"""

from __future__ import annotations

import re
from typing import Any

from xl_addin.core.vnformat import fmt_decimal

__all__ = ["EXCEL_MAX_CELL_CHARS", "inert_text", "looks_like_formula", "safe_cell_text", "write_text_cell"]

EXCEL_MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def looks_like_formula(text: str) -> bool:
    """True for text that a spreadsheet or CSV consumer could take for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Excel counts (an emoji is two); at the speed of the codec."""
    return len(text.encode("utf-16-le")) // 2


def _truncate_utf16(text: str, limit: int) -> str:
    """Cut to ``limit`` UTF-16 code units without splitting a surrogate pair (emoji)."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


def safe_cell_text(value: str, *, apostrophe: bool = False) -> tuple[str, str | None]:
    """Text that can be written into a cell as-is, and a Vietnamese warning if it changed.

    * characters XML cannot carry (NUL, other C0 controls except tab/LF/CR) are dropped;
    * text over Excel's 32,767-character limit is cut (Excel would refuse the file or
      cut it silently);
    * formula-like text (``=``, ``+``, ``-``, ``@``, tab, CR) is kept verbatim: pair this
      with :func:`write_text_cell`, which stores it as a string. ``apostrophe=True`` is
      for writers that only accept values typed as by a user (xlwings into a live
      Excel): Excel's leading ``'`` then marks the text as text and is not displayed.
    """
    text = str(value)
    notes: list[str] = []
    cleaned = _ILLEGAL_XML.sub("", text)
    if cleaned != text:
        notes.append(f"đã bỏ {len(text) - len(cleaned)} ký tự điều khiển không hợp lệ")
        text = cleaned
    if apostrophe and looks_like_formula(text):
        text = "'" + text
    # Only text that could reach the limit is measured: most cells are short.
    length = _utf16_len(text) if len(text) * 2 > EXCEL_MAX_CELL_CHARS else len(text)
    if length > EXCEL_MAX_CELL_CHARS:
        text = _truncate_utf16(text, EXCEL_MAX_CELL_CHARS)
        limit = fmt_decimal(EXCEL_MAX_CELL_CHARS, 0)
        notes.append(
            f"nội dung dài {fmt_decimal(length, 0)} ký tự, vượt giới hạn {limit} ký tự của một ô Excel "
            "nên đã bị cắt bớt phần cuối; hãy rút gọn nội dung hoặc chia thành nhiều ô"
        )
    if not notes:
        return text, None
    message = "; ".join(notes)
    return text, message[0].upper() + message[1:] + "."


def inert_text(value: str) -> str:
    """``safe_cell_text(value)[0]`` at the cost of one regular-expression search for ordinary text.

    For writers that store text as shared strings (``files.xlsx_stream``): a shared string is
    never a formula, so only what XML cannot carry and Excel's length limit are left to handle.
    """
    if len(value) * 2 <= EXCEL_MAX_CELL_CHARS and _ILLEGAL_XML.search(value) is None:
        return value
    return safe_cell_text(value)[0]


def write_text_cell(cell: Any, value: str) -> str | None:
    """Store ``value`` in an openpyxl cell as inert text; return the warning, if any.

    openpyxl sets ``data_type = "f"`` for any string starting with ``=``; forcing ``"s"``
    afterwards makes the writer emit an inline string with no ``<f>`` element.
    """
    text, warning = safe_cell_text(value)
    cell.value = text
    cell.data_type = "s"
    return warning

"""How the rules read one typed cell: a percentage, a date, a text, each with the findings it earns.

A value that can be read in a non-standard way (``80%`` typed as text, a date typed
as a number, TCVN3 text) is read *and* warned about, naming the cell; nothing is
coerced silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections.abc import Callable
from typing import Any

from xl_addin.core.cells import FORMULA_ERRORS
from xl_addin.core.contracts import Rule, Severity
from xl_addin.core.vnformat import clean_text as _clean_text
from xl_addin.core.vnformat import fmt_number, parse_vn_number, short_date
from xl_addin.files.cell_text import EXCEL_MAX_CELL_CHARS as EXCEL_CELL_LIMIT

__all__ = ["clean", "read_date", "read_percent", "read_text"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_normalize = unicodedata.normalize

AddFn = Callable[..., None]  # add(severity, rule, message, cell="")
RefFn = Callable[[str], str]  # column header -> cell reference ("E7")


def clean(value: object) -> str:
    """``vnformat.clean_text``, with a fast path for ``str`` (about ten calls per task row)."""
    if value.__class__ is str:
        return _normalize("NFC", value).strip()  # what clean_text does for a str, without two calls
    return _clean_text(value)


def read_percent(value: Any, add: AddFn, cell: RefFn, column: str) -> float | None:
    """The percentage typed, or None; ``cell(column)`` names the cell, only when a finding needs it."""
    if value is None or value == "":
        return None
    ref = cell(column)
    if isinstance(value, bool):
        add(ERROR, Rule.PERCENT_INVALID, "Tỷ lệ hoàn thành phải là số từ 0 đến 100.", ref)
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = clean(value)
        if text in FORMULA_ERRORS:
            add(ERROR, Rule.FORMULA_ERROR, f"Ô có giá trị lỗi công thức {text}; hãy nhập số từ 0 đến 100.", ref)
            return None
        try:
            number = parse_vn_number(text.rstrip("%").strip())
        except ValueError:
            add(
                ERROR,
                Rule.PERCENT_INVALID,
                f"Tỷ lệ hoàn thành “{text}” không phải là số; hãy nhập số từ 0 đến 100 (không gõ chữ).",
                ref,
            )
            return None
        add(
            WARNING,
            Rule.PERCENT_TEXT,
            f"Tỷ lệ “{text}” được gõ dạng chữ; đã đọc là {fmt_number(number)}. Lần sau hãy nhập số, không gõ dấu %.",
            ref,
        )
    if not 0 <= number <= 100:
        add(
            ERROR,
            Rule.PERCENT_RANGE,
            f"Tỷ lệ hoàn thành {fmt_number(number)} nằm ngoài khoảng 0–100; hãy sửa lại.",
            ref,
        )
        return None
    if 0 < number < 1:
        add(
            WARNING,
            Rule.PERCENT_FRACTION,
            f"Tỷ lệ {number:g} rất nhỏ: nếu ý là {fmt_number(number * 100)}% hãy nhập {fmt_number(number * 100)}.",
            ref,
        )
    return number


def read_date(value: Any, add: AddFn, cell: RefFn, column: str) -> tuple[dt.date | None, bool]:
    if value is None or value == "":
        return None, True
    ref = cell(column)
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, int | float) and 20_000 < value < 80_000:
        date = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        add(
            WARNING,
            Rule.DATE_NUMBER,
            f"Ngày hoàn thành được nhập dạng số ({value:g}); đã đọc là {short_date(date)}.",
            ref,
        )
        return date, True
    text = clean(value)
    if text in FORMULA_ERRORS:
        add(ERROR, Rule.FORMULA_ERROR, f"Ô có giá trị lỗi công thức {text}; hãy nhập ngày.", ref)
        return None, False
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date(), True
        except ValueError:
            continue
    add(ERROR, Rule.DATE_INVALID, f"“{text}” không phải là ngày; hãy nhập dạng ngày/tháng/năm, VD: 12/03/2024.", ref)
    return None, False


ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}


@functools.lru_cache(maxsize=4096)
def _fix_short_text(text: str) -> tuple[str, str | None]:
    from xl_addin.intake.legacy_encoding import fix_text

    return fix_text(text)


def _fix_text(text: str) -> tuple[str, str | None]:
    """``legacy_encoding.fix_text``, cached for short texts.

    Statuses (``Hoàn thành`` is all Latin-1, so the detector scores it every time) and
    stock phrases repeat in every file; the cache is bounded (4,096 texts of ≤ 120
    characters) so it cannot hold on to a large inbox.
    """
    if len(text) <= 120:
        return _fix_short_text(text)
    from xl_addin.intake.legacy_encoding import fix_text

    return fix_text(text)


def read_text(value: Any, column: str, add: AddFn, ref: RefFn) -> str:
    """A text cell as NFC Unicode; legacy TCVN3/VNI text is converted with a warning naming the cell."""
    if value is None or value == "":
        return ""
    text = clean(value)
    if not text:
        return text
    fixed, encoding = _fix_text(text)
    if encoding:
        add(
            WARNING,
            Rule.LEGACY_ENCODING,
            f"Ô “{column}” được gõ bằng bảng mã cũ {ENCODING_NAMES.get(encoding, encoding)}; đã chuyển sang Unicode: "
            f"“{fixed[:60]}”. Lần sau hãy gõ bằng Unicode (Unikey: bảng mã Unicode, phông Times New Roman).",
            ref(column),
        )
    if len(fixed) > EXCEL_CELL_LIMIT:
        add(
            WARNING,
            Rule.CELL_TOO_LONG,
            f"Ô “{column}” dài {len(fixed):,} ký tự, quá giới hạn {EXCEL_CELL_LIMIT:,} ký tự của Excel; bản tổng hợp "
            "chỉ giữ phần đầu. Hãy rút gọn nội dung.".replace(",", "."),
            ref(column),
        )
    return fixed

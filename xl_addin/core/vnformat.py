"""Vietnamese formatting in one place: numbers, steps, ND30 dates, text normalisation.

Office documents sent to UBND tỉnh are read by people who notice ``7.63`` instead of
``7,63`` or ``tháng 03`` instead of ``tháng 3``; every user-visible number and date
goes through this module.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}


def nfc(value: str) -> str:
    """NFC-normalise text: decomposed diacritics (NFD) look the same but compare unequal."""
    return unicodedata.normalize("NFC", value)


def clean_text(value: object) -> str:
    """A cell value as trimmed NFC text ('' for empty cells)."""
    if value.__class__ is str:  # most cells; called for every cell the intake looks at
        return unicodedata.normalize("NFC", value).strip()  # type: ignore[arg-type,unused-ignore]
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def round_half_up(value: float | Decimal, places: int = 2) -> Decimal:
    """Round half away from zero on the decimal representation, as Excel displays it.

    ``round(7.625, 2)`` in Python gives 7.62 (binary float, banker's rounding) while
    Excel shows 7,63; going through ``repr`` keeps the digits the user typed.
    """
    dec = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def fmt_decimal(value: float | Decimal, places: int = 2) -> str:
    """``7.625`` → ``7,63``; ``1234.5`` → ``1.234,50`` (dot groups thousands)."""
    rounded = round_half_up(value, places)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{places}f}"
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    body = ".".join(groups)
    return f"{sign}{body},{frac}" if places else f"{sign}{body}"


def fmt_number(value: float) -> str:
    """A count or a percentage without trailing zeros: ``80`` → ``80``, ``82.5`` → ``82,5``."""
    rounded = round_half_up(value, 1)
    if rounded == rounded.to_integral_value():
        return fmt_decimal(rounded, 0)
    return fmt_decimal(rounded, 1)


def fmt_steps(steps: int) -> str:
    """Rank steps as the plan writes them: two digits, ``01``, ``09``, ``12``."""
    return f"{abs(int(steps)):02d}"


def parse_vn_number(text: str) -> float:
    """Read a number typed the Vietnamese way or the English way.

    ``7,63`` and ``7.63`` are both 7.63; ``1.234,5`` is 1234.5. When a string holds
    both separators the last one is the decimal mark. Raises ``ValueError`` for
    anything else, so callers can report the cell instead of guessing.
    """
    raw = nfc(text).strip().replace("\u00a0", " ")
    if not raw:
        raise ValueError("empty")
    if "," in raw and "." in raw:
        decimal_mark = "," if raw.rfind(",") > raw.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        raw = raw.replace(group_mark, "").replace(" ", "")
        raw = raw.replace(decimal_mark, ".")
    elif "," in raw:
        if raw.count(",") > 1:
            raise ValueError(text)
        raw = raw.replace(",", ".")
    elif raw.count(".") > 1:
        raise ValueError(text)
    raw = raw.replace(" ", "")
    try:
        return float(Decimal(raw))
    except InvalidOperation as exc:
        raise ValueError(text) from exc


def nd30_day(day: int) -> str:
    """Days below 10 take a leading zero (ND30 Phụ lục I, II.4.b)."""
    return f"{day:02d}"


def nd30_month(month: int) -> str:
    """Only months 1 and 2 take a leading zero: ``02`` but ``3``."""
    return f"{month:02d}" if month in (1, 2) else str(month)


def nd30_date(date: dt.date) -> str:
    """``ngày 05 tháng 02 năm 2024``, ``ngày 12 tháng 3 năm 2024``."""
    return f"ngày {nd30_day(date.day)} tháng {nd30_month(date.month)} năm {date.year}"


def place_date_line(place: str, date: dt.date | None, year: int) -> str:
    """The ô-4 line. Without a date the clerk fills day and month when signing."""
    if date is None:
        return f"{place}, ngày      tháng      năm {year}"
    return f"{place}, {nd30_date(date)}"


def short_date(date: dt.date) -> str:
    """``28/02/2024``: the form used inside sentences (``trước ngày 28/02/2024``)."""
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def doc_number(number: int | None, kind_abbr: str, agency_abbr: str) -> str:
    """``Số: 05/BC-STNMT``; ``Số:    /KH-STNMT`` when the number is given at signing."""
    if number is None:
        return f"Số:      /{kind_abbr}-{agency_abbr}"
    return f"Số: {number:02d}/{kind_abbr}-{agency_abbr}"


def count_words(n: int) -> str:
    """Counts in headings are two digits, as the plan writes them: ``08 chỉ số``."""
    return f"{n:02d}"

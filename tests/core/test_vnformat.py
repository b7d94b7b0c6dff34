"""Vietnamese number and date formatting (ND30 dates, decimal commas, steps)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_addin.core.vnformat import (
    clean_text,
    doc_number,
    fmt_decimal,
    fmt_number,
    fmt_steps,
    nd30_date,
    nfc,
    parse_vn_number,
    place_date_line,
    round_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7.63, "7,63"),
        (7.625, "7,63"),  # half away from zero, as Excel displays it
        (7.615, "7,62"),
        (0.45, "0,45"),
        (-0.445, "-0,45"),
        (8, "8,00"),
        (1234.5, "1.234,50"),
        (1234567.891, "1.234.567,89"),
        (2.675, "2,68"),  # binary float 2.67499999… still shows as typed
    ],
)
def test_fmt_decimal(value: float, expected: str) -> None:
    assert fmt_decimal(value) == expected


def test_fmt_number_drops_trailing_zero() -> None:
    assert fmt_number(80) == "80"
    assert fmt_number(82.5) == "82,5"


@pytest.mark.parametrize(("steps", "expected"), [(1, "01"), (9, "09"), (12, "12"), (-5, "05"), (0, "00")])
def test_fmt_steps(steps: int, expected: str) -> None:
    assert fmt_steps(steps) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("7,63", 7.63), ("7.63", 7.63), (" 8 ", 8.0), ("1.234,5", 1234.5), ("1,234.5", 1234.5), ("-0,45", -0.45)],
)
def test_parse_vn_number(text: str, expected: float) -> None:
    assert parse_vn_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "7,6,3", "1.2.3", "80%x"])
def test_parse_vn_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_vn_number(text)


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2024, 2, 5), "ngày 05 tháng 02 năm 2024"),
        (dt.date(2024, 3, 12), "ngày 12 tháng 3 năm 2024"),
        (dt.date(2024, 1, 1), "ngày 01 tháng 01 năm 2024"),
        (dt.date(2024, 12, 31), "ngày 31 tháng 12 năm 2024"),
    ],
)
def test_nd30_date_pads_days_and_only_months_1_2(date: dt.date, expected: str) -> None:
    assert nd30_date(date) == expected


def test_place_date_line_blank_for_signing() -> None:
    line = place_date_line("Lạng Sơn", None, 2024)
    assert line.startswith("Lạng Sơn, ngày ") and line.endswith("năm 2024") and "tháng" in line


def test_doc_number_pads_below_ten() -> None:
    assert doc_number(5, "BC", "STNMT") == "Số: 05/BC-STNMT"
    assert doc_number(12, "KH", "STNMT") == "Số: 12/KH-STNMT"
    assert doc_number(None, "KH", "STNMT").endswith("/KH-STNMT")


def test_clean_text_normalises_nfd_and_integers() -> None:
    decomposed = "Hoa\u0300n tha\u0300nh"
    assert clean_text(decomposed) == "Hoàn thành"
    assert clean_text(4.0) == "4"
    assert clean_text(None) == ""


@given(st.decimals(min_value=-10_000, max_value=10_000, places=3, allow_nan=False, allow_infinity=False))
def test_fmt_then_parse_round_trips(value: Decimal) -> None:
    text = fmt_decimal(value)
    assert Decimal(repr(parse_vn_number(text))) == round_half_up(value)


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_fmt_decimal_shape(value: float) -> None:
    text = fmt_decimal(value)
    whole, _, frac = text.lstrip("-").partition(",")
    assert len(frac) == 2 and frac.isdigit()
    assert all(len(g) == 3 for g in whole.split(".")[1:])
    assert "." not in frac


@given(st.integers(min_value=1, max_value=99))
def test_steps_are_two_digits(n: int) -> None:
    assert len(fmt_steps(n)) == 2 and int(fmt_steps(n)) == n


@given(st.text())
def test_nfc_idempotent(text: str) -> None:
    assert nfc(nfc(text)) == nfc(text)

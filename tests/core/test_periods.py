"""Reporting periods and ND 09/2019 cut-off windows."""

from __future__ import annotations

import datetime as dt

import pytest

from xl_addin.core.periods import make_period, parse_period, period_for_date, periods_for_year


@pytest.mark.parametrize(
    ("code", "name", "start", "end"),
    [
        ("2024-03", "tháng 3 năm 2024", dt.date(2024, 2, 15), dt.date(2024, 3, 14)),
        ("2024-01", "tháng 1 năm 2024", dt.date(2023, 12, 15), dt.date(2024, 1, 14)),
        ("2024-Q1", "quý I năm 2024", dt.date(2023, 12, 15), dt.date(2024, 3, 14)),
        ("2024-Q3", "quý III năm 2024", dt.date(2024, 6, 15), dt.date(2024, 9, 14)),
        ("2024-H1", "6 tháng đầu năm 2024", dt.date(2023, 12, 15), dt.date(2024, 6, 14)),
        ("2024", "năm 2024", dt.date(2023, 12, 15), dt.date(2024, 12, 14)),
    ],
)
def test_cutoff_windows(code: str, name: str, start: dt.date, end: dt.date) -> None:
    period = make_period(code)
    assert (period.name, period.start, period.end) == (name, start, end)
    assert period.deadline == end + dt.timedelta(days=1)


def test_year_has_19_periods() -> None:
    periods = periods_for_year(2024)
    codes = [p.code for p in periods]
    assert len(codes) == 19 and len(set(codes)) == 19
    assert codes.index("2024-03") < codes.index("2024-Q1")


@pytest.mark.parametrize("bad", ["2024-13", "24-03", "2024-Q5", "2024-H3", "abc"])
def test_parse_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)


def test_period_for_date() -> None:
    periods = periods_for_year(2024)
    assert period_for_date(periods, dt.date(2024, 3, 14)).code == "2024-03"
    assert period_for_date(periods, dt.date(2024, 3, 15)).code == "2024-04"

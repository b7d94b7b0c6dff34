"""Reporting periods: codes, Vietnamese names, and ND 09/2019 cut-off windows.

Nghị định 09/2019/NĐ-CP, Điều 12: a monthly report covers the 15th of the previous
month to the 14th of the report month; a quarterly one the 15th of the month before
the quarter to the 14th of its last month; the 6-month report 15/12 of the previous
year to 14/6; the yearly report 15/12 of the previous year to 14/12.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from xl_addin.core.model import Period
from xl_addin.core.vnformat import ROMAN

_CODE_RE = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?$")


@dataclass(frozen=True)
class PeriodCode:
    """A parsed period code: ``kind`` is month, quarter, half or year."""

    year: int
    kind: str
    index: int  # month 1-12, quarter 1-4, half 1-2, 1 for the year

    @property
    def code(self) -> str:
        return {
            "month": f"{self.year}-{self.index:02d}",
            "quarter": f"{self.year}-Q{self.index}",
            "half": f"{self.year}-H{self.index}",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def name(self) -> str:
        """Vietnamese name as used in titles: ``tháng 3 năm 2024``, ``quý I năm 2024``."""
        if self.kind == "month":
            return f"tháng {self.index} năm {self.year}"
        if self.kind == "quarter":
            return f"quý {ROMAN[self.index]} năm {self.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    @property
    def last_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index, "half": 6 * self.index, "year": 12}[self.kind]

    @property
    def first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "half": 6 * self.index - 5, "year": 1}[self.kind]

    def window(self) -> tuple[dt.date, dt.date]:
        """The ND 09/2019 cut-off window (thời gian chốt số liệu)."""
        end = dt.date(self.year, self.last_month, 14)
        start = _previous_month_15(self.year, self.first_month)
        if self.kind == "half" and self.index == 2:
            # The second half is rarely a separate report; count it from 15/6 so the
            # halves do not overlap (the yearly report covers the whole year).
            start = dt.date(self.year, 6, 15)
        return start, end


def _previous_month_15(year: int, month: int) -> dt.date:
    return dt.date(year - 1, 12, 15) if month == 1 else dt.date(year, month - 1, 15)


def parse_period(code: str) -> PeriodCode:
    """Parse ``2024-03``, ``2024-Q1``, ``2024-H1`` or ``2024``; ``ValueError`` otherwise."""
    match = _CODE_RE.match(code.strip().upper())
    if not match:
        raise ValueError(code)
    year = int(match.group(1))
    if match.group(2):
        return PeriodCode(year, "month", int(match.group(2)))
    if match.group(3):
        return PeriodCode(year, "quarter", int(match.group(3)))
    if match.group(4):
        return PeriodCode(year, "half", int(match.group(4)))
    return PeriodCode(year, "year", 1)


def make_period(code: str, grace_days: int = 1) -> Period:
    """A Period with its cut-off window and a deadline ``grace_days`` after the cut-off."""
    parsed = parse_period(code)
    start, end = parsed.window()
    return Period(parsed.code, parsed.name, start, end, end + dt.timedelta(days=grace_days))


def periods_for_year(year: int, grace_days: int = 1) -> tuple[Period, ...]:
    """12 months, 4 quarters, 2 halves and the year, in calendar order of their end."""
    codes = [f"{year}-{m:02d}" for m in range(1, 13)]
    codes += [f"{year}-Q{q}" for q in range(1, 5)]
    codes += [f"{year}-H1", f"{year}-H2", f"{year}"]
    periods = [make_period(c, grace_days) for c in codes]
    return tuple(sorted(periods, key=lambda p: (p.end, (p.end - p.start).days)))


def period_for_date(periods: tuple[Period, ...], today: dt.date) -> Period | None:
    """The monthly period whose cut-off window contains ``today``."""
    for period in periods:
        if parse_period(period.code).kind == "month" and period.start <= today <= period.end:
            return period
    return None

"""What happened over a quarter, 6 months or a year, from the archived monthly reports.

Pure: the plan, the period code and plain archive records (``core.history``) in, a
``PeriodPicture`` out. The province reads these reports most (Nghị định 09/2019/NĐ-CP,
Điều 12), and each must be made from the months it covers:

* **Months.** Every month of the period, in order (a quarter's window, 15/12 to 14/3, is
  exactly its three monthly windows). A month is *with data* when a unit's report of it was
  archived or its consolidation recorded who sent what; a month without data is said to
  have none, never "0/8 units reported".
* **Who sent what, month by month**, from the states recorded at consolidation (a file with
  errors was sent, not archived), else from the archived submissions against the month's
  deadline (archives from before the states were kept).
* **The state at the end of the period** is each unit's latest archived report in it: the
  body and the appendix are written from those rows, as a monthly report is.
* **Each task's trail**: its lead units' average percent and category in every month with
  data; the month it was completed in (and the date the units gave), unless it was already
  completed in the latest archived month before the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from xl_addin.core.contracts import Category, UnitState
from xl_addin.core.history import ArchivedRow, ArchivedState
from xl_addin.core.model import Period, Plan
from xl_addin.core.periods import make_period, parse_period
from xl_addin.core.submissions import ReportRow, UnitStatus, ValidationResult
from xl_addin.forms.layout import ROLE_LABELS
from xl_addin.results.consolidate import task_category

__all__ = [
    "MonthStatus",
    "PeriodPicture",
    "TaskPoint",
    "TaskTrail",
    "month_codes",
    "period_picture",
    "period_result",
]

_LEAD = ROLE_LABELS["lead"]


@dataclass(frozen=True)
class MonthStatus:
    """Who sent the report of one month (unit codes, in plan order)."""

    code: str  # "2024-03"
    has_data: bool
    sent: tuple[str, ...] = ()  # on time, late, or with errors
    late: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()  # sent with errors: not consolidated
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskPoint:
    month: str
    percent: float | None  # the lead units' average
    category: Category


@dataclass(frozen=True)
class TaskTrail:
    task_code: str
    points: tuple[TaskPoint, ...]  # months with a lead unit's report, in order
    completed_in: str | None = None  # month code, when completed in the period
    completed_on: dt.date | None = None  # the latest done date the lead units gave that month


@dataclass(frozen=True)
class PeriodPicture:
    code: str
    months: tuple[MonthStatus, ...]
    latest_rows: tuple[ArchivedRow, ...]  # each unit's latest archived report in the period
    trails: tuple[TaskTrail, ...]  # plan order

    @property
    def months_with_data(self) -> tuple[MonthStatus, ...]:
        return tuple(m for m in self.months if m.has_data)

    @property
    def last_month(self) -> str | None:
        with_data = self.months_with_data
        return with_data[-1].code if with_data else None


def month_codes(period_code: str) -> tuple[str, ...]:
    """The monthly period codes a period is made of, in order."""
    p = parse_period(period_code)
    return tuple(f"{p.year}-{m:02d}" for m in range(p.first_month, p.last_month + 1))


def period_picture(
    plan: Plan,
    period_code: str,
    rows: Sequence[ArchivedRow],
    states: Sequence[ArchivedState] = (),
    before: Sequence[ArchivedRow] = (),
) -> PeriodPicture:
    """The picture of ``period_code`` from the archived ``rows`` and ``states`` of its months.

    ``before`` holds the rows of the latest archived month before the period: a task
    completed then was not completed in this period.
    """
    months = month_codes(period_code)
    statuses = tuple(_month_status(plan, code, rows, states) for code in months)
    latest_month: dict[str, str] = {}
    for r in rows:
        if r.period in months and months.index(r.period) >= months.index(latest_month.get(r.unit, r.period)):
            latest_month[r.unit] = r.period
    latest = tuple(r for r in rows if latest_month.get(r.unit) == r.period)
    done_before = {code for code, point in _month_points(before).items() if point.category == Category.DONE}
    by_month = {code: _month_points([r for r in rows if r.period == code]) for code in months}
    trails = []
    for task in plan.tasks:
        points = tuple(by_month[m][task.code] for m in months if task.code in by_month[m])
        trails.append(_trail(task.code, points, task.code in done_before, rows))
    return PeriodPicture(parse_period(period_code).code, statuses, latest, tuple(trails))


def _month_status(plan: Plan, code: str, rows: Sequence[ArchivedRow], states: Sequence[ArchivedState]) -> MonthStatus:
    recorded = {s.unit: s for s in states if s.period == code}
    received: dict[str, dt.datetime] = {}
    for r in rows:
        if r.period == code:
            received[r.unit] = r.received_at
    if not recorded and not received:
        return MonthStatus(code, has_data=False)
    period = plan.period(code) or make_period(code, plan.settings.submission_grace_days)
    deadline_end = dt.datetime.combine(period.deadline, dt.time.max)
    sent, late, rejected, missing = [], [], [], []
    for unit in plan.reporting_unit_codes:
        state = recorded[unit].state if unit in recorded else None
        if unit in received and state in (None, UnitState.MISSING):  # archived, whatever the last run saw
            state = UnitState.LATE if received[unit] > deadline_end else UnitState.ON_TIME
        if state in (None, UnitState.MISSING):
            missing.append(unit)
            continue
        sent.append(unit)
        if state == UnitState.LATE:
            late.append(unit)
        elif state == UnitState.REJECTED:
            rejected.append(unit)
    return MonthStatus(code, True, tuple(sent), tuple(late), tuple(rejected), tuple(missing))


def _month_points(rows: Iterable[ArchivedRow]) -> dict[str, TaskPoint]:
    """Task code → its point in one month, from the lead units' rows (as ``consolidate`` does)."""
    statuses: dict[str, list[str]] = {}
    percents: dict[str, list[float]] = {}
    month = ""
    for r in rows:
        if r.role != _LEAD:
            continue
        month = r.period
        statuses.setdefault(r.task_code, []).append(r.status)
        if r.percent is not None and r.percent == r.percent:  # neither None nor NaN
            percents.setdefault(r.task_code, []).append(r.percent)
    out = {}
    for code, sts in statuses.items():
        pct = percents.get(code)
        out[code] = TaskPoint(month, sum(pct) / len(pct) if pct else None, Category(task_category(sts)))
    return out


def _trail(code: str, points: tuple[TaskPoint, ...], done_before: bool, rows: Sequence[ArchivedRow]) -> TaskTrail:
    if done_before or not points or points[-1].category != Category.DONE:
        return TaskTrail(code, points)
    first = len(points) - 1
    while first > 0 and points[first - 1].category == Category.DONE:
        first -= 1
    month = points[first].month
    dates = [r.done_date for r in rows if r.period == month and r.task_code == code and r.role == _LEAD and r.done_date]
    return TaskTrail(code, points, month, max(dates) if dates else None)


def period_result(plan: Plan, period: Period, picture: PeriodPicture) -> ValidationResult:
    """The end-of-period state as a ``ValidationResult``, so ``consolidate`` makes the tables as for a month.

    Its rows are each unit's latest archived report in the period; a unit's state is the one
    of its latest month with a report (missing when it sent none).
    """
    rows = [
        ReportRow(
            r.unit,
            period.code,
            r.task_code,
            r.role,
            r.status,
            r.percent,
            r.result,
            r.difficulty,
            r.proposal,
            r.done_date,
            r.file_name,
            r.sheet,
            r.row,
            False,
        )
        for r in picture.latest_rows
    ]
    latest = {r.unit: r for r in picture.latest_rows}
    names = {u.code: u.name for u in plan.units}
    units = []
    for code in plan.reporting_unit_codes:
        sent = [m for m in picture.months if code in m.sent]
        if not sent:
            units.append(UnitStatus(code, names[code], UnitState.MISSING, "", None, 0, 0))
            continue
        last = sent[-1]
        state = (
            UnitState.REJECTED
            if code in last.rejected
            else (UnitState.LATE if code in last.late else UnitState.ON_TIME)
        )
        row = latest.get(code)
        units.append(
            UnitStatus(code, names[code], state, row.file_name if row else "", row.received_at if row else None, 0, 0)
        )
    return ValidationResult(period, [], rows, units)

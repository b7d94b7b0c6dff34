"""Next year's plan from this one, as data: ``ddci new-year``.

Pure: this year's Plan (and, when the archive has them, the last reported statuses)
in, next year's Plan and the clerk's to-do list out. Kept: the agency, the leaders,
the units and their addresses, the indicators and the tasks. Moved on a year: the
indicator table keeps the latest DDCI year as the base and gets the next DDCI year,
empty until the province publishes it (``Năm gốc so sánh`` / ``Năm đánh giá`` are
set, so ``ddci changes`` compares the right years meanwhile). Reset: the number and
date of the plan, the hand-written groups and assessments (they judged last year's
numbers), the reporting periods (the new year's, current period January). Tasks not
finished in the last reported period are marked as carried over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from xl_addin.core.model import Indicator, Plan, YearResult
from xl_addin.core.periods import periods_for_year
from xl_addin.forms.layout import DONE_STATUSES
from xl_addin.plan import schema as S


@dataclass(frozen=True)
class NextYear:
    """The new plan, the two DDCI years it compares, and what the clerk still has to do."""

    plan: Plan
    base_year: int
    score_year: int
    carried_over: tuple[str, ...]  # task codes
    todo: tuple[str, ...]


def finished_tasks(plan: Plan, statuses: dict[tuple[str, str], str]) -> set[str]:
    """Tasks whose lead units all reported them done in their last report (a task nobody reported is not)."""
    codes = plan.reporting_unit_codes
    done = set()
    for task in plan.tasks:
        leads = [unit for unit, role in task.units(codes).items() if role == "lead"]
        reported = [statuses[(u, task.code)] for u in leads if statuses.get((u, task.code))]
        if reported and all(s in DONE_STATUSES for s in reported):
            done.add(task.code)
    return done


def latest_ddci_year(plan: Plan) -> int:
    """The DDCI year this plan was built on: ``Năm đánh giá``, else the last year with data."""
    years = plan.years()
    return plan.settings.compare_year or (years[-1] if years else plan.settings.plan_year - 1)


def _same_day_next_year(day: dt.date | None) -> dt.date | None:
    if day is None:
        return None
    return day.replace(year=day.year + 1, day=min(day.day, 28) if day.month == 2 else day.day)


def _indicator(ind: Indicator, base_year: int) -> Indicator:
    kept = tuple(r for r in ind.results if r.year == base_year)
    return replace(ind, results=kept, group_override=None, assessment_override=None)


def _todo(plan: Plan, year: int, base: int, score_year: int, carried: tuple[str, ...] | None) -> list[str]:
    s = plan.settings
    sheet = S.SHEETS
    todo = [
        f"Khi tỉnh công bố kết quả DDCI năm {score_year}: nhập các cột “Điểm {score_year}”, “Hạng {score_year}”, "
        f"“Số đơn vị {score_year}” trên trang “{sheet[S.TABLE_INDICATORS]}” và dòng năm {score_year} trên trang "
        f"“{sheet[S.TABLE_OVERALL]}”; rồi chạy “ddci changes” (nút “Biến động chỉ số”).",
    ]
    old_years = (str(s.plan_year), str(base))
    stale = [
        item.label
        for item in S.SETTINGS
        if item.key in ("plan_basis", "plan_context", "report_basis")
        and any(y in str(getattr(s, item.key)) for y in old_years)
    ]
    if stale:
        labels = ", ".join(f"“{label}”" for label in stale)
        todo.append(f"Sửa các thiết lập còn nói về năm cũ trên trang “{sheet[S.TABLE_SETTINGS]}”: {labels}.")
    todo.append(
        f"Xem lại cột “Hạn chế” và “Lãnh đạo chủ trì” trên trang “{sheet[S.TABLE_INDICATORS]}” (giữ như năm "
        f"{s.plan_year}); cột “Nhóm” và “Đánh giá chung” đã để trống để tính theo số liệu mới."
    )
    if carried is None:
        todo.append(
            "Chưa có tiến độ nào được lưu trữ (chưa chạy “ddci consolidate”), nên chưa biết nhiệm vụ nào chưa "
            f"hoàn thành: cột “{S.TASK_CARRIED_OVER}” để trống, hãy tự đánh dấu nếu cần."
        )
    elif carried:
        todo.append(
            f"{len(carried)} nhiệm vụ chưa hoàn thành năm {s.plan_year} được đánh dấu “{S.TASK_CARRIED_OVER}” "
            f"trên trang “{sheet[S.TABLE_TASKS]}”: {', '.join(carried)}."
        )
    dated = [t.code for t in plan.tasks if t.deadline is not None and t.deadline.year <= s.plan_year]
    if dated:
        todo.append(f"Nhiệm vụ {', '.join(dated)} có “Thời hạn” trong năm cũ: hãy sửa thời hạn.")
    if s.detail_plan_deadline is not None:
        todo.append(
            f"“Hạn xây dựng kế hoạch chi tiết” được đặt sang năm {year} (cùng ngày, tháng năm trước); sửa nếu cần."
        )
    return todo


def next_year_plan(plan: Plan, year: int, finished: set[str] | None) -> NextYear:
    """The plan for ``year`` built from ``plan``; ``finished`` None when no progress was ever archived."""
    s = plan.settings
    base = latest_ddci_year(plan)
    score_year = base + 1
    settings = replace(
        s,
        plan_year=year,
        base_year=base,
        compare_year=score_year,
        plan_number=None,
        plan_date=None,
        detail_plan_deadline=_same_day_next_year(s.detail_plan_deadline),
        current_period=f"{year}-01",
    )
    tasks = tuple(replace(t, carried_over=finished is not None and t.code not in finished) for t in plan.tasks)
    carried = tuple(t.code for t in tasks if t.carried_over)
    overall = (*(r for r in plan.overall if r.year == base), YearResult(score_year, None, None, None))
    new_plan = replace(
        plan,
        settings=settings,
        indicators=tuple(_indicator(ind, base) for ind in plan.indicators),
        tasks=tasks,
        periods=periods_for_year(year, s.submission_grace_days),
        overall=overall,
    )
    todo = _todo(plan, year, base, score_year, carried if finished is not None else None)
    return NextYear(new_plan, base, score_year, carried, tuple(todo))

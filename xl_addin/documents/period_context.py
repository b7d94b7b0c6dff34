"""The month-by-month keys of a quarter, 6-month or year Báo cáo, from a ``PeriodPicture``.

Pure, like ``context``: ``report_context`` writes the document from the end-of-period
state (each unit's latest report in the period) and ``add_period`` adds what happened
over the period: who sent what each month (a run of months without data said once),
the tasks completed in it and when, each unfinished task's progress month by month,
and for a year the tasks done and carried over and the DDCI result of that year when
the master has it. The sentences are the template's; the values here are final text.
"""

from __future__ import annotations

from typing import Any

from xl_addin.core.changes import compute_changes, overall_sentence
from xl_addin.core.contracts import Category
from xl_addin.core.model import Plan
from xl_addin.core.periods import parse_period
from xl_addin.core.vnformat import count_words, fmt_number, short_date
from xl_addin.documents.context import lead_name, short_task
from xl_addin.documents.period_picture import MonthStatus, PeriodPicture, TaskTrail

__all__ = ["add_period", "month_names"]


def _month(code: str) -> int:
    return parse_period(code).index


def month_names(codes: list[str]) -> str:
    """``Tháng 1 năm 2024``, ``Tháng 1 và tháng 2 năm 2024``, ``Từ tháng 4 đến tháng 12 năm 2024``."""
    year = parse_period(codes[0]).year
    first, last = _month(codes[0]), _month(codes[-1])
    if len(codes) == 1:
        return f"Tháng {first} năm {year}"
    if len(codes) == 2:
        return f"Tháng {first} và tháng {last} năm {year}"
    return f"Từ tháng {first} đến tháng {last} năm {year}"


def _names(plan: Plan, codes: tuple[str, ...]) -> str:
    return ", ".join(u.name if (u := plan.unit(c)) else c for c in codes)


def _months(plan: Plan, picture: PeriodPicture) -> list[dict[str, Any]]:
    expected = len(plan.reporting_unit_codes)
    out: list[dict[str, Any]] = []
    empty: list[str] = []

    def flush() -> None:
        if empty:
            out.append({"name": month_names(empty), "has_data": False, "sent": 0, "expected": expected} | _no_units())
            empty.clear()

    for m in picture.months:
        if not m.has_data:
            empty.append(m.code)
            continue
        flush()
        out.append(
            {
                "name": month_names([m.code]),
                "has_data": True,
                "sent": len(m.sent),
                "expected": expected,
                "late": _names(plan, m.late),
                "rejected": _names(plan, m.rejected),
                "missing": _names(plan, m.missing),
            }
        )
    flush()
    return out


def _no_units() -> dict[str, str]:
    return {"late": "", "rejected": "", "missing": ""}


def _by_unit(plan: Plan, months: tuple[MonthStatus, ...], attr: str) -> tuple[int, str]:
    """Units named in ``attr`` of some month, each with its months: ``Thanh tra Sở (tháng 3, tháng 4)``."""
    seen: dict[str, list[str]] = {}
    for m in months:
        for unit in getattr(m, attr):
            seen.setdefault(unit, []).append(f"tháng {_month(m.code)}")
    order = [c for c in plan.reporting_unit_codes if c in seen]
    return len(order), ", ".join(f"{_names(plan, (c,))} ({', '.join(seen[c])})" for c in order)


def _trail_text(trail: TaskTrail) -> str:
    parts = []
    for p in trail.points:
        value = f"{fmt_number(p.percent)}%" if p.percent is not None else p.category.label.lower()
        parts.append(f"{value} (tháng {_month(p.month)})")
    return " → ".join(parts)


def add_period(ctx: dict[str, Any], plan: Plan, picture: PeriodPicture, tasks: Any) -> dict[str, Any]:
    """Fill the month-by-month keys of ``ctx`` (from ``report_context``) and return it.

    ``tasks`` is the consolidation's task table of the end-of-period state.
    """
    with_data = picture.months_with_data
    ctx["months"] = _months(plan, picture)
    ctx["as_of"] = month_names([picture.last_month]).lower() if picture.last_month else ""
    sent = {u for m in with_data for u in m.sent}
    missing_count, missing = _by_unit(plan, with_data, "missing")
    ctx["sent"] = {
        "count": len(sent),
        "expected": len(plan.reporting_unit_codes),
        "late": _by_unit(plan, with_data, "late")[1],
        "missing": missing,
        "missing_count": f"{missing_count:02d}",
    }
    texts = {t.code: t.text for t in plan.tasks}
    final = dict(zip(tasks["task_code"], tasks["category"], strict=True))
    ctx["completed"] = [
        {
            "task": f"{t.task_code}. {short_task(texts[t.task_code], 90)}",
            "lead": lead_name(plan, t.task_code),
            "month": month_names([t.completed_in]).lower(),
            "date": short_date(t.completed_on) if t.completed_on else "",
        }
        for t in picture.trails
        if t.completed_in and final.get(t.task_code) == Category.DONE
    ]
    ctx["trails"] = (
        [
            {
                "task": f"{t.task_code}. {short_task(texts[t.task_code], 90)}",
                "lead": lead_name(plan, t.task_code),
                "trail": _trail_text(t),
            }
            for t in picture.trails
            if t.points and final.get(t.task_code) != Category.DONE
        ]
        if len(with_data) > 1
        else []
    )
    period = parse_period(picture.code)
    ctx["annual"] = _annual(plan, period.year, final) if period.kind == "year" else {}
    return ctx


def _annual(plan: Plan, year: int, final: dict[str, str]) -> dict[str, Any]:
    """Done and carried over; the DDCI result of ``year`` against the year before, when the master has it."""
    done = sum(1 for c in final.values() if c == Category.DONE)
    out: dict[str, Any] = {
        "done": count_words(done),
        "carried": count_words(len(final) - done) if len(final) > done else "",
        "next_year": year + 1,
        "overall": "",
        "indicators": [],
    }
    earlier = [y for y in plan.years() if y < year]
    if year in plan.years() and earlier:
        changes = compute_changes(plan, (earlier[-1], year))
        out["overall"] = overall_sentence(plan, earlier[-1], year) or ""
        out["indicators"] = [
            {"name": c.name, "score_sentence": c.score_sentence, "rank_sentence": c.rank_sentence} for c in changes
        ]
    return out

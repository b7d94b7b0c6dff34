"""The data for the Word documents: plain dicts of final, formatted values; the words are the template's.

Pure: a Plan, the indicator changes and (for the Báo cáo) a consolidation in, a
docxtpl context out. In the docxtpl model the template owns the words and the code
supplies data: every fixed sentence ("Lãnh đạo Sở, Trưởng các phòng, đơn vị thuộc Sở
nêu cao tinh thần trách nhiệm…") is text of ``templates/*.docx`` a clerk can edit in
Word, with ``{{ }}`` where a name, a number or a date goes. What stays here is what
comes from the data: numbers formatted the Vietnamese way (``vnformat``), names looked
up, the units' own results attributed and de-duplicated, the comparison sentences of
``core.changes``. ``render``'s docstring lists every key.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xl_addin.core.changes import IndicatorChange, overall_sentence
from xl_addin.core.contracts import Category, Group, ReportKind
from xl_addin.core.model import ALL_UNITS, Plan, Task
from xl_addin.core.vnformat import (
    count_words,
    doc_number,
    fmt_decimal,
    fmt_number,
    nd30_date,
    place_date_line,
    short_date,
)


def split_agency_name(name: str, max_chars: int = 24) -> list[str]:
    """Break a long agency name into balanced lines for the 67.5 mm header column.

    ND30 allows the issuing agency's name to wrap; doing it deliberately ("SỞ TÀI
    NGUYÊN VÀ / MÔI TRƯỜNG") avoids Word's arbitrary break.
    """
    if len(name) <= max_chars:
        return [name]
    words = name.split()
    best, best_gap = [name], len(name)
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]), " ".join(words[i:])
        gap = abs(len(first) - len(second))
        if len(first) <= max_chars + 4 and len(second) <= max_chars + 4 and gap < best_gap:
            best, best_gap = [first, second], gap
    return best


def _common(plan: Plan, kind: ReportKind, number: int | None, date: dt.date | None, year: int) -> dict[str, Any]:
    agency = plan.agency
    recipients = list(agency.recipients_plan if kind == ReportKind.PLAN else agency.recipients_report)
    if kind == ReportKind.REPORT:
        recipients = ["Như trên", *[r for r in recipients if r.lower().rstrip(";.") != "như trên"]]
    lines = [f"- {r};" for r in recipients] + [f"- Lưu: VT, {agency.drafting_unit}."]
    authority = [agency.signer_authority, agency.signer_title] if agency.signer_authority else [agency.signer_title]
    return {
        "agency": {
            "parent_agency": agency.parent_agency,
            "issuing_agency_lines": split_agency_name(agency.issuing_agency),
            "name": agency.name,
            "short_name": agency.short_name,
            "province_committee": agency.province_committee,
        },
        "doc": {
            "number_line": doc_number(number, kind.abbreviation, agency.abbreviation),
            "place_date": place_date_line(agency.place, date, year),
        },
        "signer": {"authority_lines": authority, "name": agency.signer_name},
        "recipients": lines,
        "extra": plan.office_text(kind),
    }


# ---------------------------------------------------------------------------------------------
# Kế hoạch
# ---------------------------------------------------------------------------------------------


def plan_context(
    plan: Plan, changes: list[IndicatorChange], *, number: int | None = None, date: dt.date | None = None
) -> dict[str, Any]:
    """Context for ``ke_hoach.docx``: the seed plan's structure, numbers computed."""
    s = plan.settings
    year, base = changes[0].year, changes[0].base_year
    ctx = _common(
        plan, ReportKind.PLAN, number if number is not None else s.plan_number, date or s.plan_date, s.plan_year
    )
    focal = plan.unit(s.focal_unit)
    ctx["plan"] = {
        "year": s.plan_year,
        "basis": s.plan_basis,
        "announced": s.plan_context,
        "overall": overall_sentence(plan, base, year) or "",
        "detail_deadline": short_date(s.detail_plan_deadline) if s.detail_plan_deadline else "",
        "focal_unit": focal.name if focal else "Văn phòng",
    }
    ctx["ddci"] = {"year": year, "base_year": base, "indicators": count_words(len(changes))}
    ctx["indicators"] = [
        {
            "number": i,
            "name": c.name,
            "score_sentence": c.score_sentence,
            "rank_block": s.block_name if i == 1 else s.block_short,
            "rank_sentence": c.rank_sentence,
            "assessment": c.assessment,
        }
        for i, c in enumerate(changes, start=1)
    ]
    keep = [c for c in changes if c.group == Group.KEEP_UP]
    fix = [c for c in changes if c.group != Group.KEEP_UP]
    for key, items in (("keep", keep), ("fix", fix)):
        ctx[key] = {"count": count_words(len(items)), "items": [{"code": c.code, "name": c.name} for c in items]}
    groups = [(True, keep), (False, fix)]
    ctx["groups"] = [
        {
            "number": g,
            "keep": is_keep,
            "count": count_words(len(items)),
            "items": [_plan_item(plan, c, k) for k, c in enumerate(items, 1)],
        }
        for g, (is_keep, items) in enumerate(((k, i) for k, i in groups if i), start=1)
    ]
    return ctx


def assignment_text(plan: Plan, task: Task) -> str:
    """The italic responsibility line; the workbook's own wording wins when given."""
    if task.assignment_text:
        return task.assignment_text
    report = f"báo cáo định kỳ về kết quả thực hiện tại {task.reports_to}" if task.reports_to else ""
    if task.lead == ALL_UNITS:
        head = "Trưởng các phòng, đơn vị liên quan thực hiện"
    else:
        unit = plan.unit(task.lead)
        head = f"{unit.head_title if unit else task.lead} chủ trì"
        if task.support:
            if ALL_UNITS in task.support:
                head += ", phối hợp với Trưởng các phòng, đơn vị liên quan thực hiện"
            else:
                names = [u.name if (u := plan.unit(c)) else c for c in task.support]
                head += f", phối hợp với {', '.join(names)} thực hiện"
        else:
            head += " thực hiện"
    return f"{head}; {report}" if report else head


def _plan_item(plan: Plan, change: IndicatorChange, number: int) -> dict[str, Any]:
    ind = plan.indicator(change.code)
    assert ind is not None
    return {
        "number": number,
        "code": ind.code,
        "name": ind.name,
        "leader": f"Đ/c {ind.leader}" if ind.leader else "",
        "leader_title": ind.leader_title,
        "weaknesses": ind.weaknesses,
        "tasks": [
            {"text": t.text.rstrip(" .;"), "assignment": assignment_text(plan, t)}
            for t in plan.tasks
            if t.indicator_code == ind.code
        ],
    }


# ---------------------------------------------------------------------------------------------
# Báo cáo: the units' own words, attributed
# ---------------------------------------------------------------------------------------------


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(";,")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def attributed(pairs: list[tuple[str, str]]) -> list[str]:
    """De-duplicate texts (case and spacing ignored) and name every unit that wrote each."""
    order: list[str] = []
    units: dict[str, list[str]] = {}
    shown: dict[str, str] = {}
    for unit, text in pairs:
        key = re.sub(r"\W+", " ", text.casefold()).strip()
        if not key:
            continue
        if key not in units:
            order.append(key)
            units[key] = []
            shown[key] = _sentence(text)
        if unit not in units[key]:
            units[key].append(unit)
    return [f"{shown[k][:-1]} ({', '.join(units[k])})." for k in order]


def short_task(text: str, limit: int = 160) -> str:
    text = text.strip().rstrip(".;")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in (";", ". ", ","):
        pos = cut.rfind(mark)
        if pos > 60:
            return cut[:pos].rstrip(" ,;") + "…"
    return cut.rsplit(" ", 1)[0] + "…"


def lead_name(plan: Plan, code: str) -> str:
    task = next(t for t in plan.tasks if t.code == code)
    if task.lead == ALL_UNITS:
        return "Các phòng, đơn vị"
    unit = plan.unit(task.lead)
    return unit.name if unit else task.lead


def category_phrase(categories: Any) -> str:
    """``03 nhiệm vụ hoàn thành, 14 nhiệm vụ đang triển khai`` from a value count by category."""
    parts = [f"{int(categories.get(c, 0)):02d} nhiệm vụ {c.label.lower()}" for c in Category if categories.get(c, 0)]
    return ", ".join(parts) if parts else "chưa có nhiệm vụ nào được báo cáo"


def report_context(
    plan: Plan,
    changes: list[IndicatorChange],
    consolidation: Any,
    *,
    number: int | None = None,
    date: dt.date | None = None,
    submitted: int = 0,
    late: list[str] | None = None,
    missing: list[str] | None = None,
) -> dict[str, Any]:
    """Context for ``bao_cao.docx`` for one period, written from the units' own results.

    ``submitted``, ``late`` and ``missing`` are who sent the period's reports (names, as
    printed); a quarter, 6 months or a year adds month-by-month keys (``period_context``).
    """
    s = plan.settings
    late, missing = late or [], missing or []
    period = plan.period(consolidation.period_code)
    year = period.end.year if period else s.plan_year
    ctx = _common(plan, ReportKind.REPORT, number, date, year)
    symbol = f"{ReportKind.REPORT.abbreviation}-{plan.agency.abbreviation}"
    ctx["doc"]["ref_number"] = f"{number:02d}/{symbol}" if number is not None else f"     /{symbol}"
    ctx["doc"]["ref_date"] = nd30_date(date) if date else f"ngày      tháng      năm {year}"
    ctx["period"] = {"name": consolidation.period_name, "year": year}
    ctx["basis"] = s.report_basis
    tasks = consolidation.tasks
    ctx["counts"] = {
        "leaders": count_words(len({i.leader for i in plan.indicators if i.leader})),
        "indicators": count_words(len(plan.indicators)),
        "tasks": count_words(len(tasks)),
    }
    ctx["sent"] = {
        "count": submitted,
        "expected": len(plan.reporting_unit_codes),
        "late": ", ".join(late),
        "missing": ", ".join(missing),
        "missing_count": f"{len(missing):02d}",
    }
    # Keys a quarter, 6 months or a year fills (``period_context.add_period``); empty for a month.
    ctx.update({"months": [], "as_of": "", "completed": [], "trails": [], "annual": {}})
    ctx["categories"] = category_phrase(tasks["category"].value_counts())
    results = []
    for k, ind in enumerate(plan.indicators, start=1):
        t = tasks[tasks["indicator_code"] == ind.code]
        pairs = [pair for lst in t["lead_results"] for pair in lst]  # supporting units' results: appendix
        results.append(
            {
                "number": k,
                "name": ind.name,
                "count": count_words(len(t)),
                "categories": category_phrase(t["category"].value_counts()),
                "items": attributed(pairs),
            }
        )
    ctx["results"] = results
    ctx["difficulties"] = attributed([pair for lst in tasks["difficulties"] for pair in lst])
    ctx["proposals"] = attributed([pair for lst in tasks["proposals"] for pair in lst])
    unfinished = tasks[tasks["category"] != Category.DONE]
    ctx["next_tasks"] = [
        {"task": _sentence(short_task(row.text))[:-1], "lead": lead_name(plan, row.task_code)}
        for row in unfinished.itertuples(index=False)
    ]
    ctx["ddci"] = {"year": changes[0].year, "base_year": changes[0].base_year}
    ctx["appendix"] = {
        "progress_rows": [_progress_row(plan, i, row) for i, row in enumerate(tasks.itertuples(index=False), 1)],
        "change_rows": [_change_row(i, c) for i, c in enumerate(changes, start=1)],
    }
    return ctx


def _progress_row(plan: Plan, number: int, row: Any) -> dict[str, Any]:
    """One task of the appendix: each lead unit's result on its own line, "- … (Đơn vị)".

    The lead units answer for the task; the supporting units' rows are in the consolidated
    workbook (``tong_hop_<kỳ>.xlsx``, sheet Tiến độ). With them the demo appendix took 10
    landscape pages instead of 5.
    """
    return {
        "stt": str(number),
        "task": f"{row.task_code}. {short_task(row.text, 110)}",
        "lead": lead_name(plan, row.task_code),
        "status": Category(row.category).label,
        "percent": fmt_number(row.percent) if row.percent is not None else "",
        # One paragraph per unit in the cell: docxtpl starts a new paragraph at each "\a".
        "results": "\a".join(f"- {x}" for x in attributed(list(row.lead_results))),
    }


def _change_row(number: int, c: IndicatorChange) -> dict[str, str]:
    return {
        "stt": str(number),
        "name": c.name,
        "score_base": fmt_decimal(c.score_base) if c.score_base is not None else "",
        "score": fmt_decimal(c.score) if c.score is not None else "",
        "score_delta": _signed(c.score_delta) if c.score_delta is not None else "",
        "rank_base": _rank(c.rank_base, c.units_ranked_base),
        "rank": _rank(c.rank, c.units_ranked),
        "rank_delta": _signed_int(c.rank_delta) if c.rank_delta is not None else "",
        "group": Group(c.group).label,
    }


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + fmt_decimal(value)


def _signed_int(value: int) -> str:
    return f"+{value:02d}" if value > 0 else (f"-{-value:02d}" if value < 0 else "00")


def _rank(rank: int | None, units: int | None) -> str:
    if rank is None:
        return ""
    return f"{rank}/{units}" if units else str(rank)

"""The data for the Word documents: plain dicts of final, formatted Vietnamese strings.

Pure: a Plan, the indicator changes and (for the Báo cáo) a consolidation in, a
docxtpl context out. Every number is formatted here (``vnformat``), so templates
hold layout only and a clerk restyling them in Word cannot break a number.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from xl_addin.core.changes import IndicatorChange, overall_sentence
from xl_addin.core.contracts import Category, Group, ReportKind
from xl_addin.core.model import ALL_UNITS, Plan, Task
from xl_addin.core.vnformat import count_words, doc_number, fmt_decimal, fmt_number, place_date_line, short_date


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


def _common(plan: Plan, kind: str, number: int | None, date: dt.date | None, year: int) -> dict[str, Any]:
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
        },
        "doc": {
            "number_line": doc_number(number, ReportKind(kind).abbreviation, agency.abbreviation),
            "place_date": place_date_line(agency.place, date, year),
        },
        "signer": {"authority_lines": authority, "name": agency.signer_name},
        "recipients": lines,
    }


def _indicator_title(name: str) -> str:
    return f"Chỉ số “{name}”"


def plan_context(
    plan: Plan, changes: list[IndicatorChange], *, number: int | None = None, date: dt.date | None = None
) -> dict[str, Any]:
    """Context for ``ke_hoach.docx``: the seed plan's structure, numbers computed."""
    s, a = plan.settings, plan.agency
    year, base = changes[0].year, changes[0].base_year
    ctx = _common(
        plan, ReportKind.PLAN, number if number is not None else s.plan_number, date or s.plan_date, s.plan_year
    )
    ctx["doc"]["kind_title"] = "KẾ HOẠCH"
    ctx["doc"]["subject_lines"] = [
        "Về việc nâng cao chỉ số đánh giá năng lực cạnh tranh",
        f"của {a.name} năm {s.plan_year}",
    ]
    overall = overall_sentence(plan, base, year)
    result = f" Trong đó, năm {year} {a.name} được đánh giá {overall}." if overall else ""
    ctx["basis"] = s.plan_basis
    ctx["context_paragraph"] = (
        f"{s.plan_context}{result} Để khắc phục các chỉ số thành phần đạt điểm thấp nhằm cải thiện vị trí xếp hạng "
        f"trong năm {s.plan_year}, {a.name} xây dựng kế hoạch thực hiện như sau:"
    )
    short = a.short_name
    ctx["purpose_items"] = [
        f"- Xác định các chỉ số thành phần cần tập trung cải thiện trong năm {s.plan_year}. Xây dựng các giải pháp "
        "phải cụ thể, rõ việc, rõ người phụ trách, phòng, đơn vị thực hiện, thời gian triển khai khắc phục những "
        f"hạn chế năm {year}.",
        f"- Kế hoạch này được triển khai sâu rộng đến từng phòng, đơn vị thuộc {short} bằng những giải pháp cụ thể, "
        "đồng thời qua đánh giá kết quả thực hiện kế hoạch này là một trong các tiêu chí đánh giá cuối năm "
        f"{s.plan_year}. Tăng cường kiểm tra kỷ luật, kỷ cương hành chính, nâng cao chất lượng phục vụ người dân, "
        f"doanh nghiệp, chất lượng các dịch vụ công do {a.name} cung cấp.",
    ]
    ctx["requirement"] = (
        f"Lãnh đạo {short}, Trưởng các phòng, đơn vị thuộc {short} nêu cao tinh thần trách nhiệm trong tổ chức thực "
        "hiện, đôn đốc, kiểm tra, giám sát, xử lý kịp thời các phát sinh trong quá trình thực hiện các chỉ số thành "
        "phần DDCI tại Kế hoạch này."
    )
    n = len(changes)
    ctx["section2_title"] = (
        f"ĐÁNH GIÁ VỀ {count_words(n)} CHỈ SỐ THÀNH PHẦN NĂM {year} SO VỚI NĂM {base} CỦA {short.upper()}"
    )
    ctx["indicators"] = [
        {
            "number": i,
            "title": _indicator_title(c.name),
            "score_sentence": f"{c.score_sentence}.",
            "rank_label": f"Về thứ hạng so với {s.block_name if i == 1 else s.block_short}:",
            "rank_sentence": f"{c.rank_sentence}.",
            "assessment": c.assessment,
        }
        for i, c in enumerate(changes, start=1)
    ]
    keep = [c for c in changes if c.group == Group.KEEP_UP]
    fix = [c for c in changes if c.group != Group.KEEP_UP]

    def listing(items: list[IndicatorChange]) -> str:
        return "; ".join(f"({k}) chỉ số thứ {c.code}: {_indicator_title(c.name)}" for k, c in enumerate(items, 1))

    parts = []
    if keep:
        parts.append(
            f"cần phải phát huy và phấn đấu thực hiện tốt hơn nữa {count_words(len(keep))} chỉ số thành "
            f"phần, gồm: {listing(keep)}"
        )
    if fix:
        prefix = "đồng thời, " if keep else ""
        parts.append(
            f"{prefix}phấn đấu cải thiện {count_words(len(fix))} chỉ số thành phần còn thấp, gồm: {listing(fix)}"
        )
    ctx["section3_intro"] = (
        f"Trên cơ sở nội dung đánh giá của {count_words(n)} chỉ số thành phần tại Mục II Kế hoạch này, theo đó, "
        f"{'; '.join(parts)}, cụ thể như sau:"
    )
    groups = []
    if keep:
        groups.append(
            (
                f"TIẾP TỤC PHÁT HUY VÀ THỰC HIỆN TỐT HƠN NỮA {count_words(len(keep))} CHỈ SỐ TRONG NĂM {s.plan_year}",
                keep,
            )
        )
    if fix:
        groups.append(
            (
                f"PHẤN ĐẤU THỰC HIỆN KHẮC PHỤC {count_words(len(fix))} CHỈ SỐ THẤP ĐIỂM ĐƯỢC ĐÁNH GIÁ NĂM "
                f"{year} ĐỂ CẢI THIỆN ĐIỂM SỐ TRONG NĂM {s.plan_year}",
                fix,
            )
        )
    ctx["groups"] = [
        {"heading": f"({g}) {title}", "items": [_plan_item(plan, c, k, year) for k, c in enumerate(items, 1)]}
        for g, (title, items) in enumerate(groups, start=1)
    ]
    focal = plan.unit(s.focal_unit)
    focal_name = focal.name if focal else "Văn phòng"
    deadline = s.detail_plan_deadline
    ctx["organisation"] = [
        {
            "before": f"1. Yêu cầu các đồng chí Lãnh đạo {short} được phân công phụ trách từng chỉ số tại Kế hoạch "
            "này chủ động lãnh đạo, chỉ đạo tổ chức thực hiện đảm bảo có hiệu quả.",
            "bold": "",
            "after": "",
        },
        {
            "before": f"2. Các phòng, đơn vị thuộc {short} căn cứ nội dung Kế hoạch này chủ động xây dựng kế hoạch chi "
            "tiết" + (" " if deadline else ""),
            "bold": f"xong trước ngày {short_date(deadline)}" if deadline else "",
            "after": ", trong đó: yêu cầu phân công công chức, viên chức triển khai ngay các nội dung công việc để cải "
            "thiện điểm các chỉ số thành phần theo đúng tiến độ được giao.",
        },
        {
            "before": f"- Giao Trưởng các phòng, đơn vị thuộc {short} có trách nhiệm tổ chức quán triệt, triển khai "
            "thực hiện nghiêm túc, hiệu quả những nhiệm vụ nêu trong Kế hoạch đến toàn thể công chức, viên "
            "chức và người lao động; tập trung tổ chức thực hiện, đồng thời phối hợp chặt chẽ với các phòng, "
            "đơn vị liên quan hoàn thành các chỉ tiêu, nhiệm vụ được giao.",
            "bold": "",
            "after": "",
        },
        {"before": f"3. Giao {focal_name}:", "bold": "", "after": ""},
        {
            "before": "- Thường xuyên đôn đốc, theo dõi, kiểm tra tiến độ triển khai, thực hiện Kế hoạch này;",
            "bold": "",
            "after": "",
        },
        {
            "before": "- Là đầu mối, theo dõi, tổng hợp, báo cáo tình hình thực hiện Kế hoạch định kỳ hoặc đột xuất "
            f"theo yêu cầu gửi {a.province_committee}.",
            "bold": "",
            "after": "",
        },
    ]
    ctx["closing"] = (
        f"Trong quá trình triển khai thực hiện, đề nghị các phòng, đơn vị thuộc {short} kịp thời phản ánh khó khăn, "
        f"vướng mắc gửi ý kiến bằng văn bản về {focal_name} để báo cáo Giám đốc {short} xem xét, sửa đổi cho phù hợp "
        "với thực tế./."
    )
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


def _plan_item(plan: Plan, change: IndicatorChange, number: int, year: int) -> dict[str, Any]:
    ind = plan.indicator(change.code)
    assert ind is not None
    title = _indicator_title(ind.name)
    return {
        "number": number,
        "title": f"Chỉ số thứ {ind.code}: {title}",
        "leader": f"Đ/c {ind.leader}" if ind.leader else "",
        "leader_rest": f", {ind.leader_title} trực tiếp chỉ đạo." if ind.leader_title else ".",
        "weakness_label": f"Những hạn chế chính liên quan đến chỉ số “{ind.name}” trong năm {year} được chỉ ra:",
        "weaknesses": ind.weaknesses,
        "tasks": [
            {"text": t.text.rstrip(" .;"), "assignment": assignment_text(plan, t)}
            for t in plan.tasks
            if t.indicator_code == ind.code
        ],
    }


def _sentence(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip().rstrip(";,")
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _attributed(pairs: list[tuple[str, str]]) -> list[str]:
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


def _short_task(text: str, limit: int = 160) -> str:
    text = text.strip().rstrip(".;")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for mark in (";", ". ", ","):
        pos = cut.rfind(mark)
        if pos > 60:
            return cut[:pos].rstrip(" ,;") + "…"
    return cut.rsplit(" ", 1)[0] + "…"


def _lead_name(plan: Plan, task: Task) -> str:
    if task.lead == ALL_UNITS:
        return "Các phòng, đơn vị"
    unit = plan.unit(task.lead)
    return unit.name if unit else task.lead


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
    """Context for ``bao_cao.docx`` for one period, written from the units' own results."""
    s, a = plan.settings, plan.agency
    late, missing = late or [], missing or []
    period_name = consolidation.period_name
    period_code = consolidation.period_code
    period = plan.period(period_code)
    year = period.end.year if period else s.plan_year
    ctx = _common(plan, ReportKind.REPORT, number, date, year)
    ctx["doc"]["kind_title"] = "BÁO CÁO"
    ctx["doc"]["subject_lines"] = [
        "Kết quả thực hiện Kế hoạch nâng cao chỉ số đánh giá",
        f"năng lực cạnh tranh (DDCI) {period_name}",
    ]
    ctx["addressee"] = a.province_committee
    ctx["period_name"] = period_name
    ctx["basis"] = s.report_basis
    tasks = consolidation.tasks
    leaders = sorted({i.leader for i in plan.indicators if i.leader})
    units_reporting = [u for u in plan.units if u.reports]
    leadership = [
        f"Lãnh đạo {a.short_name} đã phân công {count_words(len(leaders))} đồng chí Lãnh đạo trực tiếp chỉ đạo "
        f"{count_words(len(plan.indicators))} chỉ số thành phần; giao các phòng, đơn vị chủ trì, phối hợp thực hiện "
        f"{count_words(len(plan.tasks))} nhiệm vụ, giải pháp; định kỳ kiểm điểm kết quả tại cuộc họp giao ban hằng "
        "tháng.",
        f"Văn phòng {a.short_name} đã gửi biểu mẫu, hướng dẫn và đôn đốc các phòng, đơn vị báo cáo kết quả thực hiện "
        f"{period_name}; có {submitted}/{len(units_reporting)} phòng, đơn vị gửi báo cáo"
        + (f" (nộp muộn: {', '.join(late)})" if late else "")
        + (f"; chưa nộp: {', '.join(missing)}" if missing else "")
        + ".",
    ]
    ctx["leadership"] = leadership
    counts = tasks["category"].value_counts()

    def count_phrase(c) -> str:
        parts = [f"{int(c.get(cat, 0)):02d} nhiệm vụ {cat.label.lower()}" for cat in Category if c.get(cat, 0)]
        return ", ".join(parts) if parts else "chưa có nhiệm vụ nào được báo cáo"

    ctx["results_intro"] = (
        f"Trong {period_name}, {a.name} triển khai {count_words(len(tasks))} nhiệm vụ, giải pháp của Kế hoạch; "
        f"trong đó {count_phrase(counts)}."
    )
    results = []
    for k, ind in enumerate(plan.indicators, start=1):
        t = tasks[tasks["indicator_code"] == ind.code]
        pairs = [pair for lst in t["lead_results"] for pair in lst]  # supporting units' results: appendix
        items = [f"- {x}" for x in _attributed(pairs)] or ["- Chưa có kết quả được báo cáo trong kỳ."]
        results.append(
            {
                "number": k,
                "title": _indicator_title(ind.name),
                "counts_sentence": f"Có {count_words(len(t))} nhiệm vụ: {count_phrase(t['category'].value_counts())}.",
                "items": items,
            }
        )
    ctx["results"] = results
    difficulties = [pair for lst in tasks["difficulties"] for pair in lst]
    proposals = [pair for lst in tasks["proposals"] for pair in lst]
    ctx["difficulties"] = [f"- {x}" for x in _attributed(difficulties)] or [
        "- Trong kỳ, các phòng, đơn vị không báo cáo khó khăn, vướng mắc."
    ]
    if missing:
        ctx["difficulties"].append(
            f"- Còn {len(missing):02d} phòng, đơn vị chưa gửi báo cáo đúng hạn: {', '.join(missing)}."
        )
    unfinished = tasks[tasks["category"] != Category.DONE]
    ctx["next_tasks"] = [
        f"- {_sentence(_short_task(row.text))[:-1]} ({_lead_name(plan, _task(plan, row.task_code))} chủ trì)."
        for row in unfinished.itertuples(index=False)
    ] or ["- Duy trì kết quả các nhiệm vụ đã hoàn thành."]
    ctx["proposals"] = [f"- {x}" for x in _attributed(proposals)] or [
        "- Trong kỳ, các phòng, đơn vị không có đề xuất, kiến nghị."
    ]
    ctx["closing"] = (
        f"Trên đây là báo cáo kết quả thực hiện Kế hoạch nâng cao chỉ số DDCI {period_name} của {a.name}, kính báo "
        f"cáo {a.province_committee} xem xét, chỉ đạo./."
    )
    base, yr = changes[0].base_year, changes[0].year
    ctx["appendix"] = {
        "number_line": f"(Kèm theo Báo cáo số      /BC-{a.abbreviation} ngày      tháng      năm {year} của {a.name})",
        "progress_title": f"TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP {period_name.upper()}",
        "progress_rows": [
            {
                "stt": str(i),
                "task": f"{row.task_code}. {_short_task(row.text, 140)}",
                "lead": _lead_name(plan, _task(plan, row.task_code)),
                "status": Category(row.category).label,
                "percent": fmt_number(row.percent) if row.percent is not None else "",
                "result": " ".join(_attributed(row.lead_results)),
            }
            for i, row in enumerate(tasks.itertuples(index=False), start=1)
        ],
        "change_title": f"BIẾN ĐỘNG ĐIỂM SỐ, THỨ HẠNG CÁC CHỈ SỐ THÀNH PHẦN NĂM {yr} SO VỚI NĂM {base}",
        "base_year": base,
        "year": yr,
        "change_rows": [
            {
                "stt": str(i),
                "name": c.name,
                "score_base": fmt_decimal(c.score_base) if c.score_base is not None else "",
                "score": fmt_decimal(c.score) if c.score is not None else "",
                "score_delta": _signed(c.score_delta) if c.score_delta is not None else "",
                "rank_base": _rank(c.rank_base, c.units_ranked_base),
                "rank": _rank(c.rank, c.units_ranked),
                "rank_delta": _signed_int(c.rank_delta) if c.rank_delta is not None else "",
                "group": Group(c.group).label,
            }
            for i, c in enumerate(changes, start=1)
        ],
        "chart_title": f"Điểm số các chỉ số thành phần năm {base} và năm {yr}",
    }
    return ctx


def _task(plan: Plan, code: str) -> Task:
    return next(t for t in plan.tasks if t.code == code)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + fmt_decimal(value)


def _signed_int(value: int) -> str:
    return f"+{value:02d}" if value > 0 else (f"-{-value:02d}" if value < 0 else "00")


def _rank(rank: int | None, units: int | None) -> str:
    if rank is None:
        return ""
    return f"{rank}/{units}" if units else str(rank)

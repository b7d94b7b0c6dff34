"""The mails of ``ddci remind``: who has not sent, who sent late, whose file must be fixed.

Pure: the validation result of the period in, ``Draft`` records out; a unit that sent
on time without errors gets nothing. The problems of a returned file are listed in
the body as the findings word them (the cell, what is wrong, how to fix it), errors
first, then the warnings nobody has to fix.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.contracts import Finding, Rule, Severity, UnitState
from xl_addin.core.model import Period, Plan, Unit
from xl_addin.core.periods import parse_period
from xl_addin.core.submissions import UnitStatus, ValidationResult
from xl_addin.core.vnformat import short_date
from xl_addin.routine.addresses import Recipients
from xl_addin.routine.drafts import SUBJECT_TAG, Draft, Letterhead, deadline_sentence, how_to_fill

CHASED = (UnitState.MISSING, UnitState.REJECTED, UnitState.LATE)
_FILE_PREFIX = {UnitState.MISSING: "nhac_chua_nop", UnitState.REJECTED: "tra_lai_sua_loi", UnitState.LATE: "nop_muon"}
_NOT_IN_BODY = (Rule.LATE, Rule.DUPLICATE, Rule.MISSING)  # said in the letter itself, or about another file


@dataclass(frozen=True)
class ReminderInput:
    """What one chased unit's mail needs besides the plan: its status, its problems, its attachment."""

    status: UnitStatus
    findings: list[Finding]
    attachment: Path | None


def unit_findings(result: ValidationResult, status: UnitStatus) -> list[Finding]:
    """The problems of the file a unit's status rests on, errors first, in the order validate found them."""
    own = [
        f
        for f in result.findings
        if f.file == status.file and f.unit in (status.unit, "") and f.rule not in _NOT_IN_BODY
    ]
    return sorted(own, key=lambda f: f.severity != Severity.ERROR)


def place(f: Finding) -> str:
    """``Ô E5, trang “Tiến độ”``; ``Trang “Tiến độ”``; ``Tệp`` for problems of the file itself."""
    if f.cell and f.sheet:
        return f"Ô {f.cell}, trang “{f.sheet}”"
    if f.cell:
        return f"Ô {f.cell}"
    if f.sheet:
        return f"Trang “{f.sheet}”"
    return "Cả tệp"


def _numbered(items: list[Finding]) -> list[str]:
    return [f"{n}. {place(f)}: {f.message}" for n, f in enumerate(items, start=1)]


def _next_period(plan: Plan, period: Period) -> Period | None:
    kind = parse_period(period.code).kind
    later = [p for p in plan.periods if p.end > period.end and parse_period(p.code).kind == kind]
    return min(later, key=lambda p: p.end, default=None)


def _missing(unit: Unit, period: Period, head: Letterhead, item: ReminderInput, today: dt.date) -> tuple[str, str]:
    when = deadline_sentence(period, today)
    attached = f" (gửi kèm lại biểu mẫu “{item.attachment.name}” để tiện sử dụng)" if item.attachment else ""
    body = [
        f"Đến ngày {short_date(today)}, {head.sender} chưa nhận được báo cáo tiến độ {period.name} của {unit.name}. "
        f"{when}",
        "",
        f"Đề nghị đơn vị điền biểu mẫu{attached} và gửi về {head.sender} sớm nhất có thể. Nếu đơn vị đã gửi, xin "
        f"bỏ qua thư này và trả lời cho biết đã gửi ngày nào, qua đường nào để {head.sender} kiểm tra lại.",
        "",
        how_to_fill(),
    ]
    short = (
        f"{head.sender} chưa nhận được báo cáo tiến độ DDCI {period.name} của {unit.name}. {when} Đề nghị đơn vị "
        "gửi sớm; nếu đã gửi xin báo lại. Trân trọng."
    )
    return "\n".join(body), short


def _rejected(unit: Unit, period: Period, head: Letterhead, item: ReminderInput, today: dt.date) -> tuple[str, str]:
    status = item.status
    errors = [f for f in item.findings if f.severity == Severity.ERROR]
    warnings = [f for f in item.findings if f.severity != Severity.ERROR]
    received = f" lúc {status.received:%H:%M} ngày {short_date(status.received.date())}" if status.received else ""
    body = [
        f"{head.sender} đã nhận tệp “{Path(status.file).name}” của {unit.name}{received}, nhưng tệp có "
        f"{len(errors)} lỗi nên chưa được đưa vào tổng hợp {period.name}.",
        "",
    ]
    if item.attachment:
        body += [
            f"Tệp gửi kèm “{item.attachment.name}” là bản sao tệp đơn vị đã gửi: các ô lỗi được tô màu và có ghi "
            "chú, trang đầu liệt kê các lỗi. Đơn vị có thể sửa ngay trên tệp này.",
            "",
        ]
    body += ["Đề nghị đơn vị sửa các lỗi sau, lưu lại và gửi lại tệp:", *_numbered(errors)]
    if warnings:
        body += ["", "Lưu ý thêm (không bắt buộc sửa, đề nghị đơn vị xem lại):", *_numbered(warnings)]
    late = today > period.deadline
    again = "sớm nhất có thể" if late else f"trước hết ngày {short_date(period.deadline)}"
    body += ["", f"Đề nghị đơn vị gửi lại {again}."]
    short = (
        f"Báo cáo tiến độ DDCI {period.name} của {unit.name} có {len(errors)} lỗi cần sửa ({head.sender} đã gửi "
        f"thư kèm tệp đánh dấu lỗi). Đề nghị đơn vị sửa và gửi lại {again}. Trân trọng."
    )
    return "\n".join(body), short


def _late(unit: Unit, period: Period, head: Letterhead, item: ReminderInput, plan: Plan) -> tuple[str, str]:
    status = item.status
    received = f" lúc {status.received:%H:%M} ngày {short_date(status.received.date())}" if status.received else ""
    upcoming = _next_period(plan, period)
    next_text = (
        f" Báo cáo {upcoming.name} hạn nộp là hết ngày {short_date(upcoming.deadline)}." if upcoming is not None else ""
    )
    body = [
        f"{head.sender} cảm ơn {unit.name} đã gửi báo cáo tiến độ {period.name}. Tệp “{Path(status.file).name}” "
        f"được nhận{received}, sau hạn nộp (hết ngày {short_date(period.deadline)}).",
        "",
        "Báo cáo không có lỗi, đơn vị không phải làm gì thêm. Để kịp tổng hợp báo cáo gửi cấp trên, đề nghị đơn "
        f"vị gửi đúng hạn ở các kỳ sau.{next_text}",
    ]
    short = (
        f"{head.sender} đã nhận báo cáo tiến độ DDCI {period.name} của {unit.name} (sau hạn "
        f"{short_date(period.deadline)}); báo cáo không có lỗi, không phải làm gì thêm. Đề nghị các kỳ sau gửi "
        f"đúng hạn.{next_text} Trân trọng."
    )
    return "\n".join(body), short


def reminder_draft(
    plan: Plan, period: Period, head: Letterhead, to: tuple[str, ...], item: ReminderInput, today: dt.date
) -> Draft | None:
    """The mail for one unit, or None when there is nothing to chase."""
    status = item.status
    unit = plan.unit(status.unit)
    if unit is None or status.state not in CHASED:
        return None
    deadline = short_date(period.deadline)
    if status.state == UnitState.MISSING:
        overdue = " (đã quá hạn)" if today > period.deadline else ""
        subject = f"{SUBJECT_TAG} Nhắc nộp báo cáo tiến độ {period.name} – {unit.name} – hạn nộp {deadline}{overdue}"
        body, short = _missing(unit, period, head, item, today)
    elif status.state == UnitState.REJECTED:
        subject = f"{SUBJECT_TAG} Đề nghị sửa báo cáo tiến độ {period.name} – {unit.name} – {status.errors} lỗi"
        body, short = _rejected(unit, period, head, item, today)
    else:
        subject = f"{SUBJECT_TAG} Đã nhận báo cáo tiến độ {period.name} – {unit.name} (nộp sau hạn {deadline})"
        body, short = _late(unit, period, head, item, plan)
    text = f"Kính gửi: {unit.name}.\n\n{body}\n\n{head.signature}"
    name = f"{_FILE_PREFIX[status.state]}_{unit.code}_{period.code}.eml"
    return Draft(unit.code, unit.name, status.state, to, subject, text, short, item.attachment, name)


def reminder_drafts(
    plan: Plan,
    result: ValidationResult,
    recipients: Recipients,
    attachments: dict[str, Path | None],
    head: Letterhead,
    today: dt.date,
) -> list[Draft]:
    """A mail for every unit with something to chase, in the order of the DonVi table."""
    drafts = []
    for status in result.units:
        item = ReminderInput(status, unit_findings(result, status), attachments.get(status.unit))
        draft = reminder_draft(plan, result.period, head, recipients.of(status.unit), item, today)
        if draft is not None:
            drafts.append(draft)
    return drafts

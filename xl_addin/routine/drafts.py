"""Email drafts as plain data: who to, the subject, the body, the file attached.

Pure: a Plan, a Period and the paths of the files to attach in, ``Draft`` records out.
``eml.py`` turns a draft into an ``.eml`` file, ``zalo.py`` its ``short`` text into the
Zalo list. This module words the template mail of ``ddci send``; ``reminders.py`` the
mails of ``ddci remind``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.contracts import UnitState
from xl_addin.core.model import Period, Plan, Unit
from xl_addin.core.vnformat import short_date
from xl_addin.forms import layout as L
from xl_addin.routine.addresses import Recipients

SUBJECT_TAG = "[DDCI]"


@dataclass(frozen=True)
class Draft:
    """One email to one unit, ready to be written as an ``.eml`` file."""

    unit: str
    unit_name: str
    state: UnitState | None  # None: the template mail of ``ddci send``; else why the unit is chased
    to: tuple[str, ...]
    subject: str
    body: str
    short: str  # the same request in a few lines, for Zalo
    attachment: Path | None
    file_name: str  # of the .eml


@dataclass(frozen=True)
class Letterhead:
    """Who writes: the focal unit (Văn phòng Sở) of the agency, and its address for ``From``."""

    sender: str  # "Văn phòng Sở"
    agency: str  # "Sở Tài nguyên và Môi trường"
    plan_year: int
    address: str | None

    @property
    def signature(self) -> str:
        return f"Trân trọng./.\n\n{self.sender}\n{self.agency}"

    @property
    def plan_name(self) -> str:
        return f"Kế hoạch nâng cao chỉ số năng lực cạnh tranh (DDCI) năm {self.plan_year} của {self.agency}"


def letterhead(plan: Plan, recipients: Recipients) -> Letterhead:
    focal = plan.unit(plan.settings.focal_unit)
    own = recipients.of(focal.code) if focal else ()
    return Letterhead(
        focal.name if focal else "Văn phòng", plan.agency.name, plan.settings.plan_year, next(iter(own), None)
    )


def days_text(days: int) -> str:
    """``3 ngày``; ``1 ngày``."""
    return f"{days} ngày"


def deadline_sentence(period: Period, today: dt.date) -> str:
    """Where today stands against the period's deadline, in one clause."""
    deadline = short_date(period.deadline)
    left = (period.deadline - today).days
    if left > 0:
        return f"Hạn nộp là hết ngày {deadline} (còn {days_text(left)})."
    if left == 0:
        return f"Hạn nộp là hết ngày hôm nay, {deadline}."
    return f"Hạn nộp là hết ngày {deadline}; đến hôm nay ({short_date(today)}) đã quá hạn {days_text(-left)}."


def task_counts(plan: Plan, unit_code: str) -> str:
    """``18 nhiệm vụ của đơn vị (13 chủ trì, 5 phối hợp)``."""
    roles = [role for _, role in plan.tasks_for(unit_code)]
    parts = [f"{roles.count(r)} {label.lower()}" for r, label in L.ROLE_LABELS.items() if roles.count(r)]
    return f"{len(roles)} nhiệm vụ của đơn vị" + (f" ({', '.join(parts)})" if parts else "")


def how_to_fill() -> str:
    """The template's own instructions (the same words as its ``Thông tin`` sheet)."""
    return "\n".join(L.INSTRUCTIONS)


def template_draft(plan: Plan, unit: Unit, period: Period, head: Letterhead, to: tuple[str, ...], file: Path) -> Draft:
    """The mail that sends a unit its template for the period."""
    deadline = short_date(period.deadline)
    subject = f"{SUBJECT_TAG} Báo cáo tiến độ {period.name} – {unit.name} – hạn nộp {deadline}"
    body = "\n".join(
        [
            f"Kính gửi: {unit.name}.",
            "",
            f"Thực hiện {head.plan_name}, {head.sender} gửi {unit.name} biểu mẫu báo cáo tiến độ {period.name} "
            f"(tệp đính kèm “{file.name}”, đã điền sẵn {task_counts(plan, unit.code)}).",
            "",
            f"Thời gian chốt số liệu: từ ngày {short_date(period.start)} đến ngày {short_date(period.end)}. "
            f"Hạn nộp: hết ngày {deadline}.",
            "",
            how_to_fill(),
            "",
            f"Sau khi điền, đề nghị đơn vị trả lời thư này, đính kèm tệp đã điền (tên tệp giữ nguyên hay đổi đều "
            f"được), trước hết ngày {deadline}.",
            "",
            head.signature,
        ]
    )
    short = (
        f"{head.sender} đề nghị {unit.name} gửi báo cáo tiến độ DDCI {period.name} (điền vào tệp “{file.name}” "
        f"theo hướng dẫn trong tệp) trước hết ngày {deadline}. Trân trọng."
    )
    name = f"gui_bieu_mau_{unit.code}_{period.code}.eml"
    return Draft(unit.code, unit.name, None, to, subject, body, short, file, name)


def template_drafts(
    plan: Plan, period: Period, recipients: Recipients, templates: dict[str, Path], head: Letterhead
) -> list[Draft]:
    """One template mail per reporting unit, in the order of the DonVi table."""
    drafts = []
    for code in plan.reporting_unit_codes:
        unit = plan.unit(code)
        if unit is not None and code in templates:
            drafts.append(template_draft(plan, unit, period, head, recipients.of(code), templates[code]))
    return drafts

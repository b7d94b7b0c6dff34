"""The plan as data: frozen dataclasses, no I/O.

Nothing about Lạng Sơn or Sở TN&MT lives in code: in 2025 the department was merged
and district level abolished, so agency names, abbreviations, the indicator set and
the units all come from the master workbook (or, for the demo, from ``seed.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xl_addin.core.contracts import Group, ReportKind

ALL_UNITS = "*"  # a task every unit carries out ("Trưởng các phòng, đơn vị liên quan")


@dataclass(frozen=True)
class Agency:
    """The issuing department and how its documents are signed and addressed."""

    parent_agency: str  # cơ quan chủ quản, as printed: "UBND TỈNH LẠNG SƠN"
    issuing_agency: str  # cơ quan ban hành, as printed: "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    name: str  # in running text: "Sở Tài nguyên và Môi trường"
    short_name: str  # how the text refers to it: "Sở"
    abbreviation: str  # in document numbers: "STNMT"
    place: str  # địa danh: "Lạng Sơn"
    province_committee: str  # addressee: "Ủy ban nhân dân tỉnh Lạng Sơn"
    signer_authority: str  # "" or "KT. GIÁM ĐỐC"
    signer_title: str  # "GIÁM ĐỐC"
    signer_name: str
    drafting_unit: str  # "VP" in "Lưu: VT, VP."
    recipients_plan: tuple[str, ...]
    recipients_report: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    """Plan-level settings (sheet CauHinh) besides the agency."""

    plan_year: int
    base_year: int | None  # None: the last two years present in ChiSo
    compare_year: int | None
    bottom_share: float  # the bottom group is the last ceil(n * share) places
    block_name: str  # "các Sở, ban, ngành (SBN)"
    block_short: str  # "các SBN"
    plan_number: int | None
    plan_date: dt.date | None
    plan_basis: str  # the căn cứ paragraph of the Kế hoạch
    plan_context: str  # the paragraph with the announced overall result
    detail_plan_deadline: dt.date | None  # "xong trước ngày 28/02/2024"
    current_period: str  # e.g. "2024-03"
    submission_grace_days: int  # deadline = cut-off end + this many days
    report_basis: str  # one-line căn cứ of the Báo cáo
    focal_unit: str  # code of the unit that consolidates (Văn phòng Sở)


@dataclass(frozen=True)
class Unit:
    """A division (phòng, đơn vị) that carries out tasks and reports on them."""

    code: str
    name: str
    head_title: str  # "Chánh Văn phòng Sở"
    reports: bool = True  # expected to submit every period
    email: str = ""  # as typed in the DonVi table (checked where a draft is written, never corrected)


@dataclass(frozen=True)
class YearResult:
    """An indicator's (or the overall) score and rank in one DDCI year."""

    year: int
    score: float | None
    rank: int | None
    units_ranked: int | None


@dataclass(frozen=True)
class Indicator:
    """A component indicator (chỉ số thành phần) and its leader, weaknesses, results."""

    code: str
    name: str
    leader: str  # "Nguyễn Ngọc Thiều"
    leader_title: str  # "Giám đốc Sở"
    weaknesses: str
    results: tuple[YearResult, ...]
    group_override: Group | None = None
    assessment_override: str | None = None

    def result(self, year: int) -> YearResult | None:
        return next((r for r in self.results if r.year == year), None)


@dataclass(frozen=True)
class Task:
    """A measure (giải pháp, nhiệm vụ) under an indicator, with who does it."""

    code: str  # "4.1"
    indicator_code: str
    text: str
    lead: str  # unit code, or ALL_UNITS
    support: tuple[str, ...]  # unit codes; (ALL_UNITS,) for "các phòng, đơn vị liên quan"
    reports_to: str  # "cuộc họp giao ban hằng tháng"
    cadence: str  # "Hằng tháng"
    deadline: dt.date | None = None
    assignment_text: str = ""  # the italic responsibility line; generated when empty
    recurring: bool = True
    carried_over: bool = False  # unfinished last plan year, carried into this one (``ddci new-year``)

    def units(self, all_codes: tuple[str, ...]) -> dict[str, str]:
        """Unit code → role (``lead`` / ``support``) for this task."""
        roles: dict[str, str] = {}
        leads = all_codes if self.lead == ALL_UNITS else (self.lead,)
        for code in leads:
            roles[code] = "lead"
        supports = all_codes if ALL_UNITS in self.support else self.support
        for code in supports:
            roles.setdefault(code, "support")
        return roles


@dataclass(frozen=True)
class Period:
    """A reporting period (kỳ báo cáo) with its ND 09/2019 cut-off window."""

    code: str  # "2024-03", "2024-Q1", "2024-H1", "2024"
    name: str  # "tháng 3 năm 2024"
    start: dt.date  # first day of the cut-off window
    end: dt.date  # last day of the cut-off window
    deadline: dt.date  # units submit by the end of this day


@dataclass(frozen=True)
class OfficeText:
    """A paragraph the office writes itself (table NoiDungBoSung), printed in one mục of a document.

    The text is printed as typed (with its own "- " when it is a bullet), in the body style,
    at the place the Word template keeps for that mục (README, "Nội dung bổ sung").
    """

    document: ReportKind
    section: str  # the mục's Roman numeral: "IV"
    order: int
    text: str


@dataclass(frozen=True)
class Plan:
    """Everything the master workbook holds."""

    agency: Agency
    settings: Settings
    units: tuple[Unit, ...]
    indicators: tuple[Indicator, ...]
    tasks: tuple[Task, ...]
    periods: tuple[Period, ...]
    overall: tuple[YearResult, ...] = field(default=())
    paragraphs: tuple[OfficeText, ...] = field(default=())

    def office_text(self, document: ReportKind) -> dict[str, list[str]]:
        """Mục → the office's paragraphs for it in ``document``, in their order (every mục present)."""
        chosen = sorted((p for p in self.paragraphs if p.document == document), key=lambda p: p.order)
        return {sec: [p.text for p in chosen if p.section == sec] for sec in document.sections}

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def period(self, code: str) -> Period | None:
        return next((p for p in self.periods if p.code == code), None)

    @property
    def unit_codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.units)

    @property
    def reporting_unit_codes(self) -> tuple[str, ...]:
        return tuple(u.code for u in self.units if u.reports)

    def tasks_for(self, unit_code: str) -> list[tuple[Task, str]]:
        """The tasks a unit reports on, with its role, in plan order."""
        codes = self.reporting_unit_codes
        out = []
        for task in self.tasks:
            role = task.units(codes).get(unit_code)
            if role:
                out.append((task, role))
        return out

    def years(self) -> list[int]:
        return sorted({r.year for ind in self.indicators for r in ind.results})

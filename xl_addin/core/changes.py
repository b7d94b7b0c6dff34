"""Indicator changes year over year, worded exactly as section II of the plan.

Pure functions: a ``Plan`` in, ``IndicatorChange`` records out. The sentences are
computed from the numbers, never copied: the seed plan itself says "tăng 01 bậc"
for an indicator whose rank went 23 → 24, and a clerk copying last year's text
makes the same mistake. Manual text in the workbook still wins, but is checked.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from xl_addin.core.contracts import Group
from xl_addin.core.model import Indicator, Plan, YearResult
from xl_addin.core.vnformat import fmt_decimal, fmt_steps, round_half_up

STRONG_SCORE = Decimal("1.00")  # a change this large is "tăng cao" / "giảm rất nhiều"
WEAK_SCORE = Decimal("0.30")  # below this a rise is "tăng thấp"
STRONG_RANK = 5  # places


@dataclass(frozen=True)
class IndicatorChange:
    """One indicator compared between two years; ``None`` fields mean missing data."""

    code: str
    name: str
    base_year: int
    year: int
    score_base: float | None
    score: float | None
    score_delta: float | None
    rank_base: int | None
    rank: int | None
    rank_delta: int | None  # positive = moved up
    units_ranked_base: int | None
    units_ranked: int | None
    score_sentence: str
    rank_sentence: str
    group: str
    group_computed: str
    assessment: str
    assessment_computed: str
    in_bottom_group: bool
    warnings: tuple[str, ...] = field(default=())

    @property
    def has_data(self) -> bool:
        """Both years' scores and ranks are known, so the group and the assessment come from numbers."""
        return self.score_delta is not None and self.rank_delta is not None

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["warnings"] = list(self.warnings)
        return data


def compared_years(plan: Plan) -> tuple[int, int]:
    """The two years compared: from settings, else the last two present in the data."""
    settings = plan.settings
    if settings.base_year and settings.compare_year:
        return settings.base_year, settings.compare_year
    years = plan.years()
    if len(years) < 2:
        raise ValueError("need two years")
    if settings.compare_year:
        earlier = [y for y in years if y < settings.compare_year]
        return (earlier[-1] if earlier else years[-2]), settings.compare_year
    return years[-2], years[-1]


def bottom_places(units_ranked: int, share: float) -> int:
    """How many last places form the bottom group: ⌈n × share⌉ (5 of 25 at 20 %)."""
    return math.ceil(units_ranked * share - 1e-9)


def in_bottom(rank: int | None, units_ranked: int | None, share: float) -> bool:
    if rank is None or not units_ranked:
        return False
    return rank > units_ranked - bottom_places(units_ranked, share)


def score_sentence(year: int, score: float | None, base_year: int, base: float | None) -> str:
    """``Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm)``."""
    if score is None or base is None:
        return _missing_sentence("điểm số", year if score is None else base_year)
    now, before = round_half_up(score), round_half_up(base)
    head = f"Năm {year} ({fmt_decimal(now)} điểm)"
    tail = f"năm {base_year} ({fmt_decimal(before)} điểm)"
    if now == before:
        return f"{head} bằng với {tail}"
    verb = "tăng" if now > before else "giảm"
    return f"{head} {verb} {fmt_decimal(abs(now - before))} điểm so với {tail}"


def rank_sentence(
    year: int, rank: int | None, units: int | None, base_year: int, rank_base: int | None, units_base: int | None
) -> str:
    """``Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm 2022 (xếp thứ 25/25)``."""
    if rank is None or rank_base is None:
        return _missing_sentence("thứ hạng", year if rank is None else base_year)
    head = f"Năm {year} (xếp thứ {_rank(rank, units)})"
    tail = f"năm {base_year} (xếp thứ {_rank(rank_base, units_base)})"
    if rank == rank_base:
        return f"{head} bằng với {tail}"
    verb = "tăng" if rank < rank_base else "giảm"
    return f"{head} {verb} {fmt_steps(rank_base - rank)} bậc so với {tail}"


def overall_sentence(plan: Plan, base_year: int, year: int) -> str | None:
    """``xếp hạng thứ 21/25 đơn vị, tăng 04 bậc so với năm 2022`` (None without data)."""
    now = _find(plan.overall, year)
    before = _find(plan.overall, base_year)
    if not now or now.rank is None:
        return None
    text = f"xếp hạng thứ {_rank(now.rank, now.units_ranked)} đơn vị"
    if not before or before.rank is None:
        return text
    if before.rank == now.rank:
        return f"{text}, giữ nguyên thứ hạng so với năm {base_year}"
    verb = "tăng" if now.rank < before.rank else "giảm"
    return f"{text}, {verb} {fmt_steps(before.rank - now.rank)} bậc xếp hạng so với năm {base_year}"


def results_to_enter(plan: Plan, changes: list[IndicatorChange]) -> list[str]:
    """Plain sentences naming the scores and ranks still to be typed in, year by year (empty when complete)."""
    out: list[str] = []
    if not changes:
        return out

    def lacks(c: IndicatorChange, year: int) -> bool:
        return None in ((c.score_base, c.rank_base) if year == c.base_year else (c.score, c.rank))

    for year in sorted({changes[0].base_year, changes[0].year}):
        lacking = [c.code for c in changes if lacks(c, year)]
        if not lacking:
            continue
        which = f"cả {len(changes)} chỉ số" if len(lacking) == len(changes) else f"các chỉ số {', '.join(lacking)}"
        out.append(
            f"Chưa nhập đủ điểm số, thứ hạng năm {year} của {which}: khi có kết quả công bố, hãy nhập các cột "
            f"“Điểm {year}”, “Hạng {year}”, “Số đơn vị {year}” trên trang “Chỉ số” của bảng tính chính."
        )
    last = changes[0].year
    overall = _find(plan.overall, last)
    if plan.overall and (overall is None or overall.rank is None):
        out.append(f"Chưa nhập hạng chung năm {last}: hãy nhập dòng năm {last} trên trang “Kết quả chung”.")
    return out


def _rank(rank: int, units: int | None) -> str:
    return f"{rank}/{units}" if units else str(rank)


def _missing_sentence(what: str, year: int) -> str:
    return f"Chưa có số liệu {what} năm {year}"


def _find(results: tuple[YearResult, ...], year: int) -> YearResult | None:
    return next((r for r in results if r.year == year), None)


def compute_group(score_delta: Decimal | None, rank_delta: int | None, bottom: bool) -> str:
    """Keep up (phát huy) only when the score rose, the rank improved and it is out of the bottom."""
    if score_delta is not None and score_delta > 0 and rank_delta is not None and rank_delta > 0 and not bottom:
        return Group.KEEP_UP
    return Group.FIX


def draft_assessment(
    short: str,
    block_short: str,
    base_year: int,
    year: int,
    plan_year: int,
    score_delta: Decimal | None,
    rank_delta: int | None,
    bottom: bool,
) -> str:
    """A draft "Đánh giá chung" in the plan's style, from the direction of score and rank."""
    if score_delta is None or rank_delta is None:
        return f"Chưa đủ số liệu năm {base_year} và năm {year} để đánh giá."
    lead = f"{short} năm {year} so với năm {base_year}"
    score_part = _score_phrase(score_delta)
    rank_part = _rank_phrase(rank_delta, block_short)
    first = f"{lead} {score_part}, {rank_part}"
    if bottom:
        first += ", vẫn ở trong nhóm cuối"
    first += "."
    better = score_delta > 0 and rank_delta >= 0
    worse = score_delta < 0 and rank_delta <= 0
    if better and rank_delta > 0 and not bottom:
        verdict = (
            f"Đánh giá năm {year} {short} thực hiện tốt hơn so với năm {base_year}, cần phát huy và phấn đấu "
            f"thực hiện tốt hơn nữa trong năm {plan_year}."
        )
    elif better:
        verdict = (
            f"Đánh giá năm {year} {short} thực hiện tốt hơn so với năm {base_year} nhưng thứ hạng còn thấp, "
            f"cần phải phấn đấu hơn nữa để cải thiện trong năm {plan_year}."
        )
    elif worse:
        verdict = (
            f"Đánh giá năm {year} {short} thực hiện không tốt bằng năm {base_year}, cần phải phấn đấu cải "
            f"thiện rất nhiều trong năm {plan_year}."
        )
    elif score_delta > 0:
        verdict = (
            f"Đánh giá năm {year} {short} có cải thiện về điểm số nhưng thứ hạng bị giảm, cần phải phấn đấu "
            f"cải thiện rất nhiều trong năm {plan_year}."
        )
    else:
        verdict = (
            f"Đánh giá năm {year} {short} thực hiện không tốt bằng năm {base_year} (điểm số không tăng), cần "
            f"phải phấn đấu cải thiện hơn nữa trong năm {plan_year}."
        )
    return f"{first} {verdict}"


def _score_phrase(delta: Decimal) -> str:
    if delta == 0:
        return "điểm số không thay đổi"
    size = abs(delta)
    if delta > 0:
        if size >= STRONG_SCORE:
            return "điểm số tăng cao"
        return "điểm số tăng thấp" if size < WEAK_SCORE else "điểm số có tăng"
    return "điểm số bị giảm rất nhiều" if size >= STRONG_SCORE else "điểm số bị giảm"


def _rank_phrase(delta: int, block_short: str) -> str:
    if delta == 0:
        return f"thứ hạng so với {block_short} tương đương"
    steps = fmt_steps(delta)
    if delta > 0:
        strength = " (tăng cao)" if delta >= STRONG_RANK else ""
        return f"thứ hạng so với {block_short} tăng {steps} bậc{strength}"
    strength = " (giảm nhiều)" if -delta >= STRONG_RANK else ""
    return f"thứ hạng so với {block_short} giảm {steps} bậc{strength}"


_STEP_CLAIM = re.compile(r"(tăng|giảm)(?: lên| xuống)?\s+(\d+)\s+bậc", re.IGNORECASE)
_SCORE_CLAIM = re.compile(r"điểm số(?: và thứ hạng[^.;,]*?)?\s+(?:có |bị |đều )?(tăng|giảm)", re.IGNORECASE)


def check_manual_text(text: str, score_delta: Decimal | None, rank_delta: int | None) -> list[str]:
    """Warn when hand-written words contradict the numbers (the seed's indicator-6 mistake)."""
    warnings = []
    if rank_delta is not None:
        for verb, steps in _STEP_CLAIM.findall(text):
            claimed = int(steps) * (1 if verb.lower() == "tăng" else -1)
            if claimed != rank_delta:
                direction = "tăng" if rank_delta > 0 else "giảm"
                actual = "bằng" if rank_delta == 0 else f"{direction} {fmt_steps(rank_delta)}"
                warnings.append(
                    f"“Đánh giá chung” viết “{verb} {steps} bậc” nhưng số liệu cho thấy thứ hạng {actual} bậc; "
                    "hãy sửa lời văn hoặc xóa ô để dùng đánh giá tự động."
                )
    if score_delta is not None and score_delta != 0:
        for verb in _SCORE_CLAIM.findall(text):
            if (verb.lower() == "tăng") != (score_delta > 0):
                actual = "tăng" if score_delta > 0 else "giảm"
                warnings.append(
                    f"“Đánh giá chung” viết điểm số “{verb}” nhưng số liệu cho thấy điểm số {actual} "
                    f"{fmt_decimal(abs(score_delta))} điểm; hãy sửa lời văn."
                )
                break
    return warnings


def indicator_change(plan: Plan, indicator: Indicator, base_year: int, year: int) -> IndicatorChange:
    """Compare one indicator between ``base_year`` and ``year``."""
    before = indicator.result(base_year) or YearResult(base_year, None, None, None)
    now = indicator.result(year) or YearResult(year, None, None, None)
    settings = plan.settings
    warnings: list[str] = []
    score_delta = None
    if now.score is not None and before.score is not None:
        score_delta = round_half_up(now.score) - round_half_up(before.score)
    rank_delta = before.rank - now.rank if now.rank is not None and before.rank is not None else None
    for label, res in ((base_year, before), (year, now)):
        if res.score is None or res.rank is None:
            warnings.append(f"Chỉ số {indicator.code}: chưa có đủ điểm số, thứ hạng năm {label}.")
    bottom = in_bottom(now.rank, now.units_ranked, settings.bottom_share)
    group_computed = compute_group(score_delta, rank_delta, bottom)
    group = indicator.group_override or group_computed
    if indicator.group_override and indicator.group_override != group_computed and score_delta is not None:
        warnings.append(
            f"Chỉ số {indicator.code}: cột “Nhóm” ghi “{indicator.group_override}” khác với nhóm tính theo số "
            f"liệu (“{group_computed}”); giữ theo cột “Nhóm”."
        )
    computed = draft_assessment(
        plan.agency.short_name,
        settings.block_short,
        base_year,
        year,
        settings.plan_year,
        score_delta,
        rank_delta,
        bottom,
    )
    assessment = indicator.assessment_override or computed
    if indicator.assessment_override:
        warnings += [f"Chỉ số {indicator.code}: {w}" for w in check_manual_text(assessment, score_delta, rank_delta)]
    return IndicatorChange(
        code=indicator.code,
        name=indicator.name,
        base_year=base_year,
        year=year,
        score_base=before.score,
        score=now.score,
        score_delta=float(score_delta) if score_delta is not None else None,
        rank_base=before.rank,
        rank=now.rank,
        rank_delta=rank_delta,
        units_ranked_base=before.units_ranked,
        units_ranked=now.units_ranked,
        score_sentence=score_sentence(year, now.score, base_year, before.score),
        rank_sentence=rank_sentence(year, now.rank, now.units_ranked, base_year, before.rank, before.units_ranked),
        group=group,
        group_computed=group_computed,
        assessment=assessment,
        assessment_computed=computed,
        in_bottom_group=bottom,
        warnings=tuple(warnings),
    )


def compute_changes(plan: Plan, years: tuple[int, int] | None = None) -> list[IndicatorChange]:
    """Every indicator compared between the two years (from settings or the data)."""
    base_year, year = years or compared_years(plan)
    return [indicator_change(plan, ind, base_year, year) for ind in plan.indicators]

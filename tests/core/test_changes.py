"""Indicator changes: sentence forms, group rule, the seed's eight indicators, checks on manual text."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from xl_addin.core.changes import (
    bottom_places,
    check_manual_text,
    compute_changes,
    in_bottom,
    overall_sentence,
    rank_sentence,
    score_sentence,
)
from xl_addin.core.model import Indicator, YearResult
from xl_addin.plan.seed import seed_plan

SEED_EXPECTED = {
    "1": (
        "Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm)",
        "Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm 2022 (xếp thứ 25/25)",
        "khac-phuc",
    ),
    "2": (
        "Năm 2023 (6,39 điểm) giảm 0,42 điểm so với năm 2022 (6,81 điểm)",
        "Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25)",
        "khac-phuc",
    ),
    "3": (
        "Năm 2023 (6,83 điểm) giảm 1,22 điểm so với năm 2022 (8,05 điểm)",
        "Năm 2023 (xếp thứ 21/25) giảm 05 bậc so với năm 2022 (xếp thứ 16/25)",
        "khac-phuc",
    ),
    "4": (
        "Năm 2023 (8,43 điểm) tăng 2,95 điểm so với năm 2022 (5,48 điểm)",
        "Năm 2023 (xếp thứ 13/25) tăng 05 bậc so với năm 2022 (xếp thứ 18/25)",
        "phat-huy",
    ),
    "5": (
        "Năm 2023 (6,87 điểm) tăng 1,41 điểm so với năm 2022 (5,46 điểm)",
        "Năm 2023 (xếp thứ 19/25) tăng 01 bậc so với năm 2022 (xếp thứ 20/25)",
        "phat-huy",
    ),
    # The seed text says "tăng 01 bậc" here; the numbers say otherwise.
    "6": (
        "Năm 2023 (8,66 điểm) tăng 2,39 điểm so với năm 2022 (6,27 điểm)",
        "Năm 2023 (xếp thứ 24/25) giảm 01 bậc so với năm 2022 (xếp thứ 23/25)",
        "khac-phuc",
    ),
    "7": (
        "Năm 2023 (7,89 điểm) tăng 0,22 điểm so với năm 2022 (7,67 điểm)",
        "Năm 2023 (xếp thứ 24/25) tăng 01 bậc so với năm 2022 (xếp thứ 25/25)",
        "khac-phuc",
    ),
    "8": (
        "Năm 2023 (7,12 điểm) tăng 1,41 điểm so với năm 2022 (5,71 điểm)",
        "Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25)",
        "khac-phuc",
    ),
}


def test_seed_eight_indicators() -> None:
    changes = {c.code: c for c in compute_changes(seed_plan())}
    assert set(changes) == set(SEED_EXPECTED)
    for code, (score, rank, group) in SEED_EXPECTED.items():
        assert (changes[code].score_sentence, changes[code].rank_sentence, changes[code].group) == (
            score,
            rank,
            group,
        ), code
    assert [c for c in changes if changes[c].group == "phat-huy"] == ["4", "5"]
    assert changes["1"].rank_delta == 9 and changes["6"].rank_delta == -1
    assert changes["1"].score_delta == pytest.approx(-0.45)
    assert all(not c.warnings for c in changes.values())


def test_overall_sentence() -> None:
    assert overall_sentence(seed_plan(), 2022, 2023) == (
        "xếp hạng thứ 21/25 đơn vị, tăng 04 bậc xếp hạng so với năm 2022"
    )


@pytest.mark.parametrize(
    ("score", "base", "expected"),
    [
        (7.63, 8.08, "Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm)"),
        (8.43, 5.48, "Năm 2023 (8,43 điểm) tăng 2,95 điểm so với năm 2022 (5,48 điểm)"),
        (6.5, 6.5, "Năm 2023 (6,50 điểm) bằng với năm 2022 (6,50 điểm)"),
        # Compare what the reader sees: 7,625 shows as 7,63, equal to 7,63.
        (7.625, 7.63, "Năm 2023 (7,63 điểm) bằng với năm 2022 (7,63 điểm)"),
        (7.625, 7.615, "Năm 2023 (7,63 điểm) tăng 0,01 điểm so với năm 2022 (7,62 điểm)"),
    ],
)
def test_score_sentence_forms(score: float, base: float, expected: str) -> None:
    assert score_sentence(2023, score, 2022, base) == expected


def test_score_sentence_equal_other_years() -> None:
    assert score_sentence(2025, 6.5, 2024, 6.5) == "Năm 2025 (6,50 điểm) bằng với năm 2024 (6,50 điểm)"


@pytest.mark.parametrize(
    ("rank", "units", "rank_base", "units_base", "expected"),
    [
        (16, 25, 25, 25, "Năm 2023 (xếp thứ 16/25) tăng 09 bậc so với năm 2022 (xếp thứ 25/25)"),
        (21, 25, 16, 25, "Năm 2023 (xếp thứ 21/25) giảm 05 bậc so với năm 2022 (xếp thứ 16/25)"),
        (23, 25, 23, 25, "Năm 2023 (xếp thứ 23/25) bằng với năm 2022 (xếp thứ 23/25)"),
        (3, 25, 15, 25, "Năm 2023 (xếp thứ 3/25) tăng 12 bậc so với năm 2022 (xếp thứ 15/25)"),
        (10, 19, 11, 25, "Năm 2023 (xếp thứ 10/19) tăng 01 bậc so với năm 2022 (xếp thứ 11/25)"),
    ],
)
def test_rank_sentence_forms(rank: int, units: int, rank_base: int, units_base: int, expected: str) -> None:
    assert rank_sentence(2023, rank, units, 2022, rank_base, units_base) == expected


def test_missing_year_is_reported_not_crashed() -> None:
    plan = seed_plan()
    ind = dataclasses.replace(plan.indicators[0], results=(YearResult(2023, 7.63, 16, 25),))
    plan = dataclasses.replace(plan, indicators=(ind, *plan.indicators[1:]))
    change = compute_changes(plan, (2022, 2023))[0]
    assert change.score_delta is None and change.rank_delta is None
    assert "Chưa có số liệu" in change.score_sentence
    assert change.group == "khac-phuc"
    assert any("2022" in w for w in change.warnings)


@pytest.mark.parametrize(("n", "places"), [(25, 5), (19, 4), (10, 2), (24, 5), (5, 1)])
def test_bottom_places(n: int, places: int) -> None:
    assert bottom_places(n, 0.2) == places


def test_bottom_group_boundary() -> None:
    assert not in_bottom(20, 25, 0.2)
    assert in_bottom(21, 25, 0.2)
    assert in_bottom(25, 25, 0.2)


def _plan_with(results: tuple[YearResult, ...], **overrides: str) -> Indicator:
    plan = seed_plan()
    fields = {"assessment_override": None, **overrides}
    ind = dataclasses.replace(plan.indicators[0], results=results, **fields)
    return compute_changes(dataclasses.replace(plan, indicators=(ind,)), (2022, 2023))[0]


@pytest.mark.parametrize(
    ("before", "after", "group"),
    [
        ((6.0, 18), (7.0, 13), "phat-huy"),  # both up, out of the bottom
        ((6.0, 23), (7.0, 21), "khac-phuc"),  # both up but still in the bottom 5 of 25
        ((6.0, 22), (7.0, 20), "phat-huy"),  # 20 is just outside
        ((7.0, 18), (6.0, 13), "khac-phuc"),  # rank up, score down
        ((6.0, 13), (7.0, 13), "khac-phuc"),  # rank equal
    ],
)
def test_group_rule(before: tuple, after: tuple, group: str) -> None:
    change = _plan_with((YearResult(2022, before[0], before[1], 25), YearResult(2023, after[0], after[1], 25)))
    assert change.group == group


def test_group_override_wins_with_warning() -> None:
    change = _plan_with((YearResult(2022, 7.0, 18, 25), YearResult(2023, 6.0, 20, 25)), group_override="phat-huy")
    assert change.group == "phat-huy" and change.group_computed == "khac-phuc"
    assert any("Nhóm" in w for w in change.warnings)


def test_manual_text_contradicting_rank_is_warned() -> None:
    # The seed's indicator-6 wording on its own numbers (23 → 24).
    seed_text = (
        "Sở năm 2023 so với năm 2022 điểm số và thứ hạng so với các SBN có tăng, do vậy xếp hạng của Sở "
        "chỉ tăng lên 01 bậc so với năm 2022, vẫn ở trong top cuối."
    )
    change = _plan_with((YearResult(2022, 6.27, 23, 25), YearResult(2023, 8.66, 24, 25)), assessment_override=seed_text)
    assert change.assessment == seed_text
    assert any("tăng 01 bậc" in w and "giảm 01" in w for w in change.warnings)


def test_manual_text_contradicting_score_is_warned() -> None:
    warnings = check_manual_text("Sở năm 2023 so với năm 2022 điểm số bị giảm.", Decimal("0.5"), 1)
    assert warnings and "tăng" in warnings[0]


def test_manual_text_consistent_has_no_warning() -> None:
    assert check_manual_text("xếp hạng của Sở chỉ tăng lên 01 bậc so với năm 2022", Decimal("1.41"), 1) == []


def test_draft_assessment_follows_direction() -> None:
    up = _plan_with((YearResult(2022, 5.48, 18, 25), YearResult(2023, 8.43, 13, 25)))
    assert "tăng cao" in up.assessment and "cần phát huy" in up.assessment
    down = _plan_with((YearResult(2022, 8.05, 16, 25), YearResult(2023, 6.83, 21, 25)))
    assert "giảm" in down.assessment and "không tốt bằng" in down.assessment
    bottom = _plan_with((YearResult(2022, 6.27, 23, 25), YearResult(2023, 8.66, 24, 25)))
    assert "giảm 01 bậc" in bottom.assessment and "nhóm cuối" in bottom.assessment
    assert not check_manual_text(bottom.assessment, Decimal("2.39"), -1)

"""Demo answers and filling a template the way a division would."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from xl_addin.core.errors import DdciError
from xl_addin.forms import layout as L
from xl_addin.forms.writer import write_shared_template, write_unit_template
from xl_addin.plan.seed import seed_plan
from xl_addin.tools.demo_fill import ROW_KEYS, demo_answers, fill_submission


@pytest.fixture(scope="module")
def plan():
    return seed_plan()


@pytest.fixture(scope="module")
def period(plan):
    return plan.period("2024-03")


def test_answers_are_deterministic_and_cover_every_task(plan, period):
    a = demo_answers(plan, "VP", period, seed=3)
    assert a == demo_answers(plan, "VP", period, seed=3)
    assert a != demo_answers(plan, "VP", period, seed=4)
    assert list(a) == [t.code for t, _ in plan.tasks_for("VP")]
    for row in a.values():
        assert set(row) == set(ROW_KEYS)


def test_answers_are_consistent_and_varied(plan, period):
    statuses: Counter[str] = Counter()
    results: set[str] = set()
    difficulties = proposals = 0
    for seed in range(3):
        for unit in plan.reporting_unit_codes:
            for row in demo_answers(plan, unit, period, seed).values():
                status = row["status"]
                statuses[status] += 1
                assert status in L.STATUSES
                assert 0 <= row["percent"] <= 100
                for key in ("result", "difficulty", "proposal"):
                    assert unicodedata.is_normalized("NFC", row[key])
                if status in L.DONE_STATUSES:
                    assert row["percent"] == 100
                    assert row["result"]
                    assert isinstance(row["done_date"], dt.date)
                    assert period.start <= row["done_date"] <= period.end
                else:
                    assert row["done_date"] is None
                if status in (L.STATUS_IN_PROGRESS, L.STATUS_RECURRING):
                    assert 50 <= row["percent"] <= 90
                    assert row["result"].endswith(".")
                if status == L.STATUS_NOT_STARTED:
                    assert row["percent"] == 0
                results.add(row["result"])
                difficulties += bool(row["difficulty"])
                proposals += bool(row["proposal"])
    total = sum(statuses.values())
    assert statuses[L.STATUS_IN_PROGRESS] + statuses[L.STATUS_RECURRING] > total / 2
    assert statuses[L.STATUS_DONE] > 0 and statuses[L.STATUS_NOT_STARTED] > 0
    assert 0 < difficulties < total / 3 and 0 < proposals <= difficulties
    assert len(results) > 30


def test_fill_unit_template(plan, period, tmp_path):
    template = write_unit_template(plan, "TTRA", period, tmp_path / "t.xlsx")
    before = template.read_bytes()
    answers = demo_answers(plan, "TTRA", period, seed=11)
    answers["1.1"]["result"] = '=HYPERLINK("http://x")'  # typed text must stay text
    dest = fill_submission(template, tmp_path / "nop" / "f.xlsx", answers, ("Hoàng Thị Lan", "0912345678"))
    assert template.read_bytes() == before

    wb = CalamineWorkbook.from_path(str(dest))
    grid = wb.get_sheet_by_name(L.PROGRESS_SHEET).to_python()
    header = next(i for i, r in enumerate(grid) if r[0] == L.COL_CODE)
    col = {name: j for j, name in enumerate(grid[header]) if name}
    for row in grid[header + 1 :]:
        want = answers[row[0]]
        assert row[col[L.COL_STATUS]] == want["status"]
        assert row[col[L.COL_PERCENT]] == want["percent"]
        assert row[col[L.COL_RESULT]] == want["result"]
        assert row[col[L.COL_PROPOSAL]] == want["proposal"]
        assert (row[col[L.COL_DONE_DATE]] or None) == want["done_date"]
    info = {r[0]: r[1] for r in wb.get_sheet_by_name(L.INFO_SHEET).to_python()}
    assert info[L.LABEL_REPORTER] == "Hoàng Thị Lan"
    assert info[L.LABEL_PHONE] == "0912345678"  # text: the leading 0 stays
    identity = wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python()
    assert identity[1][1] == "TTRA"


def test_fill_shared_template_sheet(plan, period, tmp_path):
    template = write_shared_template(plan, period, tmp_path / "chung.xlsx")
    answers = demo_answers(plan, "QLDD", period, seed=2)
    dest = fill_submission(template, tmp_path / "f.xlsx", answers, ("Vi Văn Tú", "0987000111"), sheet="QLDD")
    grid = CalamineWorkbook.from_path(str(dest)).get_sheet_by_name("QLDD").to_python()
    above = {r[0]: r[1] for r in grid[:5]}
    assert above[L.LABEL_REPORTER] == "Vi Văn Tú"
    assert above[L.LABEL_PHONE] == "0987000111"
    first_code = next(iter(answers))
    row = next(r for r in grid if r[0] == first_code)
    assert row[3] == answers[first_code]["status"]
    with pytest.raises(DdciError):
        fill_submission(template, tmp_path / "g.xlsx", answers, ("A", "B"))


def test_fill_missing_sheet(plan, period, tmp_path):
    template = write_unit_template(plan, "VP", period, tmp_path / "t.xlsx")
    with pytest.raises(DdciError):
        fill_submission(template, tmp_path / "g.xlsx", {}, ("A", "B"), sheet="Không có")
    assert not Path(tmp_path / "g.xlsx").exists()

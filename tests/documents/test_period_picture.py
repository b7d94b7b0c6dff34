"""The picture of a quarter, 6 months or a year from plain archive records (pure: no files)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from xl_addin.core.contracts import Category, UnitState
from xl_addin.core.history import ArchivedRow, ArchivedState
from xl_addin.core.model import YearResult
from xl_addin.documents.period_context import add_period, month_names
from xl_addin.documents.period_picture import month_codes, period_picture, period_result
from xl_addin.forms.layout import ROLE_LABELS, STATUS_DONE, STATUS_IN_PROGRESS
from xl_addin.plan.seed import seed_plan

PLAN = seed_plan()
LEAD, SUPPORT = ROLE_LABELS["lead"], ROLE_LABELS["support"]


def _row(period: str, unit: str, task: str, status: str, percent: float | None, **kw) -> ArchivedRow:
    month = int(period[-2:])
    values = {
        "received_at": dt.datetime(2024, month, 14, 9, 0),
        "file_name": f"{unit}.xlsx",
        "sheet": "Tiến độ",
        "role": LEAD,
        "result": f"Kết quả {task} {period}",
        "difficulty": "",
        "proposal": "",
        "done_date": None,
        "row": 2,
    } | kw
    return ArchivedRow(
        period,
        unit,
        values["received_at"],
        values["file_name"],
        values["sheet"],
        task,
        values["role"],
        status,
        percent,
        values["result"],
        values["difficulty"],
        values["proposal"],
        values["done_date"],
        values["row"],
    )


def test_month_codes_and_names() -> None:
    assert month_codes("2024-Q2") == ("2024-04", "2024-05", "2024-06")
    assert month_codes("2024-H1")[-1] == "2024-06" and len(month_codes("2024")) == 12
    assert month_codes("2024-03") == ("2024-03",)
    assert month_names(["2024-01"]) == "Tháng 1 năm 2024"
    assert month_names(["2024-01", "2024-02"]) == "Tháng 1 và tháng 2 năm 2024"
    assert month_names(["2024-05", "2024-06", "2024-07"]) == "Từ tháng 5 đến tháng 7 năm 2024"


def test_who_sent_what_month_by_month() -> None:
    rows = [
        _row("2024-02", "VP", "1.2", STATUS_IN_PROGRESS, 40),
        # no recorded states for February: late is judged from the file's time against the deadline (15/02)
        _row("2024-02", "TTRA", "2.3", STATUS_IN_PROGRESS, 30, received_at=dt.datetime(2024, 2, 20, 8, 0)),
        _row("2024-03", "VP", "1.2", STATUS_IN_PROGRESS, 60),
    ]
    states = [
        ArchivedState("2024-03", "VP", UnitState.ON_TIME, dt.datetime(2024, 3, 14, 9, 0)),
        ArchivedState("2024-03", "TNNKS", UnitState.REJECTED, dt.datetime(2024, 3, 14, 9, 0)),
        ArchivedState("2024-03", "QLDD", UnitState.LATE, dt.datetime(2024, 3, 18, 9, 0)),
        ArchivedState("2024-03", "TTRA", UnitState.MISSING, None),
    ]
    picture = period_picture(PLAN, "2024-Q1", rows, states)
    jan, feb, mar = picture.months
    assert not jan.has_data and jan.sent == ()
    assert feb.has_data and feb.sent == ("VP", "TTRA") and feb.late == ("TTRA",) and len(feb.missing) == 6
    assert mar.sent == ("VP", "TNNKS", "QLDD") and mar.late == ("QLDD",) and mar.rejected == ("TNNKS",)
    assert "TTRA" in mar.missing
    assert picture.last_month == "2024-03"
    # Each unit's latest report in the period: VP's March rows, TTRA's February ones.
    assert {(r.unit, r.period) for r in picture.latest_rows} == {("VP", "2024-03"), ("TTRA", "2024-02")}


def test_task_trail_and_the_month_it_was_completed() -> None:
    rows = [
        _row("2024-04", "VP", "1.2", STATUS_IN_PROGRESS, 40),
        _row("2024-04", "VP", "5.1", STATUS_IN_PROGRESS, 80),
        _row("2024-04", "VPDKDD", "1.1", STATUS_IN_PROGRESS, 50),
        _row("2024-04", "TTRA", "1.2", STATUS_DONE, 100, role=SUPPORT),  # a supporting unit does not close a task
        _row("2024-05", "VP", "1.2", STATUS_IN_PROGRESS, 65),
        _row("2024-05", "VPDKDD", "1.1", STATUS_DONE, 100, done_date=dt.date(2024, 5, 2)),
        _row("2024-06", "VP", "1.2", STATUS_IN_PROGRESS, 80),
        _row("2024-06", "VP", "5.1", STATUS_DONE, 100, done_date=dt.date(2024, 5, 30)),
        _row("2024-06", "VPDKDD", "1.1", STATUS_DONE, 100, done_date=dt.date(2024, 5, 2)),
    ]
    before = [_row("2024-03", "VP", "5.1", STATUS_DONE, 100)]  # 5.1 was done before the quarter, then reopened
    picture = period_picture(PLAN, "2024-Q2", rows, before=before)
    trails = {t.task_code: t for t in picture.trails}
    assert [(p.month, p.percent) for p in trails["1.2"].points] == [("2024-04", 40), ("2024-05", 65), ("2024-06", 80)]
    assert trails["1.2"].completed_in is None
    assert (trails["1.1"].completed_in, trails["1.1"].completed_on) == ("2024-05", dt.date(2024, 5, 2))
    assert trails["5.1"].points[-1].category == Category.DONE and trails["5.1"].completed_in is None
    assert trails["8.1"].points == ()


def test_end_of_period_state_is_a_validation_result() -> None:
    rows = [
        _row("2024-03", "QLDD", "2.1", STATUS_IN_PROGRESS, 60),
        _row("2024-04", "VP", "1.2", STATUS_IN_PROGRESS, 65),
    ]
    states = [ArchivedState("2024-03", "QLDD", UnitState.LATE, dt.datetime(2024, 3, 18))]
    period = PLAN.period("2024-H1")
    assert period is not None
    result = period_result(PLAN, period, period_picture(PLAN, "2024-H1", rows, states))
    assert {r.period for r in result.rows} == {"2024-H1"} and len(result.rows) == 2
    by_unit = {u.unit: u.state for u in result.units}
    assert by_unit["QLDD"] == UnitState.LATE and by_unit["VP"] == UnitState.ON_TIME
    assert by_unit["TTQT"] == UnitState.MISSING


def _tasks(done: set[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "task_code": [t.code for t in PLAN.tasks],
            "category": [Category.DONE if t.code in done else Category.IN_PROGRESS for t in PLAN.tasks],
        }
    )


def test_year_report_keys_with_and_without_the_new_ddci_year() -> None:
    rows = [
        _row("2024-11", "VP", "1.2", STATUS_IN_PROGRESS, 80),
        _row("2024-12", "VP", "1.2", STATUS_DONE, 100, done_date=dt.date(2024, 12, 10)),
    ]
    picture = period_picture(PLAN, "2024", rows)
    ctx = add_period({}, PLAN, picture, _tasks({"1.2", "6.2"}))
    assert [m["name"] for m in ctx["months"]] == [
        "Từ tháng 1 đến tháng 10 năm 2024",
        "Tháng 11 năm 2024",
        "Tháng 12 năm 2024",
    ]
    assert ctx["months"][0]["has_data"] is False and ctx["as_of"] == "tháng 12 năm 2024"
    assert ctx["completed"] == [
        {
            "task": "1.2. Về thực hiện TTHC trên dịch vụ công trực tuyến: tăng cường và đổi mới các hình thức tuyên…",
            "lead": "Văn phòng Sở",
            "month": "tháng 12 năm 2024",
            "date": "10/12/2024",
        }
    ]
    assert ctx["trails"] == []  # no unfinished task with a trail
    assert ctx["annual"] | {"indicators": None} == {
        "done": "02",
        "carried": "16",
        "next_year": 2025,
        "overall": "",
        "indicators": None,
    }
    assert ctx["annual"]["indicators"] == []  # no “Điểm 2024” in the master yet
    # The DDCI 2024 results typed into the master: each indicator compared with 2023, and the overall rank.
    with_2024 = replace(
        PLAN,
        indicators=tuple(replace(i, results=(*i.results, YearResult(2024, 8.0, 10, 25))) for i in PLAN.indicators),
        overall=(*PLAN.overall, YearResult(2024, None, 15, 25)),
    )
    annual = add_period({}, with_2024, picture, _tasks(set()))["annual"]
    assert annual["overall"] == "xếp hạng thứ 15/25 đơn vị, tăng 06 bậc xếp hạng so với năm 2023"
    first = annual["indicators"][0]
    assert first["name"] == "Tính minh bạch và tiếp cận thông tin"
    assert first["score_sentence"] == "Năm 2024 (8,00 điểm) tăng 0,37 điểm so với năm 2023 (7,63 điểm)"
    assert first["rank_sentence"].startswith("Năm 2024 (xếp thứ 10/25) tăng 06 bậc")

"""``ddci templates`` (per unit and shared) and intake of the shared workbook, sheet by sheet."""

from __future__ import annotations

from pathlib import Path

from tests.support import submission_fixtures as F
from xl_addin.actions import validate_submissions
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort, load_plan
from xl_addin.tools.demo_fill import demo_answers, fill_submission


def test_templates_default_period(workspace: Path, capsys) -> None:
    assert main(["templates", str(workspace)]) == 0
    out = capsys.readouterr().out
    files = sorted((workspace / "bieu_mau" / "2024-03").glob("*.xlsx"))
    assert len(files) == 8 and "8 biểu mẫu tháng 3 năm 2024" in out


def test_templates_other_period_and_bad_period(workspace: Path, capsys) -> None:
    assert main(["templates", str(workspace), "--period", "2024-Q1"]) == 0
    assert len(list((workspace / "bieu_mau" / "2024-Q1").glob("*.xlsx"))) == 8
    assert main(["templates", str(workspace), "--period", "2024-13"]) == 2  # a period code that cannot be read: usage
    assert "không đúng dạng" in capsys.readouterr().err


def test_shared_workbook_every_sheet_is_a_submission(workspace: Path) -> None:
    assert main(["templates", str(workspace), "--shared"]) == 0
    shared = workspace / "bieu_mau" / "2024-03" / "bieu_mau_chung.xlsx"
    assert shared.is_file()
    plan = load_plan(FilePort(workspace))
    period = plan.period("2024-03")
    dest = workspace / "nop" / "bieu_mau_chung.xlsx"
    source = shared
    for n, unit in enumerate(("VP", "TTRA", "QLDD")):
        fill_submission(source, dest, demo_answers(plan, unit, period, seed=n), (f"Người {unit}", "0900"), sheet=unit)
        source = dest
    F.received(dest)
    result = validate_submissions(FilePort(workspace), "2024-03", write_outputs=False).result
    states = {u.unit: u.state for u in result.units}
    assert states["VP"] == states["TTRA"] == states["QLDD"] == "on-time"
    assert states["VPDKDD"] == "missing"  # an empty sheet in the shared book is not a report...
    reporters = {u.unit: u.reporter for u in result.units}
    assert reporters["TTRA"] == "Người TTRA"
    assert {r.sheet for r in result.rows} == {"VP", "TTRA", "QLDD"}

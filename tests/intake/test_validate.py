"""Validation of unit submissions: one fixture per failure mode, every finding asserted."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from tests.support import submission_fixtures as F
from xl_addin.actions import validate_submissions
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort


def _run(ws: Path, today: dt.date | None = None):
    return validate_submissions(FilePort(ws), F.PERIOD, write_outputs=False, today=today).result


def _rules(result, unit: str | None = F.UNIT) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in result.findings:
        if unit is None or f.unit == unit:
            out.setdefault(f.rule, []).append(f)
    return out


def test_clean_submission_has_no_finding(workspace: Path) -> None:
    F.filled(workspace)
    result = _run(workspace)
    assert _rules(result) == {}
    vp = next(u for u in result.units if u.unit == F.UNIT)
    assert vp.state == "on-time" and vp.reporter == "Nguyễn Văn A"
    assert {r.unit for r in result.rows} == {F.UNIT}
    assert len(result.rows) == 18


@pytest.mark.parametrize(
    ("case", "rule", "severity", "column"),
    [
        ("status-invalid", "status-invalid", "error", "D"),
        ("percent-range", "percent-range", "error", "E"),
        ("percent-invalid", "percent-invalid", "error", "E"),
        ("percent-text", "percent-text", "warning", "E"),
        ("done-not-100", "done-not-100", "error", "E"),
        ("done-no-result", "done-no-result", "error", "F"),
        ("date-future", "date-future", "error", "I"),
        ("date-before-plan", "date-before-plan", "error", "I"),
        ("formula-error", "formula-error", "error", "E"),
        ("row-edited", "row-edited", "error", "B"),
    ],
)
def test_value_rules(workspace: Path, case: str, rule: str, severity: str, column: str) -> None:
    path = F.make_case(workspace, case)
    found = _rules(_run(workspace))
    assert rule in found, found
    finding = found[rule][0]
    assert finding.severity == severity
    assert finding.file == path.name and finding.sheet == "Tiến độ"
    assert finding.cell.startswith(column), finding.cell
    assert finding.message and finding.message[0].isupper()


def test_percent_text_is_read_with_warning(workspace: Path) -> None:
    F.make_case(workspace, "percent-text")
    result = _run(workspace)
    row = next(r for r in result.rows if r.unit == F.UNIT and r.task_code == "1.1")
    assert row.percent == 80 and row.has_warning
    assert "80" in _rules(result)["percent-text"][0].message


@pytest.mark.parametrize(
    ("case", "rule", "words"),
    [
        ("row-deleted", "row-deleted", "1.2"),
        ("row-inserted", "row-inserted", "9.9"),
        ("rows-reordered", "rows-reordered", "1.2"),
    ],
)
def test_structure_rules_say_which_rows(workspace: Path, case: str, rule: str, words: str) -> None:
    F.make_case(workspace, case)
    result = _run(workspace)
    found = _rules(result)
    assert rule in found and words in found[rule][0].message
    assert next(u for u in result.units if u.unit == F.UNIT).state == "rejected"
    assert not [r for r in result.rows if r.unit == F.UNIT]  # errors keep the file out of consolidation


@pytest.mark.parametrize(
    ("case", "rule", "severity"),
    [
        ("unknown-unit", "unknown-unit", "error"),
        ("wrong-period", "wrong-period", "error"),
        ("template-version", "template-version", "warning"),
    ],
)
def test_identity_rules(workspace: Path, case: str, rule: str, severity: str) -> None:
    F.make_case(workspace, case)
    found = _rules(_run(workspace), unit=None)
    assert found[rule][0].severity == severity


def test_identity_removed(workspace: Path) -> None:
    path = F.make_case(workspace, "identity-missing")
    finding = _rules(_run(workspace), unit=None)["identity-missing"][0]
    assert finding.severity == "error" and finding.file == path.name


@pytest.mark.parametrize(
    ("name", "data", "rule"),
    [
        ("rong.xlsx", b"", "empty-file"),
        ("khong_phai_zip.xlsx", b"Day khong phai tep Excel", "not-excel"),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, None),
    ],
)
def test_unreadable_files_are_findings_not_crashes(workspace: Path, name: str, data: bytes, rule: str | None) -> None:
    F.raw_file(workspace, name, data)
    found = [f for f in _run(workspace).findings if f.file == name]
    assert found and found[0].severity == "error"
    if rule:
        assert found[0].rule == rule


def test_truncated_file(workspace: Path) -> None:
    F.truncated(workspace)
    found = [f for f in _run(workspace).findings if f.file == "cat_do.xlsx"]
    assert found and found[0].severity == "error"


def test_lock_files_and_folders_skipped_silently(workspace: Path) -> None:
    F.raw_file(workspace, "~$VP_2024-03.xlsx", b"lock")
    (workspace / "nop" / "thu_muc.xlsx").mkdir()
    result = _run(workspace)
    assert not [f for f in result.findings if f.file]
    assert not result.files


def test_duplicates_latest_counts(workspace: Path) -> None:
    old = F.filled(workspace, dest=workspace / "nop" / "VP_ban_dau.xlsx")
    F.received(old, F.ON_TIME - dt.timedelta(days=1))
    new = F.filled(workspace, dest=workspace / "nop" / "VP_sua_lai.xlsx", seed=2)
    result = _run(workspace)
    dup = _rules(result)["duplicate"]
    assert len(dup) == 1 and dup[0].file == old.name and new.name in dup[0].message
    assert next(u for u in result.units if u.unit == F.UNIT).file == new.name


def test_missing_and_late(workspace: Path) -> None:
    F.filled(workspace)
    late = F.filled(workspace, unit="TTRA")
    F.received(late, dt.datetime(2024, 3, 20, 8, 0))
    result = _run(workspace)
    states = {u.unit: u.state for u in result.units}
    assert states["VP"] == "on-time" and states["TTRA"] == "late" and states["QLDD"] == "missing"
    missing = [f for f in result.findings if f.rule == "missing"]
    assert {f.unit for f in missing} == {"VPDKDD", "CCBVMT", "TNNKS", "QLDD", "TTCNTT", "TTQT"}
    assert all(f.file == "" for f in missing)
    assert _rules(result, "TTRA")["late"][0].severity == "warning"


def test_macro_enabled_read_and_flagged(workspace: Path) -> None:
    F.macro_enabled(workspace)
    result = _run(workspace)
    assert "macro-enabled" in _rules(result, unit=None)
    assert [r for r in result.rows if r.unit == F.UNIT]


def test_every_problem_listed_at_once(workspace: Path) -> None:
    """One run lists the problems of every file (each case in its own unit's file) and the missing units."""
    cases = {"VP": "status-invalid", "TTRA": "percent-range", "QLDD": "row-edited", "VPDKDD": "date-before-plan"}
    for unit, case in cases.items():
        F.make_case(workspace, case, unit=unit)
    F.raw_file(workspace, "rong.xlsx", b"")
    result = _run(workspace)
    by_unit = {unit: {f.rule for f in result.findings if f.unit == unit} for unit in cases}
    for unit, case in cases.items():
        assert case in by_unit[unit], (unit, by_unit[unit])
    assert {f.rule for f in result.findings if f.file == "rong.xlsx"} == {"empty-file"}
    missing = {f.unit for f in result.findings if f.rule == "missing"}
    assert missing == {"TNNKS", "TTCNTT", "TTQT", "CCBVMT"}


def _hashes(folder: Path) -> dict[str, tuple[str, float]]:
    return {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_inbox_unchanged_and_exit_codes(workspace: Path, capsys) -> None:
    F.filled(workspace)
    F.make_case(workspace, "percent-range")  # overwrites VP with a broken file
    F.filled(workspace, unit="TTRA")
    F.raw_file(workspace, "rong.xlsx", b"")
    before = _hashes(workspace / "nop")
    code = main(["validate", str(workspace), "--period", F.PERIOD])
    out = capsys.readouterr().out
    assert code == 1
    assert "percent-range" in out and "Tiến độ!E" in out and "rong.xlsx" in out
    assert _hashes(workspace / "nop") == before
    assert (workspace / "bao_cao" / "kiem_tra_2024-03.xlsx").is_file()
    assert (workspace / "tra_lai" / "2024-03" / "VP_2024-03.xlsx").is_file()


def test_exit_0_without_errors_and_json(workspace: Path, capsys) -> None:
    F.filled(workspace)
    assert main(["validate", str(workspace), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert {"file", "unit", "sheet", "cell", "severity", "rule", "message"} <= set(data[0])
    assert all(d["severity"] == "warning" for d in data)


def test_validate_unknown_period_exit_1(workspace: Path, capsys) -> None:
    assert main(["validate", str(workspace), "--period", "2030-01"]) == 1
    assert "không có trong bảng Kỳ báo cáo" in capsys.readouterr().err


def test_blank_template_sent_back_counts_as_missing(workspace: Path) -> None:
    import shutil

    from xl_addin.actions import make_templates

    folder = make_templates(FilePort(workspace), F.PERIOD).folder
    blank = workspace / "nop" / "VP_trong.xlsx"
    shutil.copy(folder / "bao_cao_VP_2024-03.xlsx", blank)
    F.received(blank)
    result = _run(workspace)
    assert [f.rule for f in result.findings if f.file == blank.name] == ["empty-report"]
    assert next(u for u in result.units if u.unit == "VP").state == "missing"


def test_rules_applied_while_reading_give_the_same_result(workspace: Path) -> None:
    """``read_inbox(check=rules)`` (what ``ddci validate`` does, in one or two processes) changes no finding."""
    from xl_addin.excel.ports import load_plan
    from xl_addin.intake.inbox import read_inbox
    from xl_addin.intake.validate import SheetRules, validate

    F.make_case(workspace, "done-not-100")
    F.filled(workspace, unit="TNNKS", seed=3)
    F.received(F.filled(workspace, unit="QLDD", seed=4), dt.datetime(2024, 3, 25, 9, 0))  # late
    plan = load_plan(FilePort(workspace))
    period = plan.period(F.PERIOD)
    today = dt.date(2024, 3, 20)
    plain = validate(plan, period, read_inbox(workspace / "nop", F.PERIOD), today=today)
    assert plain.errors and plain.warnings and plain.rows
    for workers in (1, 2):
        rules = SheetRules(plan, period, today=today)
        files = read_inbox(workspace / "nop", F.PERIOD, workers=workers, check=rules)
        assert all(f.checked_by == rules.key and not any(s.rows for s in f.sheets) for f in files if f.sheets)
        fused = validate(plan, period, files, rules=rules)
        assert (fused.findings, fused.rows, fused.units) == (plain.findings, plain.rows, plain.units)
        assert [(f.label, s.sheet) for f, s in fused.accepted] == [(f.label, s.sheet) for f, s in plain.accepted]
    with pytest.raises(ValueError):  # rows released by other rules cannot be checked again
        validate(plan, period, files, rules=SheetRules(plan, period, today=today))
    with pytest.raises(ValueError):  # the day comes from the rules, not from a second argument
        validate(plan, period, files, today=today, rules=rules)

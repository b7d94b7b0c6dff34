"""Consolidation tables and the SQLite archive with history rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support import submission_fixtures as F
from xl_addin.actions import consolidate_submissions, validate_submissions
from xl_addin.cli import main
from xl_addin.core.contracts import Category
from xl_addin.excel.ports import FilePort, load_plan
from xl_addin.forms.layout import COL_PERCENT, COL_RESULT, COL_STATUS, STATUS_DONE, STATUS_IN_PROGRESS
from xl_addin.results.archive import Archive
from xl_addin.results.consolidate import consolidate, task_category


def test_task_category() -> None:
    assert task_category([]) == "no-report"
    assert task_category(["Hoàn thành", "Hoàn thành quá hạn"]) == Category.DONE
    assert task_category(["Chưa triển khai", ""]) == "not-started"
    assert task_category(["Hoàn thành", "Đang triển khai"]) == "in-progress"
    assert task_category(["Thường xuyên"]) == "in-progress"


def test_consolidation_tables_trace_back(workspace: Path) -> None:
    F.filled(workspace)
    F.filled(workspace, unit="TTRA", seed=3)
    port = FilePort(workspace)
    outcome = validate_submissions(port, F.PERIOD, write_outputs=False)
    cons = consolidate(load_plan(port), outcome.result)
    assert len(cons.progress) == 36
    row = cons.progress.iloc[0]
    assert row["file"] and row["sheet"] == "Tiến độ" and row["row"] >= 2
    by_ind = cons.by_indicator.set_index("indicator_code")
    assert by_ind["tasks"].sum() == 18
    assert set(cons.by_unit["state"]) >= {"Đúng hạn", "Chưa nộp"}
    sheets = cons.sheets()
    assert list(sheets) == ["Tiến độ", "Theo chỉ số", "Theo đơn vị", "Khó khăn, đề xuất"]
    assert "Mã nhiệm vụ" in sheets["Tiến độ"].columns


def test_injection_text_stays_text_in_consolidated(workspace: Path) -> None:
    path = F.filled(workspace)
    wb = load_workbook(path)
    from xl_addin.tools.demo_fill import find_header_row

    ws = wb["Tiến độ"]
    header, cols = find_header_row(ws)
    cell = ws.cell(row=header + 1, column=cols[COL_RESULT])
    cell.value = '=HYPERLINK("http://example.invalid","bấm")'
    cell.data_type = "s"
    wb.save(path)
    F.received(path)
    outcome = consolidate_submissions(FilePort(workspace), F.PERIOD)
    out = load_workbook(outcome.output)
    values = [c.value for row in out["Tiến độ"].iter_rows() for c in row]
    assert '=HYPERLINK("http://example.invalid","bấm")' in values
    import zipfile

    with zipfile.ZipFile(outcome.output) as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))


def test_archive_idempotent_and_supersedes(workspace: Path) -> None:
    first = F.filled(workspace)
    sent_first = first.read_bytes()
    port = FilePort(workspace)
    a = consolidate_submissions(port, F.PERIOD)
    assert (a.archived_new, a.archived_known) == (1, 0)
    b = consolidate_submissions(port, F.PERIOD)
    assert (b.archived_new, b.archived_known) == (0, 1)
    F.filled(workspace, dest=first, seed=7)  # a corrected resubmission replaces the file
    F.received(first, F.ON_TIME + dt.timedelta(hours=2))
    c = consolidate_submissions(port, F.PERIOD)
    assert c.archived_new == 1
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        subs = archive.submissions()
        assert [s.current for s in subs] == [False, True]
        assert archive.check()
        # Both originals are kept, byte for byte, in the archive itself (one transaction with their rows).
        assert [archive.original(s.sha256) for s in subs] == [(sent_first, ".xlsx"), (first.read_bytes(), ".xlsx")]
        assert archive.db.execute("SELECT COUNT(*) FROM kept_files").fetchone()[0] == 2
    assert not (workspace / ".ddci" / "files").exists()


def test_a_version_sent_again_after_a_later_one_is_current_again(workspace: Path) -> None:
    """A, then B, then A again (the unit withdraws its correction): the archive's current rows are A's."""
    sent = F.filled(workspace)
    version_a = sent.read_bytes()
    port = FilePort(workspace)
    consolidate_submissions(port, F.PERIOD)
    F.filled(workspace, dest=sent, seed=7)
    F.received(sent, F.ON_TIME + dt.timedelta(hours=2))
    consolidate_submissions(port, F.PERIOD)
    sent.write_bytes(version_a)
    F.received(sent, F.ON_TIME + dt.timedelta(hours=4))
    again = consolidate_submissions(port, F.PERIOD)
    assert (again.archived_new, again.archived_known) == (0, 1)
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        subs = archive.submissions()
        assert [s.current for s in subs] == [True, False]  # A (archived first) is current, B superseded
        current = archive.current_rows([F.PERIOD])
        assert [(r.task_code, r.status, r.percent, r.result) for r in current] == [
            (r.task_code, r.status, r.percent, r.result) for r in again.validation.result.rows
        ]
        assert archive.check()


def test_originals_an_older_version_kept_in_its_folder_are_brought_into_the_archive(workspace: Path) -> None:
    """Archives written before ``kept_files`` kept each original as ``.ddci/files/<sha256>.xlsx``."""
    import hashlib

    earlier = b"an earlier month's original"
    earlier_sha = hashlib.sha256(earlier).hexdigest()
    damaged_sha = "f" * 64
    folder = workspace / ".ddci" / "files"
    folder.mkdir(parents=True)
    (folder / f"{earlier_sha}.XLSX").write_bytes(earlier)
    (folder / f"{damaged_sha}.xlsx").write_bytes(b"bytes that do not match their name")
    (folder / "notes.txt").write_text("not an original")
    sent = F.filled(workspace)
    consolidate_submissions(FilePort(workspace), F.PERIOD)
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        kept = {sha for (sha,) in archive.db.execute("SELECT sha256 FROM kept_files")}
        assert kept == {earlier_sha, hashlib.sha256(sent.read_bytes()).hexdigest()}
        assert archive.original(earlier_sha) == (earlier, ".xlsx")
        # One that does not match its hash stays where it was, still found there, never copied in.
        assert archive.original(damaged_sha) == (b"bytes that do not match their name", ".xlsx")
        assert archive.original("0" * 64) is None
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{earlier_sha}.XLSX", f"{damaged_sha}.xlsx", "notes.txt"]
    )


def test_a_file_replaced_after_its_check_is_not_archived(workspace: Path) -> None:
    """The bytes kept must be the bytes checked: otherwise the run stops and nothing is recorded."""

    from xl_addin.results.archive import ArchiveError

    sent = F.filled(workspace)
    outcome = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False)
    result = outcome.result
    F.filled(workspace, dest=sent, seed=9)  # the unit sends a new version while the office consolidates
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        with pytest.raises(ArchiveError, match="vừa bị thay đổi"):
            archive.record(result.period, result.accepted, result.rows, result.units)
        assert archive.submissions() == []
        assert archive.db.execute("SELECT COUNT(*) FROM report_rows").fetchone()[0] == 0
        assert archive.db.execute("SELECT COUNT(*) FROM unit_states").fetchone()[0] == 0


def test_history_export_writes_each_original_once(workspace: Path, tmp_path: Path, capsys) -> None:
    first = F.filled(workspace)
    sent_first = first.read_bytes()
    F.filled(workspace, unit="TTRA", seed=3)
    consolidate_submissions(FilePort(workspace), F.PERIOD)
    F.filled(workspace, dest=first, seed=7)
    F.received(first, F.ON_TIME + dt.timedelta(hours=2))
    consolidate_submissions(FilePort(workspace), F.PERIOD)
    out = tmp_path / "ban_goc"
    assert main(["history", str(workspace), "--export", str(out)]) == 0
    assert "Đã chép 3 tệp gốc" in capsys.readouterr().out
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    expected = [f"{F.PERIOD}/{first.name}", f"{F.PERIOD}/{first.stem} (2).xlsx", f"{F.PERIOD}/TTRA_{F.PERIOD}.xlsx"]
    assert written == sorted(expected)
    assert (out / F.PERIOD / first.name).read_bytes() == sent_first  # the superseded one, as it was sent
    assert (out / F.PERIOD / f"{first.stem} (2).xlsx").read_bytes() == first.read_bytes()
    assert main(["history", str(workspace), "--export", str(out)]) == 0  # again: nothing new
    assert "Đã chép 0 tệp gốc" in capsys.readouterr().out
    assert len(list(out.rglob("*.xlsx"))) == 3


def test_history_export_names_what_is_not_kept_and_refuses_the_inbox(workspace: Path, tmp_path: Path, capsys) -> None:
    import hashlib

    sent = F.filled(workspace)
    consolidate_submissions(FilePort(workspace), F.PERIOD)
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive, archive.db:
        archive.db.execute("DELETE FROM kept_files WHERE sha256=?", (hashlib.sha256(sent.read_bytes()).hexdigest(),))
    assert main(["history", str(workspace), "--export", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "Đã chép 0 tệp gốc" in out and f"Không còn bản gốc của 1 tệp: {F.PERIOD}/{sent.name}." in out
    assert main(["history", str(workspace), "--export", str(workspace / "nop" / "ban_goc")]) == 2
    captured = capsys.readouterr()
    assert "thư mục nộp" in captured.err and "Traceback" not in captured.err
    assert not (workspace / "nop" / "ban_goc").exists()


def _cells(path: Path) -> list:
    wb = load_workbook(path)
    return [[[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets]


def _writer_noting_its_process(monkeypatch, note: Path, fail: bool = False) -> None:
    """``write_consolidated`` as it is, noting which process ran it (and failing there when asked)."""
    import os

    from xl_addin.results import consolidated_book

    real = consolidated_book.write_consolidated

    def writer(*args, **kwargs):
        with note.open("a") as fh:
            fh.write(f"{os.getpid()}\n")
        if fail:
            from xl_addin.core.errors import DdciError

            raise DdciError("bảng tổng hợp đang mở")
        return real(*args, **kwargs)

    monkeypatch.setattr(consolidated_book, "write_consolidated", writer)


def test_consolidated_workbook_written_by_a_forked_child_is_the_same(workspace: Path, monkeypatch, tmp_path) -> None:
    """From ``FORK_MIN_ROWS`` rows a child writes the workbook beside the archive; what it holds does not change."""
    import os

    import xl_addin.actions as actions
    from xl_addin.files.beside import can_fork

    if not can_fork():
        pytest.skip("fork is used on Linux only")
    F.filled(workspace)
    F.filled(workspace, unit="TTRA", seed=3)
    port = FilePort(workspace)
    here = _cells(consolidate_submissions(port, F.PERIOD).output)
    monkeypatch.setattr(actions, "FORK_MIN_ROWS", 1)
    note = tmp_path / "writers"
    _writer_noting_its_process(monkeypatch, note)
    forked = consolidate_submissions(port, F.PERIOD)
    writers = note.read_text().split()
    assert len(writers) == 1 and int(writers[0]) != os.getpid()  # written by the child, once
    assert _cells(forked.output) == here


@pytest.mark.parametrize("fork_from", [1, 10**9], ids=["forked", "here"])
def test_archive_failing_leaves_the_workbook_written(workspace: Path, monkeypatch, tmp_path, fork_from: int) -> None:
    """Archive stops (a file replaced since its check): the workbook is still complete, nothing half-written is left."""
    import xl_addin.actions as actions
    from xl_addin.results.archive import Archive as RealArchive
    from xl_addin.results.archive import ArchiveError

    monkeypatch.setattr(actions, "FORK_MIN_ROWS", fork_from)
    F.filled(workspace)

    def refuse(self, copies):
        raise ArchiveError("Tệp “x.xlsx” vừa bị thay đổi trong lúc tổng hợp; chưa lưu trữ gì.")

    monkeypatch.setattr(RealArchive, "_keep_files", refuse)
    with pytest.raises(ArchiveError, match="vừa bị thay đổi"):
        consolidate_submissions(FilePort(workspace), F.PERIOD)
    reports = workspace / "bao_cao"
    assert (reports / f"tong_hop_{F.PERIOD}.xlsx").is_file()
    assert _cells(reports / f"tong_hop_{F.PERIOD}.xlsx")
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".")]  # no temp file left behind
    with RealArchive(workspace / ".ddci" / "archive.sqlite") as archive:
        assert archive.submissions() == []


@pytest.mark.parametrize("fork_from", [1, 10**9], ids=["forked", "here"])
def test_workbook_failing_archives_nothing(workspace: Path, monkeypatch, tmp_path, capsys, fork_from: int) -> None:
    """The period is archived only once its workbook is written, whichever process writes it."""
    import xl_addin.actions as actions

    monkeypatch.setattr(actions, "FORK_MIN_ROWS", fork_from)
    F.filled(workspace)
    _writer_noting_its_process(monkeypatch, tmp_path / "writers", fail=True)
    assert main(["consolidate", str(workspace), "--period", F.PERIOD]) == 1
    assert "bảng tổng hợp đang mở" in capsys.readouterr().err
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        assert archive.submissions() == []
        assert archive.db.execute("SELECT COUNT(*) FROM kept_files").fetchone()[0] == 0
        assert archive.db.execute("SELECT COUNT(*) FROM unit_states").fetchone()[0] == 0


def test_archive_keeps_who_sent_what_and_the_current_rows(workspace: Path) -> None:
    """What a quarter's report reads: each unit's state per month (replaced by a later run), current rows only."""
    from xl_addin.core.contracts import UnitState

    first = F.filled(workspace)
    port = FilePort(workspace)
    consolidate_submissions(port, F.PERIOD)
    F.filled(workspace, dest=first, seed=7)  # a resubmission, two hours later
    F.received(first, F.ON_TIME + dt.timedelta(hours=2))
    consolidate_submissions(port, F.PERIOD)
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        states = archive.unit_states([F.PERIOD, "2024-04"])
        assert len(states) == 8  # one per reporting unit, the second run replaced the first
        by_unit = {s.unit: s for s in states}
        assert by_unit["VP"].state == UnitState.ON_TIME and by_unit["TTQT"].state == UnitState.MISSING
        assert by_unit["VP"].received_at == F.ON_TIME + dt.timedelta(hours=2)
        rows = archive.current_rows([F.PERIOD])
        assert {(r.unit, r.period) for r in rows} == {("VP", F.PERIOD)}
        assert len(rows) == len(load_plan(port).tasks_for("VP"))  # the superseded copy's rows are left out
        assert {r.received_at for r in rows} == {F.ON_TIME + dt.timedelta(hours=2)}
        assert archive.latest_period_before("month", dt.date(2024, 4, 14)) == F.PERIOD
        assert archive.latest_period_before("month", dt.date(2024, 3, 14)) is None


def _report_month(workspace: Path, period: str, changes: dict[str, tuple[str, float]]) -> None:
    path = F.filled(workspace, period=period)
    wb = load_workbook(path)
    from xl_addin.tools.demo_fill import find_header_row

    ws = wb["Tiến độ"]
    header, cols = find_header_row(ws)
    for k, (status, percent) in changes.items():
        ws.cell(row=header + 1 + k, column=cols[COL_STATUS]).value = status
        ws.cell(row=header + 1 + k, column=cols[COL_PERCENT]).value = percent
        ws.cell(row=header + 1 + k, column=cols[COL_RESULT]).value = "Đã thực hiện theo kế hoạch."
    wb.save(path)
    F.received(path, dt.datetime(2024, int(period[-2:]), 14, 9, 0))


def test_history_rules_percent_drop_and_reopen(workspace: Path) -> None:
    port = FilePort(workspace)
    _report_month(workspace, "2024-02", {0: (STATUS_IN_PROGRESS, 80), 1: (STATUS_DONE, 100)})
    consolidate_submissions(port, "2024-02")
    for p in (workspace / "nop").iterdir():
        p.unlink()
    _report_month(workspace, "2024-03", {0: (STATUS_IN_PROGRESS, 50), 1: (STATUS_IN_PROGRESS, 60)})
    result = validate_submissions(port, "2024-03", write_outputs=False).result
    dropped = [f.message for f in result.findings if f.rule == "percent-dropped"]
    reopened = [f.message for f in result.findings if f.rule == "task-reopened"]
    assert any("1.1 giảm từ 80 (kỳ 2024-02) xuống 50" in m for m in dropped), dropped
    assert any("1.2" in m and "2024-02" in m for m in reopened), reopened


def test_history_cli(workspace: Path, capsys) -> None:
    assert main(["history", str(workspace)]) == 0
    assert "Chưa có báo cáo" in capsys.readouterr().out
    F.filled(workspace)
    assert main(["consolidate", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "tong_hop_2024-03.xlsx" in out
    assert main(["history", str(workspace)]) == 0
    out = capsys.readouterr().out
    assert "2024-03" in out and "VP" in out and "hiện hành" in out


def test_workbook_from_plain_tables_equals_workbook_from_frames(workspace: Path, tmp_path: Path) -> None:
    """``ddci consolidate`` writes from the plain tables (no pandas); the DataFrames give the very same sheets."""
    import zipfile

    import pandas as pd

    from xl_addin.results.consolidated_book import write_consolidated

    F.make_case(workspace, "percent-text")  # a warning: a shaded row
    F.filled(workspace, unit="TTRA", seed=3)
    port = FilePort(workspace)
    cons = consolidate(load_plan(port), validate_submissions(port, F.PERIOD, write_outputs=False).result)
    for name, table in cons.tables().items():
        pd.testing.assert_frame_equal(table.frame(), cons.sheets()[name])
    plain = write_consolidated(cons.tables(), tmp_path / "plain.xlsx", "T")
    frames = write_consolidated(cons.sheets(), tmp_path / "frames.xlsx", "T")
    with zipfile.ZipFile(plain) as a, zipfile.ZipFile(frames) as b:
        parts = [n for n in a.namelist() if n.startswith("xl/")]
        assert parts == [n for n in b.namelist() if n.startswith("xl/")]
        assert all(a.read(n) == b.read(n) for n in parts)

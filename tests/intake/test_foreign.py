"""Files shaped like other programs' (tests/support/foreign_corpus.py): each named, with the right rule.

Every class here was met in public spreadsheet test suites (``benchmarks/public_corpus.py``),
where it ended the whole run, took half a gigabyte, or got the wrong rule.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from tests.support import submission_fixtures as F
from tests.support.foreign_corpus import EXPECTED, relocated
from tests.support.stand_in_readers import StandInPanic
from xl_addin.actions import validate_submissions
from xl_addin.core.submissions import InboxFile
from xl_addin.excel.ports import FilePort
from xl_addin.intake import inbox as inbox_mod
from xl_addin.intake.inbox import read_inbox
from xl_addin.intake.workbook import read_workbook

NOT_READ = {"password-protected", "too-large", "unreadable"}


def _rules(items: list[InboxFile]) -> dict[str, list[tuple[str, str]]]:
    return {i.label: [(f.severity, f.rule) for f in i.findings] for i in items}


@pytest.fixture(scope="module")
def foreign_read(foreign: dict[str, Path]) -> dict[str, InboxFile]:
    """The whole foreign corpus read once, as one inbox."""
    items = read_inbox(next(iter(foreign.values())).parent)
    return {i.label: i for i in items}


def test_expectations_cover_the_corpus(foreign: dict[str, Path]) -> None:
    assert set(EXPECTED) == set(foreign)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_foreign_case(foreign: dict[str, Path], foreign_read: dict[str, InboxFile], case: str) -> None:
    item = foreign_read[foreign[case].name]
    wanted = EXPECTED[case]
    errors = [f for f in item.findings if f.severity == "error"]
    assert len(errors) == 1, item.findings  # one finding that says why, not a cascade
    assert errors[0].rule in (wanted if isinstance(wanted, tuple) else (wanted,)), item.findings
    assert all(f.file == item.label for f in item.findings)
    if errors[0].rule in NOT_READ:
        # never "its data can be read" next to a file that could not be read
        assert "legacy-xls" not in {f.rule for f in item.findings}
        assert not item.sheets


def test_messages_say_what_the_file_is(foreign: dict[str, Path], foreign_read: dict[str, InboxFile]) -> None:
    def message(case: str) -> str:
        return next(f.message for f in foreign_read[foreign[case].name].findings if f.severity == "error")

    for version in (2, 3, 4):
        assert "Excel 2.x–4.0" in message(f"biff{version}") and "Save As" in message(f"biff{version}")
        assert "Không phải tệp Excel" not in message(f"biff{version}")
    assert "mật khẩu" in message("writeprot_rc4") and "hỏng" not in message("writeprot_rc4")
    assert "LibreOffice" in message("encrypted_ods") and "mật khẩu" in message("encrypted_ods")
    assert "bộ nhớ" in message("dense_xls") and "các tệp khác vẫn được kiểm tra" in message("dense_xls")
    assert "bị hỏng" in message("ole_loop_unnamed")
    readable_xls = foreign_read[foreign["writeprot_only"].name]
    assert "legacy-xls" in {f.rule for f in readable_xls.findings}  # read, so the advice to resave stands


def test_relocated_packages_are_read_whole(workspace: Path) -> None:
    """A unit's real submission, laid out as other programs write it, is read sheet by sheet,
    its error cells found through the relationships, exactly as the original."""
    original = F.make_case(workspace, "formula-error")
    expected = {(f.unit, f.sheet, f.cell, f.rule) for f in _validate(workspace).findings if f.file}
    assert "formula-error" in {rule for *_, rule in expected}
    data = original.read_bytes()
    src = workspace / "src.xlsx"
    src.write_bytes(data)
    original.unlink()
    for layout in ("backslash", "root", "folder", "absolute"):
        moved = F.received(relocated(src, workspace / "nop" / f"VP_{layout}.xlsx", layout))
        got = {(f.unit, f.sheet, f.cell, f.rule) for f in _validate(workspace).findings if f.file}
        assert got == expected, layout
        moved.unlink()


def _validate(workspace: Path):
    return validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("workers", ["1", "2"])
def test_foreign_files_beside_a_submission(
    workspace: Path, foreign: dict[str, Path], monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    """The unit's own result is the same with every foreign file beside it, in one process or with a helper."""
    F.filled(workspace)
    alone = {f for f in _validate(workspace).findings}
    inbox = workspace / "nop"
    for path in foreign.values():
        shutil.copy2(path, inbox / path.name)
    for k in range(24):  # enough files for two blocks, so a helper process reads some of them
        shutil.copy2(foreign["writeprot_only"], inbox / f"chi_doc_{k}.xls")
    before = _snapshot(inbox)
    monkeypatch.setenv("DDCI_READ_WORKERS", workers)
    result = _validate(workspace)
    assert _snapshot(inbox) == before
    assert {f for f in result.findings if not f.file or f.file.startswith("VP_")} == alone
    assert next(u for u in result.units if u.unit == F.UNIT).state == "on-time"
    by_file: dict[str, set[str]] = {}
    for f in result.findings:
        by_file.setdefault(f.file, set()).add(f.rule)
    for case, rule in EXPECTED.items():
        assert by_file[foreign[case].name] & set(rule if isinstance(rule, tuple) else (rule,)), case


# --- a reader that panics -------------------------------------------------------------------


def test_real_panic_is_one_finding_in_process(foreign: dict[str, Path]) -> None:
    """python-calamine's own panic (PanicException, a BaseException) on the .xlsb, read in this process."""
    path = foreign["xlsb_panic"]
    item = InboxFile(path, path.name, path.stat().st_size, F.ON_TIME, kind="xlsb")
    read_workbook(item)
    assert [(f.file, f.rule) for f in item.findings] == [(path.name, "unreadable")]
    assert "PanicException" in item.findings[0].message


def _panicking_reader(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """python-calamine, except that opening ``target`` raises a BaseException, as a Rust panic does."""
    import python_calamine as pc

    size = target.stat().st_size
    real = pc.CalamineWorkbook.from_filelike

    def opening(fh):
        if len(fh.getvalue()) == size:
            raise StandInPanic("range end index 64 out of range for slice of length 1")
        return real(fh)

    monkeypatch.setattr(pc.CalamineWorkbook, "from_filelike", staticmethod(opening))


def test_panic_in_process_loses_nothing_else(
    workspace: Path, corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An ordinary .xlsx is read in this process: a panic there is still one finding, and the run goes on."""
    F.filled(workspace)
    bad = Path(shutil.copy2(corpus["valid"], workspace / "nop" / "hoang.xlsx"))
    _panicking_reader(monkeypatch, bad)
    result = _validate(workspace)
    assert [(f.rule, f.severity) for f in result.findings if f.file == "hoang.xlsx"] == [("unreadable", "error")]
    assert next(u for u in result.units if u.unit == F.UNIT).state == "on-time"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="the stand-in travels by fork")
def test_panic_in_a_helper_process_comes_back_as_a_finding(
    tmp_path: Path, corpus: dict[str, Path], foreign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing unpicklable crosses the process boundary: a helper returns plain findings, for a panic
    in its own process (the stand-in) and in its sandbox (python-calamine's real panic on the .xlsb)."""
    inbox = tmp_path / "nop"
    inbox.mkdir()
    stand_in = Path(shutil.copy2(corpus["valid"], inbox / "gia_lap.xlsx"))
    real = Path(shutil.copy2(foreign["xlsb_panic"], inbox / "that.xlsb"))
    _panicking_reader(monkeypatch, stand_in)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        items = pool.submit(inbox_mod._read_block, inbox, [stand_in, real]).result()
    assert [[(f.file, f.rule) for f in i.findings] for i in items if i is not None] == [
        [("gia_lap.xlsx", "unreadable")],
        [("that.xlsb", "unreadable")],
    ]


def test_cli_runs_through_foreign_files(workspace: Path, foreign: dict[str, Path], capsys) -> None:
    """``ddci validate`` and ``ddci consolidate`` with every foreign file in the inbox: findings, never a crash."""
    from xl_addin.cli import main

    F.filled(workspace)
    for path in foreign.values():
        shutil.copy2(path, workspace / "nop" / path.name)
    assert main(["validate", str(workspace), "--period", F.PERIOD, "--json"]) == 1  # errors to fix: exit 1
    out, err = capsys.readouterr()
    named = {f["file"] for f in json.loads(out)}
    assert {p.name for p in foreign.values()} <= named
    assert "Traceback" not in err and "panicked" not in err
    assert main(["consolidate", str(workspace), "--period", F.PERIOD]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err
    assert not list((workspace / ".ddci" / "logs").glob("loi-*.log"))  # no unexpected error was logged


def test_a_helper_started_by_spawn_logs_to_the_run_log(tmp_path: Path) -> None:
    """A reader's failure in a helper process (spawn: no handler inherited) goes to ddci.log, not the terminal."""
    import subprocess
    import sys

    code = (
        "import logging, sys; from pathlib import Path; from xl_addin.intake.inbox import _set_helper_check; "
        "_set_helper_check(None, Path(sys.argv[1])); "
        "logging.getLogger('xl_addin.intake.workbook').warning('reading x.xlsb failed: PanicException')"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert done.stderr == ""
    assert "PanicException" in (tmp_path / ".ddci" / "logs" / "ddci.log").read_text(encoding="utf-8")

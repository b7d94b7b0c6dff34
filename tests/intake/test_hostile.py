"""Hostile and broken files through the whole intake: nothing crashes, nothing leaks, nothing is lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import unicodedata
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from tests.support import submission_fixtures as F
from xl_addin.actions import consolidate_submissions, validate_submissions
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort
from xl_addin.files.lock import WorkspaceLock
from xl_addin.results.archive import Archive

# corpus key → the rule its finding must carry (None: skipped silently, no finding at all)
EXPECTED = {
    "valid": "identity-missing",  # a well-formed workbook that is not one of our templates
    "zip_bomb": "zip-bomb",
    "junk_rows": "identity-missing",
    "password": "password-protected",
    "legacy_xls": "identity-missing",
    "legacy_xls_password": "password-protected",
    "ole_not_excel": "not-excel",
    "xlsm": "identity-missing",
    "xxe": "xml-dtd",
    "xxe_utf16": "xml-dtd",
    "formula_injection": "identity-missing",
    "long_cell": "identity-missing",
    "legacy_text": "identity-missing",
    "nfd_text": "identity-missing",
    "lock_file": None,
    "folder": None,
    "empty": "empty-file",
    "truncated": "corrupt-zip",
    "crc_error": "corrupt-zip",
    "html_as_xls": "not-excel",
    "pdf": "not-excel",
}


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_whole_corpus_in_the_inbox(workspace: Path, corpus: dict[str, Path], capsys) -> None:
    inbox = workspace / "nop"
    for key in EXPECTED:
        src = corpus[key]
        if src.is_dir():
            (inbox / src.name).mkdir()
        else:
            shutil.copy2(src, inbox / src.name)
    F.filled(workspace)  # one good submission among them
    before = _snapshot(inbox)
    tracemalloc.start()
    outcome = validate_submissions(FilePort(workspace), F.PERIOD)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 300 * 2**20, peak
    by_file: dict[str, set[str]] = {}
    for f in outcome.result.findings:
        by_file.setdefault(f.file, set()).add(f.rule)
    for key, rule in EXPECTED.items():
        name = corpus[key].name
        if rule is None:
            assert name not in by_file, (key, by_file.get(name))
        else:
            assert rule in by_file.get(name, set()), (key, by_file.get(name))
    assert "macro-enabled" in by_file[corpus["xlsm"].name]
    assert next(u for u in outcome.result.units if u.unit == F.UNIT).state == "on-time"
    assert _snapshot(inbox) == before
    # a local file named in the XXE entity never reaches any output we wrote
    secret = corpus["xxe"].parent / "secret.txt"
    if secret.exists():
        marker = secret.read_text(encoding="utf-8").strip()
        for out in (workspace / "bao_cao").glob("*.xlsx"):
            with zipfile.ZipFile(out) as zf:
                assert not any(marker.encode() in zf.read(n) for n in zf.namelist())


def test_zip_bomb_rejected_in_little_memory(workspace: Path, corpus: dict[str, Path]) -> None:
    shutil.copy2(corpus["zip_bomb"], workspace / "nop" / "bom.xlsx")
    tracemalloc.start()
    result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [f.rule for f in result.findings if f.file == "bom.xlsx"] == ["zip-bomb"]
    assert peak < 100 * 2**20


def test_junk_rows_below_our_table_bounded_warning(workspace: Path) -> None:
    F.with_junk_rows(F.filled(workspace), 100_000)
    result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    rules = {f.rule for f in result.findings if f.unit == F.UNIT}
    assert "junk-rows" in rules


def test_legacy_encodings_converted_with_cell_named(workspace: Path) -> None:
    from xl_addin.intake.legacy_encoding import from_unicode

    path = F.filled(workspace)
    F.set_result(path, 0, from_unicode("Đã hoàn thành việc đăng tải thông tin lên trang điện tử", "tcvn3"))
    F.set_result(path, 1, from_unicode("Đang triển khai tập huấn cho công chức", "vni"))
    result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    legacy = [f for f in result.findings if f.rule == "legacy-encoding"]
    assert {f.cell[0] for f in legacy} == {"F"} and len(legacy) == 2
    rows = {r.task_code: r for r in result.rows}
    assert rows["1.1"].result == "Đã hoàn thành việc đăng tải thông tin lên trang điện tử"
    assert rows["1.2"].result == "Đang triển khai tập huấn cho công chức"


def test_nfd_normalised_long_cell_truncated_injection_inert(workspace: Path) -> None:
    path = F.filled(workspace)
    F.set_result(path, 0, unicodedata.normalize("NFD", "Đã rà soát thủ tục hành chính"))
    F.set_result(path, 1, "+cmd|' /C calc'!A0")
    F.set_result(path, 2, "ODAIMARKER")
    F.replace_in_sheets(path, "ODAIMARKER", "Kết quả " + "dài " * 10_000)  # 40,008 characters
    outcome = consolidate_submissions(FilePort(workspace), F.PERIOD)
    rows = {r.task_code: r for r in outcome.validation.result.rows}
    assert rows["1.1"].result == "Đã rà soát thủ tục hành chính"
    assert "cell-too-long" in {f.rule for f in outcome.validation.result.findings}
    with zipfile.ZipFile(outcome.output) as zf:
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
    values = [c.value for row in load_workbook(outcome.output)["Tiến độ"].iter_rows() for c in row]
    assert "+cmd|' /C calc'!A0" in values
    assert max(len(v) for v in values if isinstance(v, str)) <= 32_767


def test_second_run_refused_while_locked(workspace: Path, capsys) -> None:
    F.filled(workspace)
    with WorkspaceLock(workspace):
        code = main(["validate", str(workspace)])
    assert code == 4  # busy: try again
    assert "Traceback" not in capsys.readouterr().err


def test_killed_run_leaves_archive_and_outputs_valid(workspace: Path) -> None:
    for unit in ("VP", "TTRA", "VPDKDD", "CCBVMT"):
        F.filled(workspace, unit=unit)
    assert main(["consolidate", str(workspace)]) == 0  # a good archive to begin with
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        before = len(archive.submissions())
    F.filled(workspace, unit="QLDD")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen(
            [sys.executable, "-m", "xl_addin", "consolidate", str(workspace)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
            assert archive.check()
            assert len(archive.submissions()) in (before, before + 1)
        for out in (workspace / "bao_cao").glob("*.xlsx"):
            if not out.name.startswith("."):  # a killed writer's hidden temp file is not an output
                load_workbook(out, read_only=True).close()  # every visible output opens
    assert main(["consolidate", str(workspace)]) == 0  # the stale lock of the killed run is taken over
    with Archive(workspace / ".ddci" / "archive.sqlite") as archive:
        assert len(archive.submissions()) == before + 1

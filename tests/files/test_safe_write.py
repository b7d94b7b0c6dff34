"""Atomic writes, the workspace lock and inert cell text."""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support.libreoffice import libreoffice_convert
from xl_addin.core.errors import WorkspaceBusyError
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import EXCEL_MAX_CELL_CHARS, looks_like_formula, safe_cell_text, write_text_cell
from xl_addin.files.lock import WorkspaceLock

INJECTIONS = [
    "=1+1",
    '=HYPERLINK("http://example.invalid","bấm")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]

# --- atomic_write -------------------------------------------------------------------------


def test_atomic_write_replaces_on_success(tmp_path: Path) -> None:
    target = tmp_path / "bao_cao.xlsx"
    target.write_bytes(b"old")
    with atomic_write(target) as tmp:
        assert tmp.parent == tmp_path
        assert tmp.suffix == ".xlsx", "writers pick the format from the suffix"
        assert tmp.name.startswith("."), "hidden, so the inbox scanner skips it"
        assert tmp.exists()
        tmp.write_bytes(b"new")
        assert target.read_bytes() == b"old"
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao_cao.xlsx"]


def test_atomic_write_keeps_old_file_on_error(tmp_path: Path) -> None:
    target = tmp_path / "bao_cao.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="boom"), atomic_write(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao_cao.xlsx"]


def test_atomic_write_new_file_and_error_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "moi.docx"
    with pytest.raises(KeyboardInterrupt), atomic_write(target):
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    with atomic_write(target) as tmp:
        tmp.write_text("x", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "x"


def test_atomic_write_with_openpyxl(tmp_path: Path) -> None:
    target = tmp_path / "tong_hop.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Tổng hợp"
    with atomic_write(target) as tmp:
        wb.save(tmp)
    assert openpyxl.load_workbook(target).active["A1"].value == "Tổng hợp"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_atomic_write_uses_normal_permissions(tmp_path: Path) -> None:
    target = tmp_path / "quyen.xlsx"
    with atomic_write(target) as tmp:
        tmp.write_bytes(b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


# --- WorkspaceLock ------------------------------------------------------------------------


def test_lock_is_exclusive(tmp_path: Path) -> None:
    with WorkspaceLock(tmp_path) as lock:
        assert lock.held
        content = (tmp_path / ".ddci" / "lock").read_text(encoding="utf-8")
        assert f"pid={os.getpid()}" in content
        assert "time=" in content
        with pytest.raises(WorkspaceBusyError) as info:
            WorkspaceLock(tmp_path).acquire()
        message = info.value.message
        assert "Một lần chạy khác đang dùng thư mục làm việc" in message
        assert str(os.getpid()) in message
        assert "xoá tệp" in message and ".ddci" in message
    assert not (tmp_path / ".ddci" / "lock").exists()
    with WorkspaceLock(tmp_path):  # free again
        pass


def test_lock_refuses_reentry_from_same_object(tmp_path: Path) -> None:
    lock = WorkspaceLock(tmp_path)
    lock.acquire()
    try:
        with pytest.raises(WorkspaceBusyError):
            lock.acquire()
    finally:
        lock.release()


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(workspace: Path, content: str, age: float = 0.0) -> Path:
    path = workspace / ".ddci" / "lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    if age:
        st = path.stat()
        os.utime(path, (st.st_atime - age, st.st_mtime - age))
    return path


def test_stale_lock_is_taken_over(tmp_path: Path) -> None:
    path = _write_lock(tmp_path, f"pid={_dead_pid()}\nhost={socket.gethostname()}\ntime=2024-01-01T00:00:00\n")
    with WorkspaceLock(tmp_path):
        assert f"pid={os.getpid()}" in path.read_text(encoding="utf-8")
    assert not path.exists()
    assert [p.name for p in path.parent.iterdir()] == [], "the stale lock is not left lying around"


def test_stale_lock_with_impossible_pid(tmp_path: Path) -> None:
    _write_lock(tmp_path, f"pid=2147483646\nhost={socket.gethostname()}\n")
    with WorkspaceLock(tmp_path) as lock:
        assert lock.held


def test_live_lock_of_another_process_is_respected(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _write_lock(tmp_path, f"pid={proc.pid}\nhost={socket.gethostname()}\n")
        with pytest.raises(WorkspaceBusyError, match=str(proc.pid)):
            WorkspaceLock(tmp_path).acquire()
    finally:
        proc.kill()
        proc.wait()


def test_lock_from_another_host_is_respected(tmp_path: Path) -> None:
    _write_lock(tmp_path, f"pid={_dead_pid()}\nhost=may-khac-{socket.gethostname()}\n")
    with pytest.raises(WorkspaceBusyError, match="trên máy may-khac"):
        WorkspaceLock(tmp_path).acquire()


def test_garbled_lock(tmp_path: Path) -> None:
    path = _write_lock(tmp_path, "")
    with pytest.raises(WorkspaceBusyError):  # may be a lock being written right now
        WorkspaceLock(tmp_path).acquire()
    _write_lock(tmp_path, "\x00garbage", age=3600)
    with WorkspaceLock(tmp_path):  # old and unreadable: stale
        assert "pid=" in path.read_text(encoding="utf-8")


def test_release_never_removes_someone_elses_lock(tmp_path: Path) -> None:
    lock = WorkspaceLock(tmp_path)
    lock.acquire()
    path = tmp_path / ".ddci" / "lock"
    path.write_text("pid=1\nhost=khac\n", encoding="utf-8")  # e.g. taken over by another run
    lock.release()
    assert path.read_text(encoding="utf-8") == "pid=1\nhost=khac\n"


# --- cell text ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", INJECTIONS)
def test_formula_like_text_is_kept_verbatim(text: str) -> None:
    assert looks_like_formula(text)
    assert safe_cell_text(text) == (text, None)
    assert safe_cell_text(text, apostrophe=True) == ("'" + text, None)


def test_plain_text_untouched() -> None:
    for text in ["Đang triển khai", "50%", "Tỷ lệ -", "a=b", ""]:
        assert safe_cell_text(text) == (text, None)
        assert not looks_like_formula(text) or text.startswith("-")


def test_long_text_is_truncated_with_a_warning() -> None:
    text = "Nội dung " * 5000  # 45,000 characters
    out, warning = safe_cell_text(text)
    assert len(out) == EXCEL_MAX_CELL_CHARS
    assert out == text[:EXCEL_MAX_CELL_CHARS]
    assert warning is not None
    assert "45.000" in warning and "32.767" in warning
    assert "cắt bớt" in warning and "chia thành nhiều ô" in warning


def test_truncation_counts_utf16_and_keeps_emoji_whole() -> None:
    text = "a" + "😀" * 20_000  # 40,001 UTF-16 units
    out, warning = safe_cell_text(text)
    assert warning
    assert len(out.encode("utf-16-le")) // 2 <= EXCEL_MAX_CELL_CHARS
    assert out == "a" + "😀" * 16_383
    exactly = "😀" * 16_383 + "a"  # 32,767 units: fits
    assert safe_cell_text(exactly) == (exactly, None)


def test_illegal_control_characters_are_dropped() -> None:
    out, warning = safe_cell_text("Hoàn\x00 thành\x0b")
    assert out == "Hoàn thành"
    assert warning and "ký tự điều khiển" in warning
    assert safe_cell_text("dòng 1\ndòng 2\tcột") == ("dòng 1\ndòng 2\tcột", None)


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read("xl/worksheets/sheet1.xml").decode("utf-8")


def _write_injections(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for row, text in enumerate(INJECTIONS, start=1):
        assert write_text_cell(ws.cell(row=row, column=1), text) is None
    assert write_text_cell(ws.cell(row=len(INJECTIONS) + 1, column=1), "x" * 40_000)
    wb.save(path)


def test_written_text_is_never_a_formula(tmp_path: Path) -> None:
    path = tmp_path / "ket_qua.xlsx"
    _write_injections(path)
    xml = _sheet_xml(path)
    assert "<f>" not in xml and "<f " not in xml
    assert xml.count('t="inlineStr"') + xml.count('t="s"') == len(INJECTIONS) + 1
    ws = openpyxl.load_workbook(path).active
    for row, text in enumerate(INJECTIONS, start=1):
        cell = ws.cell(row=row, column=1)
        assert cell.data_type == "s"
        assert cell.value == text
    assert len(ws.cell(row=len(INJECTIONS) + 1, column=1).value) == EXCEL_MAX_CELL_CHARS

    import python_calamine as pc

    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in rows[: len(INJECTIONS)]] == INJECTIONS


def test_plain_assignment_would_have_been_a_formula(tmp_path: Path) -> None:
    """The hazard this module exists for: openpyxl writes '=...' strings as formulas."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "=1+1"
    path = tmp_path / "nguy_hiem.xlsx"
    wb.save(path)
    assert "<f>" in _sheet_xml(path)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_does_not_evaluate_written_text(tmp_path: Path) -> None:
    path = tmp_path / "ket_qua.xlsx"
    _write_injections(path)
    csv_path = libreoffice_convert(path, tmp_path, "csv:Text - txt - csv (StarCalc):44,34,76")
    with open(csv_path, encoding="utf-8", newline="") as fh:
        values = [row[0] if row else "" for row in csv.reader(fh)]
    for text in INJECTIONS:
        assert text in values, (text, values[:10])
    assert "2" not in values, "=1+1 must not have been evaluated"

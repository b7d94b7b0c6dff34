"""Files in motion: a file saved a moment ago is waited for and read; only one that keeps changing is left."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.support import submission_fixtures as F
from xl_addin.actions import validate_submissions
from xl_addin.excel.ports import FilePort
from xl_addin.intake.motion import MAX_WAIT, still_moving

NOW = 1_700_000_000.0


class FakeDisk:
    """Stat results by path, changed by a schedule when ``sleep`` is called; records the waits."""

    def __init__(self, files: dict[str, tuple[int, float]], after_wait: dict[str, tuple[int, float]] | None = None):
        self.files, self.after_wait, self.waits = dict(files), after_wait or {}, []

    def stat(self, path: Path):
        size, mtime = self.files[str(path)]
        return SimpleNamespace(st_size=size, st_mtime=mtime, st_mtime_ns=int(mtime * 1e9))

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.files.update(self.after_wait)

    def moving(self) -> set[str]:
        paths = [Path(p) for p in self.files]
        return {str(p) for p in still_moving(paths, clock=lambda: NOW, sleep=self.sleep, stat=self.stat)}


def test_old_files_cost_no_wait() -> None:
    disk = FakeDisk({"a.xlsx": (100, NOW - 60), "b.xlsx": (100, NOW - 1.5)})
    assert disk.moving() == set() and disk.waits == []


def test_fresh_but_settled_file_is_read_after_one_short_wait() -> None:
    disk = FakeDisk({"a.xlsx": (100, NOW - 0.3), "b.xlsx": (100, NOW - 0.9), "c.xlsx": (5, NOW - 60)})
    assert disk.moving() == set()
    assert disk.waits == [pytest.approx(0.7)]  # until the youngest is a second old, once for the whole run


def test_file_that_keeps_changing_is_left_for_the_next_run() -> None:
    disk = FakeDisk(
        {"growing.xlsx": (100, NOW - 0.1), "done.xlsx": (100, NOW - 0.2)}, after_wait={"growing.xlsx": (200, NOW)}
    )
    assert disk.moving() == {"growing.xlsx"}
    assert len(disk.waits) == 1


def test_wait_is_bounded_even_for_a_time_in_the_future() -> None:
    disk = FakeDisk({"clock_skew.xlsx": (100, NOW + 0.99), "b.xlsx": (100, NOW - 0.5)})
    assert disk.moving() == set()
    assert len(disk.waits) == 1 and disk.waits[0] <= MAX_WAIT


def test_copy_made_a_moment_ago_is_read(workspace: Path) -> None:
    """What ``cp`` leaves (every mtime new) is read, not reported as still copying."""
    source = F.filled(workspace, dest=workspace / "src.xlsx")
    shutil.copyfile(source, workspace / "nop" / "VP_2024-03.xlsx")  # mtime: now
    result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    assert "still-copying" not in {f.rule for f in result.findings}
    assert next(u for u in result.units if u.unit == F.UNIT).file == "VP_2024-03.xlsx"


def test_file_still_being_written_is_a_warning(workspace: Path) -> None:
    F.filled(workspace)
    growing = workspace / "nop" / "dang_ghi.xlsx"
    growing.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            with growing.open("ab") as fh:
                fh.write(b"\0" * 100)
            os.utime(growing)
            time.sleep(0.05)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    finally:
        stop.set()
        thread.join()
    mine = [(f.severity, f.rule) for f in result.findings if f.file == "dang_ghi.xlsx"]
    assert mine == [("warning", "still-copying")]
    assert next(f.message for f in result.findings if f.file == "dang_ghi.xlsx").count("lần chạy sau") == 1
    assert next(u for u in result.units if u.unit == F.UNIT).state == "on-time"  # the others are read as usual

"""The sandbox: a risky file is read in a child process that cannot take the run down with it.

Stand-in readers (tests/support/stand_in_readers.py) fail the ways python-calamine has
failed on real files: a panic, memory without end, an abort, a read that never ends.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import submission_fixtures as F
from xl_addin.core.contracts import Rule
from xl_addin.core.submissions import InboxFile
from xl_addin.intake.limits import address_space_cap, child_outcome, over_budget, resident_bytes
from xl_addin.intake.sandbox import Sandbox

STAND_IN = "tests.support.stand_in_readers:"
SMALL = 64 * 2**20


def _item(path: Path, kind: str = "xls") -> InboxFile:
    return InboxFile(path, path.name, path.stat().st_size, F.ON_TIME, kind=kind)


def _rules(item: InboxFile) -> list[tuple[str, str]]:
    return [(f.file, f.rule) for f in item.findings]


@pytest.fixture
def sandbox():
    boxes: list[Sandbox] = []

    def make(**kwargs) -> Sandbox:
        boxes.append(Sandbox(**kwargs))
        return boxes[-1]

    yield make
    for box in boxes:
        box.close()


def test_reads_in_the_child_and_keeps_it_for_the_next_file(sandbox, foreign: dict[str, Path]) -> None:
    box = sandbox(reader=STAND_IN + "fine")
    first = box.read(_item(foreign["writeprot_only"]))
    pid = box._proc.pid if box._proc else None
    second = box.read(_item(foreign["writeprot_only"]))
    assert first.kind == second.kind == "checked-in-child" and not first.findings
    assert box._proc is not None and box._proc.pid == pid  # one child for many files


def test_a_panic_is_one_finding_and_the_child_lives_on(sandbox, foreign: dict[str, Path]) -> None:
    box = sandbox(reader=STAND_IN + "panic")
    item = box.read(_item(foreign["writeprot_only"]))
    assert _rules(item) == [(foreign["writeprot_only"].name, "unreadable")]
    assert "StandInPanic" in item.findings[0].message
    assert box._proc is not None and box._proc.poll() is None


def test_real_calamine_panic_and_real_allocation(sandbox, foreign: dict[str, Path]) -> None:
    """python-calamine itself: its panic on the .xlsb, and the half gigabyte for the dense .xls."""
    box = sandbox(memory_budget=SMALL)
    assert _rules(box.read(_item(foreign["xlsb_panic"], "xlsb"))) == [(foreign["xlsb_panic"].name, "unreadable")]
    dense = box.read(_item(foreign["dense_xls"]))
    assert _rules(dense) == [(foreign["dense_xls"].name, "too-large")]
    assert "64 MB" in dense.findings[0].message
    readable = box.read(_item(foreign["writeprot_only"]))  # a new child takes over
    assert [f.rule for f in readable.findings] == ["identity-missing"]


@pytest.mark.skipif(sys.platform != "linux", reason="the child caps itself with RLIMIT_AS, read from /proc")
def test_memory_past_the_cap_is_too_large(sandbox, foreign: dict[str, Path]) -> None:
    box = sandbox(reader=STAND_IN + "hog", memory_budget=SMALL)
    assert _rules(box.read(_item(foreign["writeprot_only"]))) == [(foreign["writeprot_only"].name, "too-large")]


@pytest.mark.skipif(sys.platform != "linux", reason="the child caps itself with RLIMIT_AS, read from /proc")
def test_each_file_judged_on_what_the_child_said_about_it(sandbox, foreign: dict[str, Path]) -> None:
    """A child that reported one file too large (and lived on) and then aborts on the next: that one is unreadable."""
    box = sandbox(reader=STAND_IN + "by_label", memory_budget=SMALL)
    path = foreign["writeprot_only"]
    hog = InboxFile(path, "hog.xls", 1, F.ON_TIME, kind="xls")
    assert [f.rule for f in box.read(hog).findings] == ["too-large"]  # MemoryError, caught in the child
    abort = InboxFile(path, "abort.xls", 1, F.ON_TIME, kind="xls")
    assert [f.rule for f in box.read(abort).findings] == ["unreadable"]


@pytest.mark.skipif(resident_bytes(1) is None and sys.platform != "win32", reason="no way to read memory here")
def test_watchdog_stops_a_child_without_a_cap(sandbox, foreign: dict[str, Path]) -> None:
    """Where a child cannot cap itself, this side stops it when its memory passes the budget."""
    box = sandbox(reader=STAND_IN + "hog", memory_budget=SMALL, self_limit=False)
    item = box.read(_item(foreign["writeprot_only"]))
    assert _rules(item) == [(foreign["writeprot_only"].name, "too-large")]
    assert box._proc is None  # stopped, to be replaced at the next file


def test_time_limit(sandbox, foreign: dict[str, Path]) -> None:
    box = sandbox(reader=STAND_IN + "sleepy", time_limit=0.5)
    item = box.read(_item(foreign["writeprot_only"]))
    assert _rules(item) == [(foreign["writeprot_only"].name, "too-large")]
    assert "0,5 giây" in item.findings[0].message


def test_abort_and_unpicklable_result_are_unreadable(sandbox, foreign: dict[str, Path]) -> None:
    for reader in ("abort", "unpicklable"):
        box = sandbox(reader=STAND_IN + reader)
        item = box.read(_item(foreign["writeprot_only"]))
        assert _rules(item) == [(foreign["writeprot_only"].name, "unreadable")], reader
        assert "dừng đột ngột" in item.findings[0].message


def test_no_child_possible_reads_in_this_process(
    sandbox, foreign: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    item = sandbox().read(_item(foreign["xlsb_panic"], "xlsb"))
    assert _rules(item) == [(foreign["xlsb_panic"].name, "unreadable")]  # contained here all the same


# --- the decisions, on any system -----------------------------------------------------------


def test_address_space_cap() -> None:
    infinity = -1
    assert address_space_cap(100, 50, infinity, infinity) == 150
    assert address_space_cap(100, 50, 120, infinity) == 120  # never above the hard limit


def test_over_budget() -> None:
    assert over_budget(300, 100, 150)
    assert not over_budget(200, 100, 150)
    assert not over_budget(None, 100, 1) and not over_budget(10**12, None, 1)  # unknown: no verdict


@pytest.mark.parametrize(
    ("timed_out", "watchdog", "stderr", "rule"),
    [
        (True, False, "", Rule.TOO_LARGE),
        (False, True, "", Rule.TOO_LARGE),
        (False, False, "memory allocation of 536870912 bytes failed\n", Rule.TOO_LARGE),
        (False, False, "MemoryError\n", Rule.TOO_LARGE),
        (False, False, "thread '<unnamed>' panicked at src/cfb.rs:345:44\n", Rule.UNREADABLE),
        (False, False, "", Rule.UNREADABLE),
    ],
)
def test_child_outcome(timed_out: bool, watchdog: bool, stderr: str, rule: Rule) -> None:
    got, message = child_outcome(
        timed_out=timed_out, watchdog=watchdog, stderr_tail=stderr, budget=256 * 2**20, time_limit=10.0
    )
    assert got == rule
    assert ("10 giây" in message) == timed_out
    assert message.endswith("rồi gửi lại.")

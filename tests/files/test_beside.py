"""A job run in a forked child beside this process, and every way the child can fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xl_addin.core.errors import DdciError
from xl_addin.files import beside
from xl_addin.files.beside import Beside

needs_fork = pytest.mark.skipif(not beside.can_fork(), reason="fork is used on Linux only")


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


@needs_fork
def test_the_job_runs_in_a_child_and_its_result_comes_back() -> None:
    job = Beside(_pid_and, 21)
    pid, value = job.result()
    assert value == 42 and pid != os.getpid()
    assert job.result() == (pid, 42)  # asked again: the same answer, no second run


def test_without_fork_the_job_runs_here_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(beside, "can_fork", lambda: False)
    assert Beside(_pid_and, 1).result() == (os.getpid(), 2)
    assert Beside(_pid_and, 2, fork=False).result() == (os.getpid(), 4)


def _fails_in_child(parent: int, marker: Path) -> str:
    with marker.open("a") as fh:
        fh.write("child\n" if os.getpid() != parent else "parent\n")
    if os.getpid() != parent:
        raise DdciError("hỏng trong tiến trình con")
    raise DdciError("hỏng ở đây")


@needs_fork
def test_a_job_that_fails_in_the_child_is_run_here_and_its_own_error_raised(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    job = Beside(_fails_in_child, os.getpid(), marker)
    with pytest.raises(DdciError, match="hỏng ở đây"):  # the parent's error: logged and shown as without a child
        job.result()
    assert marker.read_text().splitlines() == ["child", "parent"]


def _dies_in_child(parent: int) -> int:
    if os.getpid() != parent:
        os._exit(9)  # killed, out of memory …: no answer at all
    return 7


@needs_fork
def test_a_child_that_dies_without_answering_is_replaced_by_running_here() -> None:
    assert Beside(_dies_in_child, os.getpid()).result() == 7


def _unpicklable(parent: int):
    return (lambda: None) if os.getpid() != parent else "here"


@needs_fork
def test_a_result_that_cannot_travel_is_computed_here() -> None:
    assert Beside(_unpicklable, os.getpid()).result() == "here"


@needs_fork
def test_the_child_does_not_print_again_what_the_parent_had_buffered(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from xl_addin.files.beside import Beside\n"
        "sys.stdout.write('một lần\\n')\n"  # buffered: stdout is a pipe
        "Beside(int, '5').result()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", check=True)
    assert out.stdout == "một lần\n"

"""Run one job in a forked copy of this process while this process goes on with another.

Threads do not help when both jobs are Python: the archive's many short SQLite calls each
wait up to 5 ms for the interpreter lock the workbook writer holds (measured: 0.4 s of
archive became 1.0 s beside it). A forked child shares the parent's memory, so the job's
data is not copied or pickled; only its small result travels back.

Where ``fork`` is not the platform's way (Windows, macOS) or the job is small, the job just
runs here, at once. Whatever goes wrong in the child (it cannot start, dies, or its job
raises) makes the parent run the job itself when it asks for the result, so an error is
raised, logged and shown exactly as without a child. The jobs given here must therefore be
safe to run twice: they write their one output atomically. Used as a context manager, the
child is always waited for, even when the parent's own work fails: the job's output is then
complete, as it is when the job ran here first.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Beside", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child can be forked here: Linux, where fork is the default and safe for us."""
    return sys.platform.startswith("linux")


class Beside(Generic[T]):
    """``fn(*args)`` started in a child now (or run here at once); :meth:`result` waits for it."""

    def __init__(self, fn: Callable[..., T], *args: Any, fork: bool = True) -> None:
        self._fn, self._args = fn, args
        self._done = False
        self._value: T | None = None
        self._proc: Any = None
        self._conn: Any = None
        self._answer: tuple[bool, Any] = (False, None)
        if fork and can_fork():
            self._start()
        if self._proc is None:
            self._value, self._done = fn(*args), True

    def _start(self) -> None:
        try:
            import multiprocessing

            ctx = multiprocessing.get_context("fork")  # Process.start() flushes stdout/stderr before forking
            self._conn, child = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=_child, args=(child, self._fn, self._args))
            self._proc.start()
            child.close()
        except (OSError, ValueError, RuntimeError):
            self._proc = None

    def _wait(self) -> None:
        """Wait for the child to end and keep its answer; nothing is run here."""
        if self._proc is None:
            return
        try:
            self._answer = self._conn.recv()
        except (EOFError, OSError):  # the child died before answering
            pass
        finally:
            self._conn.close()
            self._proc.join()
            self._proc = None

    def result(self) -> T:
        """The job's result: from the child when it finished well, else from running the job here."""
        if not self._done:
            self._wait()
            ok, value = self._answer
            if not ok:
                value = self._fn(*self._args)  # the genuine error (or result) where it is logged and shown
            self._value, self._done = value, True
        return self._value  # type: ignore[return-value]

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self._wait()


def _child(conn: Any, fn: Callable[..., Any], args: tuple) -> None:
    try:
        value = fn(*args)
    except BaseException:  # the parent runs the job itself and meets the error there
        conn.send((False, None))
    else:
        try:
            conn.send((True, value))
        except Exception:  # a result that cannot travel: the parent computes it
            conn.send((False, None))
    finally:
        conn.close()

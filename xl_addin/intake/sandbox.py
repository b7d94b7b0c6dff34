"""Read a risky workbook in a child process, under a memory and a time limit.

python-calamine has panicked, allocated half a gigabyte for a 41 KB ``.xls`` and grown without
end on a looping compound file, all on files that real programs wrote. So the formats whose
readers do that (.xls, .xlsb, .ods) and packages laid out unlike Excel's are read by one
long-lived child process (``intake.sandbox_child``) that limits its own memory
(``intake.limits``); this side gives it one file at a time and waits at most ``TIME_LIMIT``
seconds, watching the child's memory meanwhile. A child that goes over a limit, aborts or dies
is replaced, and the file gets one finding (``too-large`` or ``unreadable``) while the run goes
on. Only plain data crosses the pipe: the :class:`InboxFile` the child read, findings included.

Each reading process (the main one, each helper of ``intake.inbox``) has its own child, started
at the first risky file and ended with :func:`close_sandbox`, or when its parent's pipe closes.
Where no child can be started (a frozen application), the file is read in this process, as
before, with every reader failure still contained by ``intake.workbook``.
"""

from __future__ import annotations

import collections
import contextlib
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

from xl_addin.core.submissions import InboxFile
from xl_addin.intake.limits import MEMORY_BUDGET, TIME_LIMIT, child_outcome, over_budget, resident_bytes
from xl_addin.intake.workbook import file_finding, read_workbook

__all__ = ["READER", "Sandbox", "close_sandbox", "sandboxed_read"]

READER = "xl_addin.intake.workbook:read_workbook"
START_TIMEOUT = 60.0  # seconds for the child to start (a cold disk, an antivirus scan)
_POLL = 0.05
_HEADER = struct.Struct("<Q")
_log = logging.getLogger(__name__)


class _CannotStart(Exception):
    pass


class Sandbox:
    """One child process that reads files for this process, replaced whenever it fails."""

    def __init__(
        self,
        *,
        memory_budget: int = MEMORY_BUDGET,
        time_limit: float = TIME_LIMIT,
        reader: str = READER,
        self_limit: bool = True,
    ) -> None:
        """``self_limit=False`` starts the child without its own cap, as where the system offers none:
        the watchdog here is then the only memory bound."""
        self.memory_budget, self.time_limit, self.reader = memory_budget, time_limit, reader
        self.self_limit = self_limit
        self._proc: subprocess.Popen[bytes] | None = None
        self._replies: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: collections.deque[bytes] = collections.deque(maxlen=64)
        self._drainer: threading.Thread | None = None
        self._start_rss: int | None = None
        self._cannot_start = False

    def read(self, item: InboxFile, error_parts: tuple[str, ...] | None = None, data: bytes | None = None) -> InboxFile:
        """``item`` read in the child (findings and sheets filled in); a failure is one finding on it."""
        if self._cannot_start:
            read_workbook(item, error_parts, data)
            return item
        try:
            proc = self._running()
        except _CannotStart as exc:
            _log.warning("no reading process (%s); risky files are read in this process", exc)
            self._cannot_start = True  # not tried again for every file of the run
            read_workbook(item, error_parts, data)
            return item
        request = pickle.dumps((item, error_parts, data), protocol=pickle.HIGHEST_PROTOCOL)
        self._stderr.clear()  # what the child says from here on is about this file
        try:
            assert proc.stdin is not None
            proc.stdin.write(_HEADER.pack(len(request)) + request)
            proc.stdin.flush()
        except OSError:
            pass  # the child is gone: _wait sees it end
        reply, timed_out, watchdog = self._wait(proc, self.time_limit)
        if reply is not None:
            try:
                status, result = pickle.loads(reply)
                if status == "ok" and isinstance(result, InboxFile):
                    return result
            except Exception:
                pass
        self._stop()
        tail = b"".join(self._stderr).decode("utf-8", "replace")
        rule, message = child_outcome(
            timed_out=timed_out,
            watchdog=watchdog,
            stderr_tail=tail,
            budget=self.memory_budget,
            time_limit=self.time_limit,
        )
        _log.warning("reading %s stopped (%s): %s", item.label, rule, " | ".join(tail.strip().splitlines()[:4])[:600])
        file_finding(item, rule, message)
        return item

    def close(self) -> None:
        self._stop()

    # --- the child ----------------------------------------------------------------------------

    def _running(self) -> subprocess.Popen[bytes]:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        self._stop()
        if getattr(sys, "frozen", False) or not sys.executable:
            raise _CannotStart("no Python interpreter to start")
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env.pop("RUST_BACKTRACE", None)  # the panic's first lines are what the log keeps
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        code = "from xl_addin.intake.sandbox_child import main; main()"
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", code, str(self.memory_budget if self.self_limit else 0), self.reader],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError as exc:
            raise _CannotStart(str(exc)) from exc
        self._proc, self._replies = proc, queue.Queue()
        self._stderr.clear()
        assert proc.stdout is not None and proc.stderr is not None
        threading.Thread(target=_pump_replies, args=(proc.stdout, self._replies), daemon=True).start()
        self._drainer = threading.Thread(target=_drain, args=(proc.stderr, self._stderr), daemon=True)
        self._drainer.start()
        ready, _timed_out, _watchdog = self._wait(proc, START_TIMEOUT, watch=False)
        if ready is None:
            self._stop()
            raise _CannotStart(b"".join(self._stderr).decode("utf-8", "replace").strip()[-300:] or "no answer")
        self._start_rss = resident_bytes(proc.pid)
        return proc

    def _wait(
        self, proc: subprocess.Popen[bytes], limit: float, *, watch: bool = True
    ) -> tuple[bytes | None, bool, bool]:
        """(reply, timed out, over memory): the child's next reply, or why there is none."""
        deadline = time.monotonic() + limit
        while True:
            try:
                return self._replies.get(timeout=_POLL), False, False
            except queue.Empty:
                pass
            if proc.poll() is not None:
                try:  # a reply written just before the child ended is still in the pipe
                    return self._replies.get(timeout=1.0), False, False
                except queue.Empty:
                    return None, False, False
            if watch and over_budget(resident_bytes(proc.pid), self._start_rss, self.memory_budget):
                return None, False, True
            if time.monotonic() > deadline:
                return None, True, False

    def _stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):  # a killed process that does not end
            proc.wait(timeout=5)
        if self._drainer is not None:
            self._drainer.join(timeout=1.0)  # the end of its stderr says why it ended
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                if stream is not None:
                    stream.close()


def _pump_replies(stream: IO[bytes], replies: queue.Queue[bytes | None]) -> None:
    """Length-prefixed replies from the child into ``replies``; None when the pipe closes."""
    try:
        while header := stream.read(_HEADER.size):
            if len(header) < _HEADER.size:
                break
            (size,) = _HEADER.unpack(header)
            body = stream.read(size)
            if len(body) < size:
                break
            replies.put(body)
    except (OSError, ValueError):
        pass
    replies.put(None)


def _drain(stream: IO[bytes], tail: collections.deque[bytes]) -> None:
    """Keep the end of the child's stderr (a Rust panic's message, "memory allocation … failed")."""
    try:
        while chunk := stream.read1(4096) if hasattr(stream, "read1") else stream.read(4096):
            tail.append(chunk)
    except (OSError, ValueError):
        pass


_shared: Sandbox | None = None


def sandboxed_read(item: InboxFile, error_parts: tuple[str, ...] | None = None, data: bytes | None = None) -> InboxFile:
    """Read ``item`` in this process's sandbox (started on first use)."""
    global _shared
    if _shared is None:
        _shared = Sandbox()
    return _shared.read(item, error_parts, data)


def close_sandbox() -> None:
    """End this process's sandbox, if it has one (the next risky file starts another)."""
    global _shared
    if _shared is not None:
        _shared.close()
        _shared = None

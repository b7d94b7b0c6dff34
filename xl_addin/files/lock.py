"""One run per workspace: two clerks (or a double-click) on the same shared folder would interleave writes.

``<workspace>/.ddci/lock`` created with ``O_CREAT | O_EXCL`` admits one run; a lock
left by a crashed run (its process gone, on this machine) is taken over.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import socket
from pathlib import Path

from xl_addin.core.errors import WorkspaceBusyError

__all__ = ["WorkspaceLock"]


def _pid_alive(pid: int) -> bool:
    """Whether a process with this id exists on this machine.

    On Windows ``os.kill(pid, 0)`` would *terminate* the process, so we ask the kernel
    with OpenProcess/GetExitCodeProcess instead.
    """
    if pid <= 0:
        return False
    if os.name == "nt":
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _pid_alive_windows(pid: int) -> bool:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    process_query_limited_information, still_active, error_access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(process_query_limited_information, False, pid)
    if not handle:
        return kernel32.GetLastError() == error_access_denied
    try:
        code = ctypes.c_ulong()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


class WorkspaceLock:
    """``with WorkspaceLock(workspace):`` — one run per workspace at a time.

    The lock file holds ``pid``, host and start time. A second run (even from the same
    process) gets :class:`~xl_addin.core.errors.WorkspaceBusyError`. A lock whose pid no
    longer runs on this host is stale (the previous run crashed or the PC was switched
    off) and is taken over. A lock from another host (shared network folder) cannot be
    checked, so it is respected and the message says how to remove it by hand.
    """

    STALE_UNREADABLE_SECONDS = 30.0  # an empty/garbled lock older than this is stale

    def __init__(self, workspace: Path) -> None:
        self.workspace = Path(workspace)
        self.path = self.workspace / ".ddci" / "lock"
        self._token: str | None = None

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._token is not None

    def acquire(self) -> None:
        """Take the lock or raise WorkspaceBusyError; takes over a stale lock once."""
        if self._token is not None:
            raise self._busy(self._read())
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            token = self._content()
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                current = self._read()
                if current is None:
                    continue  # vanished between our open and read: try again
                if not self._is_stale(current):
                    raise self._busy(current) from None
                self._take_over(current)
                continue
            try:
                os.write(fd, token.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            self._token = token
            return
        raise self._busy(self._read())

    def release(self) -> None:
        """Remove the lock if it is still ours (never someone else's)."""
        token, self._token = self._token, None
        if token is None:
            return
        if self._read() == token:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    # -- helpers --

    @staticmethod
    def _content() -> str:
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        return f"pid={os.getpid()}\nhost={socket.gethostname()}\ntime={now}\nnonce={secrets.token_hex(8)}\n"

    def _read(self) -> str | None:
        try:
            with open(self.path, encoding="utf-8", errors="replace") as fh:
                return fh.read(4096)
        except FileNotFoundError:
            return None

    @staticmethod
    def _fields(content: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in content.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                out[key.strip()] = value.strip()
        return out

    def _is_stale(self, content: str) -> bool:
        fields = self._fields(content)
        try:
            pid = int(fields.get("pid", ""))
        except ValueError:
            # A lock being written right now is briefly empty; a garbled old one is stale.
            try:
                age = dt.datetime.now().timestamp() - os.stat(self.path).st_mtime
            except FileNotFoundError:
                return False
            return age > self.STALE_UNREADABLE_SECONDS
        if fields.get("host", socket.gethostname()) != socket.gethostname():
            return False
        return not _pid_alive(pid)

    def _take_over(self, stale: str) -> None:
        """Move the stale lock aside, checking it is still the one we judged stale."""
        aside = self.path.with_name(f"lock.stale.{os.getpid()}.{secrets.token_hex(4)}")
        try:
            os.replace(self.path, aside)
        except FileNotFoundError:
            return
        try:
            with open(aside, encoding="utf-8", errors="replace") as fh:
                moved = fh.read(4096)
            if moved != stale:  # another run re-took it in between: put it back untouched
                with contextlib.suppress(FileExistsError, OSError):
                    os.link(aside, self.path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(aside)

    def _busy(self, content: str | None) -> WorkspaceBusyError:
        fields = self._fields(content or "")
        who = []
        if fields.get("pid"):
            who.append(f"tiến trình {fields['pid']}")
        if fields.get("host"):
            who.append(f"trên máy {fields['host']}")
        if fields.get("time"):
            who.append(f"bắt đầu lúc {fields['time']}")
        detail = f" ({', '.join(who)})" if who else ""
        return WorkspaceBusyError(
            f"Một lần chạy khác đang dùng thư mục làm việc này{detail}. "
            "Hãy đợi lần chạy đó kết thúc rồi chạy lại. Nếu chắc chắn không còn lần chạy nào "
            f"(ví dụ máy bị tắt đột ngột hoặc chạy từ máy khác đã tắt), hãy xoá tệp {self.path} rồi chạy lại."
        )

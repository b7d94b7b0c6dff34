"""Writing without collateral damage: atomic files, one run per workspace, inert cell text.

* :func:`atomic_write` — a crash or an exception half-way through saving must never
  leave a truncated workbook where a good one was; we write a sibling temp file and
  ``os.replace`` it (atomic on the same file system, Windows included).
* :class:`WorkspaceLock` — two clerks (or a double-click) running the tool on the
  same shared folder would interleave writes; ``<workspace>/.ddci/lock`` created with
  ``O_CREAT | O_EXCL`` admits one run, and a lock left by a crashed run is taken over.
* :func:`safe_cell_text` / :func:`write_text_cell` — text that came from other people's
  files (``=HYPERLINK(...)``, ``+cmd|...``, ``@SUM``) must stay text in what we write:
  openpyxl turns any ``str`` starting with ``=`` into a formula, so the cell's data type
  is forced to string after assignment. That keeps the text exactly as typed (no
  apostrophe that later shows up in reports) and the saved XML has ``t="inlineStr"``
  and no ``<f>``, which neither Excel nor LibreOffice evaluates.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import secrets
import socket
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from xl_addin.core.errors import WorkspaceBusyError
from xl_addin.core.vnformat import fmt_decimal

__all__ = [
    "EXCEL_MAX_CELL_CHARS",
    "WorkspaceLock",
    "atomic_write",
    "looks_like_formula",
    "safe_cell_text",
    "write_text_cell",
]

EXCEL_MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 code units
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot carry; openpyxl raises IllegalCharacterError on them.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- atomic_write -------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temp path next to ``path``; on success it replaces ``path`` atomically.

    The temp file is created empty (``O_EXCL``, so two writers never share it) with a
    hidden name that keeps the real suffix, because writers such as pandas pick the
    format from it and the inbox scanner skips hidden files. On any exception the temp
    file is removed and ``path`` is left exactly as it was.
    """
    path = Path(path)
    folder = path.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = _reserve_temp(folder, path)
    try:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(folder)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _reserve_temp(folder: Path, path: Path) -> Path:
    for _ in range(100):
        tmp = folder / f".{path.stem}.{secrets.token_hex(4)}.tmp{path.suffix}"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)  # umask applies, as for any new file
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"Không tạo được tệp tạm trong {folder}")


def _fsync(path: Path) -> None:
    """Flush a file's content, or a folder's entry list, to disk (best effort).

    The file before the rename makes it visible; the folder after, so the rename itself
    survives a power cut. Windows cannot open a folder for fsync, so that step is skipped there.
    """
    if os.name == "nt" and path.is_dir():
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- WorkspaceLock ------------------------------------------------------------------------


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

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
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


# --- cell text ----------------------------------------------------------------------------


def looks_like_formula(text: str) -> bool:
    """True for text that a spreadsheet or CSV consumer could take for a formula."""
    return text.startswith(FORMULA_TRIGGERS)


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _truncate_utf16(text: str, limit: int) -> str:
    """Cut to ``limit`` UTF-16 code units without splitting a surrogate pair (emoji)."""
    units = 0
    for i, ch in enumerate(text):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return text[:i]
    return text


def safe_cell_text(value: str, *, apostrophe: bool = False) -> tuple[str, str | None]:
    """Text that can be written into a cell as-is, and a Vietnamese warning if it changed.

    * characters XML cannot carry (NUL, other C0 controls except tab/LF/CR) are dropped;
    * text over Excel's 32,767-character limit is cut (Excel would refuse the file or
      cut it silently);
    * formula-like text (``=``, ``+``, ``-``, ``@``, tab, CR) is kept verbatim: pair this
      with :func:`write_text_cell`, which stores it as a string. ``apostrophe=True`` is
      for writers that only accept values typed as by a user (xlwings into a live
      Excel): Excel's leading ``'`` then marks the text as text and is not displayed.
    """
    text = str(value)
    notes: list[str] = []
    cleaned = _ILLEGAL_XML.sub("", text)
    if cleaned != text:
        notes.append(f"đã bỏ {len(text) - len(cleaned)} ký tự điều khiển không hợp lệ")
        text = cleaned
    if apostrophe and looks_like_formula(text):
        text = "'" + text
    length = _utf16_len(text)
    if length > EXCEL_MAX_CELL_CHARS:
        text = _truncate_utf16(text, EXCEL_MAX_CELL_CHARS)
        limit = fmt_decimal(EXCEL_MAX_CELL_CHARS, 0)
        notes.append(
            f"nội dung dài {fmt_decimal(length, 0)} ký tự, vượt giới hạn {limit} ký tự của một ô Excel "
            "nên đã bị cắt bớt phần cuối; hãy rút gọn nội dung hoặc chia thành nhiều ô"
        )
    if not notes:
        return text, None
    message = "; ".join(notes)
    return text, message[0].upper() + message[1:] + "."


def write_text_cell(cell: Any, value: str) -> str | None:
    """Store ``value`` in an openpyxl cell as inert text; return the warning, if any.

    openpyxl sets ``data_type = "f"`` for any string starting with ``=``; forcing ``"s"``
    afterwards makes the writer emit an inline string with no ``<f>`` element.
    """
    text, warning = safe_cell_text(value)
    cell.value = text
    cell.data_type = "s"
    return warning

"""Atomic writes: a crash half-way through saving never leaves a truncated file where a good one was.

We write a sibling temp file and ``os.replace`` it (atomic on the same file system,
Windows included), fsyncing the file before and the folder after.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_write", "sync_file", "sync_folder"]


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


def sync_file(path: Path) -> None:
    """Flush a file's content to disk (best effort)."""
    _fsync(Path(path))


def sync_folder(folder: Path) -> None:
    """Flush a folder's entry list to disk, so renames into it survive a power cut (best effort)."""
    _fsync(Path(folder))


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

"""Intake: find every submission in the inbox and read it, without ever changing it.

Files saved a moment ago are waited for once (``intake.motion``). Each file is then
inspected without parsing (``intake.safety``: lock files, zip bombs, password-protected
files, DTDs), then read with python-calamine (``intake.workbook``), every division sheet in
it: an ordinary .xlsx/.xlsm in this process, a format whose reader can blow up in a child
process under a memory and time limit (``intake.sandbox``). A workbook up to 8 MB is read
from disk once, and hashed and parsed from the bytes that were inspected. A caller may pass
the per-sheet rules (``check=intake.sheet_rules.SheetRules``) to run where each file is read, in one or
two processes. A file that cannot be read becomes one finding naming it, whatever the reader
raised, never a crash. The inbox is opened read-only: nothing here writes, moves or deletes a
file in it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path

from xl_addin.core.contracts import Rule, Severity
from xl_addin.core.gc_pause import gc_paused
from xl_addin.core.submissions import InboxFile
from xl_addin.intake.verdicts import MSG_COPYING
from xl_addin.intake.workbook import PASS_THROUGH, file_finding, read_workbook, reader_failure

__all__ = ["list_inbox", "read_inbox"]

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SYSTEM_FILES = {"desktop.ini", "thumbs.db", ".ds_store"}  # written by Windows/macOS, never a submission


def list_inbox(inbox: Path, period_code: str | None = None) -> list[Path]:
    """Candidate files in ``nop/`` and ``nop/<period>/`` (lock files and folders named .xlsx are skipped later)."""
    folders = [inbox]
    if period_code and (inbox / period_code).is_dir():
        folders.append(inbox / period_code)
    out: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        # Everything but OS litter: a stray .doc or .pdf gets a finding instead of being ignored.
        out += sorted(
            p
            for p in folder.iterdir()
            if p.name.lower() not in SYSTEM_FILES and not (p.is_dir() and p.suffix.lower() not in SUFFIXES)
        )
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


PARALLEL_MIN_FILES = 200  # below this, starting a second process (~0.3 s with spawn on Windows) does not pay


CheckFn = Callable[[InboxFile], None]
ReuseFn = Callable[[Path], InboxFile | None]


def read_inbox(
    inbox: Path,
    period_code: str | None = None,
    progress=None,
    *,
    workers: int | None = None,
    check: CheckFn | None = None,
    reuse: ReuseFn | None = None,
) -> list[InboxFile]:
    """Inspect and read every candidate file; problems become findings on the file.

    ``check`` (picklable; ``intake.sheet_rules.SheetRules``) is applied to each file right after it
    is read, in the process that read it, so checking is shared between processes too.
    ``workers`` processes read the files (same results, same order). The default uses
    two on a multi-core machine from ``PARALLEL_MIN_FILES`` files (``benchmarks/README.md``;
    ``DDCI_READ_WORKERS=1`` turns it off). ``reuse`` (``check_cache.CheckCache.reuser``)
    may return a file's earlier results when its bytes are unchanged; only the other files
    are read.
    """
    from xl_addin.intake.motion import still_moving

    listed = list_inbox(inbox, period_code)
    moving = still_moving(listed)  # waits (once, ≤ 2 s) only when a file was modified a moment ago
    paths = [p for p in listed if p not in moving]
    reused: list[InboxFile] = []
    if reuse is not None:
        with gc_paused():
            reused = [item for item in map(reuse, paths) if item is not None]
        done = {item.path for item in reused}
        paths = [p for p in paths if p not in done]
    try:
        items = _read_paths(inbox, paths, workers, progress, check)
    finally:
        sandbox = sys.modules.get("xl_addin.intake.sandbox")  # loaded only if a risky file came
        if sandbox is not None:
            sandbox.close_sandbox()
    if not moving and not reused:
        return items
    deferred = {p: _deferred(inbox, p) for p in moving}
    by_path = {item.path: item for item in (*items, *reused)}
    return [i for p in listed if (i := deferred.get(p) or by_path.get(p)) is not None]


def _read_paths(
    inbox: Path, paths: list[Path], workers: int | None, progress, check: CheckFn | None
) -> list[InboxFile]:
    n_workers = worker_count(workers, len(paths))
    if n_workers > 1:
        try:
            with gc_paused():
                return _read_parallel(inbox, paths, n_workers, progress, check)
        except (OSError, ImportError, RuntimeError):  # no usable processes here (BrokenProcessPool is a
            pass  # RuntimeError): read in this process; a genuine error of a file recurs below
    files = []
    with gc_paused():
        for n, path in enumerate(paths, start=1):
            if progress:
                progress("Đang kiểm tra tệp", n, len(paths))
            item = _read_one(inbox, path)
            if item is not None:
                if check is not None:
                    check(item)
                files.append(item)
    return files


def _deferred(inbox: Path, path: Path) -> InboxFile:
    """A file that kept changing while we waited: a warning, read on the next run."""
    try:
        st = path.stat()
        size, modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime)
    except OSError:
        size, modified = 0, dt.datetime.now()
    item = InboxFile(path, path.relative_to(inbox).as_posix(), size, modified, kind="unknown")
    file_finding(item, Rule.STILL_COPYING, MSG_COPYING, Severity.WARNING)
    return item


def worker_count(workers: int | None, n_files: int) -> int:
    import os

    if workers is None:
        env = os.environ.get("DDCI_READ_WORKERS", "")
        if env.isdigit():
            workers = int(env)
        elif n_files >= PARALLEL_MIN_FILES:
            workers = min(2, os.cpu_count() or 1)
        else:
            workers = 1
    return max(1, min(workers, n_files))


def _read_parallel(
    inbox: Path, paths: list[Path], workers: int, progress, check: CheckFn | None = None
) -> list[InboxFile]:
    """Read blocks of files in ``workers - 1`` helper processes and in this process, results in order.

    Every block is queued for the helpers; this process reads blocks from the end of the
    queue (cancelling them there) until it meets the helpers, so the split adapts when one
    core is busier or a helper is slow to start. A helper that cannot start at all (a
    frozen app, an embedded interpreter) breaks the pool instead of hanging it, and its
    blocks are then read here.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    block = 8
    blocks = [paths[i : i + block] for i in range(0, len(paths), block)]
    results: list[list[InboxFile | None] | None] = [None] * len(blocks)
    done = 0

    def tick(k: int) -> None:
        nonlocal done
        done += len(blocks[k])
        if progress:
            progress("Đang kiểm tra tệp", done, len(paths))

    # The check travels once per helper (initializer), not with every block.
    pool = ProcessPoolExecutor(max_workers=workers - 1, initializer=_set_helper_check, initargs=(check, inbox.parent))
    try:
        futures = [pool.submit(_read_block, inbox, b) for b in blocks]
        for k in range(len(blocks) - 1, -1, -1):
            if not futures[k].cancel():
                break  # the helpers have reached this block; they have the ones before it
            results[k] = _read_block(inbox, blocks[k], check)
            tick(k)
        for k, future in enumerate(futures):
            if results[k] is not None:
                continue
            try:
                results[k] = future.result()
            except BrokenProcessPool:
                results[k] = _read_block(inbox, blocks[k], check)
            except Exception:  # a helper's failure that did not travel back whole: the block is read
                results[k] = _read_block(inbox, blocks[k], check)  # here, where a real error shows itself
            tick(k)
    finally:
        # Every result is in (or the run is failing): the helpers exit on their own, unwaited
        # (waiting for a 200 MB process to exit cost 5–40 ms).
        pool.shutdown(wait=False, cancel_futures=True)
    return [item for items in results if items for item in items if item is not None]


_helper_check: CheckFn | None = None  # in a helper process: the check its blocks get


def _set_helper_check(check: CheckFn | None, workspace_root: Path | None = None) -> None:
    """In a helper: the check its blocks get; and its log records (a reader's failure) go to the run log,
    as in the main process, not to the terminal (a helper started by spawn has no handler)."""
    global _helper_check
    _helper_check = check
    import logging

    if workspace_root is not None and not logging.getLogger().handlers:
        from xl_addin.files.runlog import log_handler

        logging.getLogger().addHandler(log_handler(workspace_root))


def _read_block(inbox: Path, paths: list[Path], check: CheckFn | None = None) -> list[InboxFile | None]:
    """Read (and check) a block of files; in a helper process the check is the one it was started with."""
    check = check or _helper_check
    with gc_paused():
        items = [_read_one(inbox, path) for path in paths]
        if check is not None:
            for item in items:
                if item is not None:
                    check(item)
    return items


def _read_one(inbox: Path, path: Path) -> InboxFile | None:
    """One candidate file, inspected then read; None when it is to be skipped (lock files …).

    Whatever the inspection or a reader raises (a Rust panic is a ``BaseException``) becomes one
    ``unreadable`` finding on the file, so one file can never end the run or the helper's block.
    """
    label = path.relative_to(inbox).as_posix()
    try:
        return _inspect_and_read(path, label)
    except PASS_THROUGH:
        raise
    except BaseException as exc:
        try:
            st = path.stat()
            size, modified = st.st_size, dt.datetime.fromtimestamp(st.st_mtime)
        except OSError:
            size, modified = 0, dt.datetime.now()
        item = InboxFile(path, label, size, modified, kind="unknown")
        reader_failure(item, exc)
        return item


def _inspect_and_read(path: Path, label: str) -> InboxFile | None:
    from xl_addin.intake.safety import FileAction, inspect_and_load

    check, content = inspect_and_load(path)
    if check.action == FileAction.SKIP:
        return None
    stat = path.stat()
    item = InboxFile(path, label, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime), kind=check.kind)
    if check.action == FileAction.DEFER:  # changed while we looked at it: the next run reads it
        file_finding(item, check.rule or Rule.STILL_COPYING, check.message or MSG_COPYING, Severity.WARNING)
        return item
    if check.action == FileAction.REJECT or content is None:
        file_finding(item, check.rule or Rule.UNREADABLE, check.message or "")
        _add_warnings(item, check.warnings)
        return item
    # A workbook inspected in memory is hashed and parsed from those very bytes: one read of the
    # disk, and no window in which what is read differs from what was checked.
    item.sha256 = content.sha256 or _sha256(path)
    if content.isolate:
        from xl_addin.intake.sandbox import sandboxed_read

        item = sandboxed_read(item, content.error_cell_parts, content.data)
    else:
        read_workbook(item, content.error_cell_parts, content.data)
    _add_warnings(item, check.warnings)
    return item


_UNREAD = (Rule.UNREADABLE, Rule.TOO_LARGE, Rule.PASSWORD_PROTECTED)


def _add_warnings(item: InboxFile, warnings: tuple[tuple[Rule, str], ...]) -> None:
    """The inspection's warnings, first; "its data can be read" (``legacy-xls``) only when it was."""
    unread = any(f.rule in _UNREAD and f.severity == Severity.ERROR and not f.unit for f in item.findings)
    found = list(item.findings)
    item.findings.clear()
    for rule, message in warnings:
        if not (unread and rule == Rule.LEGACY_XLS):
            file_finding(item, rule, message, Severity.WARNING)
    item.findings += found

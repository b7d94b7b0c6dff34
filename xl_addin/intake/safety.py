"""Decide whether a file from the inbox (``nop/``) may be read, before reading it.

Workbooks reach the department by email and Zalo from many hands: half-copied files,
Excel lock files, password-protected copies, ``.xls`` from 2003, web pages saved
as ``.xls``, and occasionally something hostile. :func:`inspect_file` looks only at
file-system metadata, container structure (ZIP central directory, OLE2/CFB directory)
and the first bytes of each XML part; it never parses cell data, never writes, never
opens anything but a regular file (a FIFO would block), and its time and memory are
bounded by the ``max_uncompressed`` budget whatever the input claims. A symbolic link
is judged by what it points to.

Every outcome is a :class:`FileCheck` whose ``rule`` is a stable English id and whose
``message`` is Vietnamese, saying what is wrong *and* what the sender should do:

========================  ========  ====================================================
rule                      action    when
========================  ========  ====================================================
``lock-file``             skip      ``~$x.xlsx``, ``.~lock.x#``, hidden or temporary files
``not-a-file``            skip      folders (even one named ``x.xlsx``), links to nothing,
                                    pipes and devices (opening a FIFO would hang)
``empty-file``            reject    0 bytes
``still-copying``         defer     size/mtime changed while it was looked at, or the
                                    file is locked by another program (a warning; the
                                    file is left for the next run; ``intake.motion``
                                    waits for files modified a moment ago before this)
``password-protected``    reject    OLE2 container with ``EncryptionInfo`` /
                                    ``EncryptedPackage`` (encrypted .xlsx), an ``.xls``
                                    with FILEPASS in its globals, an encrypted ``.ods``
``zip-bomb``              reject    declared uncompressed total > ``max_uncompressed``,
                                    a large member with ratio > ``max_ratio``, too many
                                    members or an oversized central directory
``corrupt-zip``           reject    broken/truncated central directory, CRC errors,
                                    duplicate part names (also case-blind, ``\\`` as ``/``)
``not-excel``             reject    not a spreadsheet (PDF, Word, HTML saved as .xls …)
``unreadable``            reject    Excel 2.x–4.0 (raw BIFF2–4), a damaged OLE2 directory
``xml-dtd``               reject    ``<!DOCTYPE`` / ``<!ENTITY`` in an XML part
``legacy-xls``            warning   readable ``.xls`` (action ``read``)
``macro-enabled``         warning   ``xl/vbaProject.bin`` or ``.xlsm`` (action ``read``)
========================  ========  ====================================================

For ``read`` results ``rule`` and ``message`` are None and advice goes in ``warnings``;
``FileContent.isolate`` says whether the reader must run in a child process under a memory
and time limit (``intake.sandbox``): formats whose readers can blow up (.xls, .xlsb, .ods)
and packages laid out unlike what Excel writes.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.core.contracts import Rule
from xl_addin.intake.ole import BIFF_BOFS, OLE_MAGIC, check_ole
from xl_addin.intake.verdicts import (
    DEFER,
    MSG_COPYING,
    MSG_CORRUPT,
    MSG_EMPTY,
    MSG_HIDDEN,
    MSG_HTML,
    MSG_LOCK,
    MSG_LOCKED,
    MSG_NOT_A_FILE,
    MSG_NOT_EXCEL,
    MSG_OLD_EXCEL,
    MSG_PDF,
    MSG_XML2003,
    READ,
    REJECT,
    SKIP,
    FileAction,
    FileCheck,
    Verdict,
    defer,
    reject,
)
from xl_addin.intake.zipcheck import ZIP_MAGICS, check_zip

__all__ = ["FileAction", "FileCheck", "FileContent", "inspect_and_load", "inspect_file"]

WHOLE_FILE_MAX = 8 * 2**20  # ZIPs up to this size are read in one go; larger ones stream from disk
_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".bak~")
ISOLATED_KINDS = frozenset({"xls", "xlsb", "ods"})  # their readers have panicked or taken gigabytes on real files


@dataclass(frozen=True)
class FileContent:
    """What inspecting a readable workbook already read, so the reader need not read it again.

    ``data`` and ``sha256``: a ZIP read whole (up to ``WHOLE_FILE_MAX``), so the intake hashes
    and parses exactly the bytes inspected and reads the disk once. ``error_cell_parts``: the
    worksheet parts holding ``t="e"``, found while their CRC was verified; the reader re-reads
    only these for error cells (None: not known, scan every worksheet). ``isolate``: read it in
    a child process under a memory and time limit (``intake.sandbox``), not in this one.
    """

    error_cell_parts: tuple[str, ...] | None = ()
    sha256: str = ""
    data: bytes | None = field(default=None, repr=False, compare=False)
    isolate: bool = False


# --- entry point --------------------------------------------------------------------------


def inspect_file(
    path: Path,
    *,
    max_uncompressed: int = 200 * 2**20,
    max_ratio: float = 200.0,
    settle_seconds: float = 0.0,
) -> FileCheck:
    """Classify ``path`` as read / skip / reject / defer without parsing cell data; never raises.

    ``settle_seconds`` > 0 stats the file twice that far apart to catch a copy in
    progress (about 1 s suits a folder someone may still be filling; Explorer keeps the
    source's old mtime on copy, so the "modified in the last second" test alone misses it).
    """
    check, _content = inspect_and_load(
        path, max_uncompressed=max_uncompressed, max_ratio=max_ratio, settle_seconds=settle_seconds
    )
    return check


def inspect_and_load(
    path: Path,
    *,
    max_uncompressed: int = 200 * 2**20,
    max_ratio: float = 200.0,
    settle_seconds: float = 0.0,
) -> tuple[FileCheck, FileContent | None]:
    """:func:`inspect_file`, plus what it read of a readable file (None for any other verdict)."""
    path = Path(path)
    warnings: list[tuple[Rule, str]] = []
    error_parts: list[str] = []
    kind = "unknown"
    whole: list[bytes] = []
    layout: list[bool] = []  # zipcheck appends False for a package laid out unlike Excel's
    try:
        first = _check_metadata(path, settle_seconds)
        kind = _check_content(
            path, first, warnings, error_parts, whole, layout, max_uncompressed=max_uncompressed, max_ratio=max_ratio
        )
        # A file that changed while we looked at it is still being written.
        second = os.stat(path)
        if (second.st_size, second.st_mtime_ns) != (first.st_size, first.st_mtime_ns):
            raise defer(kind, MSG_COPYING)
    except Verdict as verdict:
        return FileCheck(path, verdict.action, verdict.kind, verdict.rule, verdict.message, tuple(warnings)), None
    except PermissionError:
        return FileCheck(path, DEFER, kind, Rule.STILL_COPYING, MSG_LOCKED, tuple(warnings)), None
    except FileNotFoundError:
        return FileCheck(path, SKIP, "missing", Rule.NOT_A_FILE, MSG_NOT_A_FILE, ()), None
    except Exception:  # never crash the intake on a hostile file; report it as unreadable
        rule = Rule.CORRUPT_ZIP if kind in ("xlsx", "xlsm", "xlsb", "ods", "zip") else Rule.NOT_EXCEL
        message = MSG_CORRUPT if rule == Rule.CORRUPT_ZIP else MSG_NOT_EXCEL
        return FileCheck(path, REJECT, kind, rule, message, tuple(warnings)), None
    data = whole[0] if whole else None
    standard = all(layout)
    content = FileContent(
        tuple(error_parts) if standard else None,
        hashlib.sha256(data).hexdigest() if data is not None else "",
        data,
        isolate=kind in ISOLATED_KINDS or not standard,
    )
    return FileCheck(path, READ, kind, None, None, tuple(warnings)), content


# --- metadata -----------------------------------------------------------------------------


def _check_metadata(path: Path, settle_seconds: float) -> os.stat_result:
    """Name and stat checks; returns the stat of a regular, settled, non-empty file."""
    name = path.name
    lower = name.lower()
    if name.startswith("~$") or lower.startswith(".~lock."):
        raise Verdict(SKIP, "lock", Rule.LOCK_FILE, MSG_LOCK)
    try:
        st = os.stat(path)  # follows links: a link is judged by what it points to
    except FileNotFoundError:
        raise Verdict(SKIP, "missing", Rule.NOT_A_FILE, MSG_NOT_A_FILE) from None
    if stat.S_ISDIR(st.st_mode):
        raise Verdict(SKIP, "directory", Rule.NOT_A_FILE, MSG_NOT_A_FILE)
    if not stat.S_ISREG(st.st_mode):  # FIFO, socket, device: opening could block forever
        raise Verdict(SKIP, "special", Rule.NOT_A_FILE, MSG_NOT_A_FILE)
    hidden_attr = getattr(st, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0)
    if name.startswith((".", "~")) or name.endswith("~") or lower.endswith(_TEMP_SUFFIXES) or hidden_attr:
        raise Verdict(SKIP, "temp", Rule.LOCK_FILE, MSG_HIDDEN)
    if settle_seconds > 0:
        time.sleep(settle_seconds)
        again = os.stat(path)
        if (again.st_size, again.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
            raise defer("unknown", MSG_COPYING)
        st = again
    if st.st_size == 0:
        raise reject("empty", Rule.EMPTY_FILE, MSG_EMPTY)
    return st


# --- content dispatch ---------------------------------------------------------------------


def _check_content(
    path: Path,
    st: os.stat_result,
    warnings: list[tuple[Rule, str]],
    error_parts: list[str],
    keep: list[bytes],
    layout: list[bool],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    """The kind of a file to read; a ZIP read whole is appended to ``keep``."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
        if head.startswith(OLE_MAGIC):
            return check_ole(fh, st.st_size, warnings)
        if head.startswith(ZIP_MAGICS):
            whole = None
            if st.st_size <= WHOLE_FILE_MAX:
                # One read instead of a seek and read per member; a file whose length no longer
                # matches its stat is changing, so it takes the streaming path as before.
                data = head + fh.read(st.st_size - len(head) + 1)
                whole = data if len(data) == st.st_size else None
            if whole is not None:
                keep.append(whole)
            return check_zip(
                path,
                io.BytesIO(whole) if whole is not None else fh,
                whole,
                st.st_size,
                warnings,
                error_parts,
                layout,
                max_uncompressed=max_uncompressed,
                max_ratio=max_ratio,
            )
    raise _classify_other(head)


def _classify_other(head: bytes) -> Verdict:
    """Not ZIP, not OLE: name what it is when we can, so the advice fits."""
    if _raw_biff(head):
        return reject("biff", Rule.UNREADABLE, MSG_OLD_EXCEL)
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"").lower()
    if text.startswith(b"%pdf"):
        return reject("pdf", Rule.NOT_EXCEL, MSG_PDF)
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return reject("xml2003", Rule.NOT_EXCEL, MSG_XML2003)
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in text:
        return reject("html", Rule.NOT_EXCEL, MSG_HTML)
    return reject("unknown", Rule.NOT_EXCEL, MSG_NOT_EXCEL)


def _raw_biff(head: bytes) -> bool:
    """An Excel 2.x–4.0 worksheet: a bare BIFF stream (BOF record first, no OLE2 container).

    BOF's length is 4 to 16 bytes in every BIFF version, and the record after it has a
    plausible header too, so a text file starting with two odd bytes is not taken for one.
    """
    if len(head) < 12:
        return False
    kind, length = struct.unpack_from("<HH", head, 0)
    if kind not in BIFF_BOFS or not 4 <= length <= 16 or 4 + length + 4 > len(head):
        return False
    _next_kind, next_length = struct.unpack_from("<HH", head, 4 + length)
    return next_length <= 8224  # the largest BIFF record

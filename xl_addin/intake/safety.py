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
``still-copying``         reject    size/mtime changing, mtime within the last second,
                                    file locked by another program
``password-protected``    reject    OLE2 container with ``EncryptionInfo`` /
                                    ``EncryptedPackage`` (encrypted .xlsx) or an
                                    ``.xls`` whose first record after BOF is FILEPASS
``zip-bomb``              reject    declared uncompressed total > ``max_uncompressed``,
                                    a large member with ratio > ``max_ratio``, too many
                                    members or an oversized central directory
``corrupt-zip``           reject    broken/truncated central directory, CRC errors,
                                    duplicate member names
``not-excel``             reject    not a spreadsheet (PDF, Word, HTML saved as .xls …)
``xml-dtd``               reject    ``<!DOCTYPE`` / ``<!ENTITY`` in an XML part
``legacy-xls``            warning   readable ``.xls`` (action ``read``)
``macro-enabled``         warning   ``xl/vbaProject.bin`` or ``.xlsm`` (action ``read``)
========================  ========  ====================================================

For ``read`` results ``rule`` and ``message`` are None and advice goes in ``warnings``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from xl_addin.core.vnformat import fmt_number

__all__ = ["FileCheck", "inspect_file"]

READ, SKIP, REJECT = "read", "skip", "reject"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

MAX_MEMBERS = 10_000  # real workbooks have tens to a few hundred parts
MAX_CENTRAL_DIRECTORY = 16 * 2**20  # bytes; bounds the memory zipfile spends on ZipInfo
RATIO_MIN_SIZE = 2**20  # ratio is meaningful only for parts big enough to hurt
XML_HEAD = 64 * 1024  # a DOCTYPE must sit in the prolog, at the very top of the part
READ_CHUNK = 1 << 20
WHOLE_FILE_MAX = 8 * 2**20  # ZIPs up to this size are read in one go; larger ones stream from disk
FAST_MEMBER_MAX = 8 * 2**20  # members declared up to this size inflate in one piece, larger ones in chunks
_FAST_FLAGS = 0x0806  # deflate option bits and the UTF-8 name flag; any other flag takes zipfile's path
_ERROR_MARK = b't="e"'  # an Excel error cell (#DIV/0! …) in worksheet XML; python-calamine reads it as ""

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BINARY_SUFFIXES = (
    ".bin",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".wdp",
    ".ico",
)
_TEMP_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp", ".bak~")

# --- Vietnamese messages ------------------------------------------------------------------

MSG_LOCK = "Tệp khoá tạm của Excel/LibreOffice (~$…): bỏ qua. Tệp này tự mất khi đóng bảng tính."
MSG_HIDDEN = "Tệp ẩn hoặc tệp tạm (đang tải/lưu dở): bỏ qua. Nếu đây là báo cáo, hãy đổi tên cho đúng đuôi .xlsx."
MSG_NOT_A_FILE = (
    "Không phải tệp thông thường (thư mục, lối tắt hỏng hoặc thiết bị): bỏ qua. "
    "Nếu đây là báo cáo, hãy đặt trực tiếp tệp .xlsx vào thư mục nop/."
)
MSG_EMPTY = "Tệp rỗng (0 byte): tệp chưa tải xong hoặc bị lỗi khi gửi. Hãy tải lại tệp hoặc đề nghị đơn vị gửi lại."
MSG_COPYING = (
    "Tệp đang được sao chép hoặc đang được ghi (kích thước/thời điểm sửa vẫn thay đổi): chạy lại sau khi sao chép xong."
)
MSG_LOCKED = (
    "Không mở được tệp để đọc (tệp đang được sao chép, đang mở bằng chương trình khác hoặc "
    "không có quyền đọc): đóng tệp hoặc đợi sao chép xong rồi chạy lại."
)
MSG_PASSWORD = (
    "Tệp có mật khẩu nên không đọc được: hãy mở tệp bằng Excel, bỏ mật khẩu "
    "(File > Info > Protect Workbook > Encrypt with Password, xoá trống mật khẩu, bấm OK) "
    "rồi lưu và gửi lại tệp không có mật khẩu."
)
MSG_LEGACY_XLS = (
    "Tệp định dạng Excel 97-2003 (.xls): vẫn đọc được dữ liệu, nhưng nên mở bằng Excel và "
    "Lưu thành (File > Save As) 'Excel Workbook (*.xlsx)' cho các lần gửi sau."
)
MSG_MACRO = (
    "Tệp có macro (VBA): chỉ đọc dữ liệu, macro không bao giờ được chạy. Nên lưu thành "
    "'Excel Workbook (*.xlsx)' (không macro) trước khi gửi."
)
MSG_CORRUPT = (
    "Tệp bị hỏng hoặc chưa tải xong (cấu trúc nén không đọc được): hãy tải lại tệp hoặc "
    "đề nghị đơn vị gửi lại; nếu vẫn lỗi, đơn vị mở tệp gốc bằng Excel, Lưu thành .xlsx mới rồi gửi."
)
MSG_NOT_EXCEL = (
    "Không phải tệp Excel (.xlsx): hãy mở tệp bằng Excel, chọn File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_HTML = (
    "Không phải tệp Excel (.xlsx): đây là trang web (HTML) được đặt đuôi Excel, thường do phần mềm "
    "xuất báo cáo tạo ra. Hãy mở tệp bằng Excel, chọn File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_XML2003 = (
    "Không phải tệp Excel (.xlsx): đây là bảng tính XML 2003. Hãy mở bằng Excel, chọn "
    "File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_PDF = "Không phải tệp Excel (.xlsx): đây là tệp PDF. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_WORD = "Không phải tệp Excel (.xlsx): đây là tệp Word. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_PPT = "Không phải tệp Excel (.xlsx): đây là tệp PowerPoint. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_ZIP_ENCRYPTED = (
    "Không phải tệp Excel (.xlsx): đây là tệp nén (ZIP) có đặt mật khẩu. Hãy giải nén, "
    "lấy tệp .xlsx bên trong và gửi riêng tệp đó."
)
MSG_ZIP_METHOD = (
    "Không phải tệp Excel (.xlsx) hợp lệ: tệp được nén theo kiểu Excel không dùng. "
    "Hãy mở tệp gốc bằng Excel, Lưu thành .xlsx rồi gửi lại."
)
MSG_DTD = (
    "Tệp chứa khai báo DTD/thực thể XML (<!DOCTYPE>/<!ENTITY>) — Excel không bao giờ tạo ra nội dung này, "
    "tệp có thể độc hại nên không được mở. Hãy đề nghị đơn vị mở tệp gốc bằng Excel, Lưu thành "
    "'Excel Workbook (*.xlsx)' mới rồi gửi lại; nếu tệp không do đơn vị tạo, báo cho bộ phận CNTT."
)


def _msg_bomb(detail: str) -> str:
    return (
        f"Tệp nén bất thường ({detail}): có thể là tệp độc hại kiểu “bom nén”, không được mở. "
        "Hãy đề nghị đơn vị mở tệp gốc bằng Excel, xoá các dòng/cột trống thừa, Lưu thành .xlsx "
        "mới rồi gửi lại; nếu tệp không do đơn vị tạo, báo cho bộ phận CNTT."
    )


def _mb(n: int) -> str:
    return f"{fmt_number(n / 2**20)} MB"


# --- result type --------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    """What the intake should do with one inbox entry, and why (Vietnamese message)."""

    path: Path
    action: str  # "read" | "skip" | "reject"
    kind: str  # "xlsx", "xlsm", "xlsb", "xls", "ole-encrypted", "ods", "html", "directory", ...
    rule: str | None = None
    message: str | None = None
    warnings: tuple[tuple[str, str], ...] = ()
    # Worksheet parts (``xl/worksheets/sheet*.xml``) holding ``t="e"``, found while their CRC
    # was verified; the intake re-reads only these for error cells. Empty for every non-read result.
    error_cell_parts: tuple[str, ...] = ()
    # For a ZIP read whole (up to ``WHOLE_FILE_MAX``): its bytes and their sha256, so that the
    # intake hashes and parses exactly the bytes inspected here and reads the disk once.
    sha256: str = ""
    data: bytes | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.action == READ


class _Verdict(Exception):
    """Internal: stop inspecting and return this result."""

    def __init__(self, action: str, kind: str, rule: str | None, message: str | None) -> None:
        super().__init__(rule or action)
        self.action, self.kind, self.rule, self.message = action, kind, rule, message


def _reject(kind: str, rule: str, message: str) -> _Verdict:
    return _Verdict(REJECT, kind, rule, message)


# --- entry point --------------------------------------------------------------------------


def inspect_file(
    path: Path,
    *,
    max_uncompressed: int = 200 * 2**20,
    max_ratio: float = 200.0,
    settle_seconds: float = 0.0,
) -> FileCheck:
    """Classify ``path`` as read / skip / reject without parsing cell data; never raises.

    ``settle_seconds`` > 0 stats the file twice that far apart to catch a copy in
    progress (about 1 s suits a folder someone may still be filling; Explorer keeps the
    source's old mtime on copy, so the "modified in the last second" test alone misses it).
    """
    path = Path(path)
    warnings: list[tuple[str, str]] = []
    error_parts: list[str] = []
    kind = "unknown"
    whole: list[bytes] = []
    try:
        first = _check_metadata(path, settle_seconds)
        kind = _check_content(
            path, first, warnings, error_parts, whole, max_uncompressed=max_uncompressed, max_ratio=max_ratio
        )
        # A file that changed while we looked at it is still being written.
        second = os.stat(path)
        if (second.st_size, second.st_mtime_ns) != (first.st_size, first.st_mtime_ns):
            raise _reject(kind, "still-copying", MSG_COPYING)
    except _Verdict as verdict:
        return FileCheck(path, verdict.action, verdict.kind, verdict.rule, verdict.message, tuple(warnings))
    except PermissionError:
        return FileCheck(path, REJECT, kind, "still-copying", MSG_LOCKED, tuple(warnings))
    except FileNotFoundError:
        return FileCheck(path, SKIP, "missing", "not-a-file", MSG_NOT_A_FILE, ())
    except Exception:  # never crash the intake on a hostile file; report it as unreadable
        rule = "corrupt-zip" if kind in ("xlsx", "xlsm", "xlsb", "ods", "zip") else "not-excel"
        message = MSG_CORRUPT if rule == "corrupt-zip" else MSG_NOT_EXCEL
        return FileCheck(path, REJECT, kind, rule, message, tuple(warnings))
    data = whole[0] if whole else None
    return FileCheck(path, READ, kind, None, None, tuple(warnings), tuple(error_parts),
                     hashlib.sha256(data).hexdigest() if data is not None else "", data)


# --- metadata -----------------------------------------------------------------------------


def _check_metadata(path: Path, settle_seconds: float) -> os.stat_result:
    """Name and stat checks; returns the stat of a regular, settled, non-empty file."""
    name = path.name
    lower = name.lower()
    if name.startswith("~$") or lower.startswith(".~lock."):
        raise _Verdict(SKIP, "lock", "lock-file", MSG_LOCK)
    try:
        st = os.stat(path)  # follows links: a link is judged by what it points to
    except FileNotFoundError:
        raise _Verdict(SKIP, "missing", "not-a-file", MSG_NOT_A_FILE) from None
    if stat.S_ISDIR(st.st_mode):
        raise _Verdict(SKIP, "directory", "not-a-file", MSG_NOT_A_FILE)
    if not stat.S_ISREG(st.st_mode):  # FIFO, socket, device: opening could block forever
        raise _Verdict(SKIP, "special", "not-a-file", MSG_NOT_A_FILE)
    hidden_attr = getattr(st, "st_file_attributes", 0) & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0)
    if name.startswith((".", "~")) or name.endswith("~") or lower.endswith(_TEMP_SUFFIXES) or hidden_attr:
        raise _Verdict(SKIP, "temp", "lock-file", MSG_HIDDEN)
    if settle_seconds > 0:
        time.sleep(settle_seconds)
        again = os.stat(path)
        if (again.st_size, again.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
            raise _reject("unknown", "still-copying", MSG_COPYING)
        st = again
    age = time.time() - st.st_mtime
    if -1.0 < age < 1.0:
        raise _reject("unknown", "still-copying", MSG_COPYING)
    if st.st_size == 0:
        raise _reject("empty", "empty-file", MSG_EMPTY)
    return st


# --- content dispatch ---------------------------------------------------------------------


def _check_content(
    path: Path,
    st: os.stat_result,
    warnings: list[tuple[str, str]],
    error_parts: list[str],
    keep: list[bytes],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    """The kind of a file to read; a ZIP read whole is appended to ``keep``."""
    with open(path, "rb") as fh:
        head = fh.read(1024)
        if head.startswith(OLE_MAGIC):
            return _check_ole(fh, st.st_size, warnings)
        if head.startswith(ZIP_MAGICS):
            whole = None
            if st.st_size <= WHOLE_FILE_MAX:
                # One read instead of a seek and read per member; a file whose length no longer
                # matches its stat is changing, so it takes the streaming path as before.
                data = head + fh.read(st.st_size - len(head) + 1)
                whole = data if len(data) == st.st_size else None
            if whole is not None:
                keep.append(whole)
            return _check_zip(
                path,
                io.BytesIO(whole) if whole is not None else fh,
                whole,
                st.st_size,
                warnings,
                error_parts,
                max_uncompressed=max_uncompressed,
                max_ratio=max_ratio,
            )
    raise _classify_other(head)


def _classify_other(head: bytes) -> _Verdict:
    """Not ZIP, not OLE: name what it is when we can, so the advice fits."""
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"").lower()
    if text.startswith(b"%pdf"):
        return _reject("pdf", "not-excel", MSG_PDF)
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in text:
        return _reject("xml2003", "not-excel", MSG_XML2003)
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in text:
        return _reject("html", "not-excel", MSG_HTML)
    return _reject("unknown", "not-excel", MSG_NOT_EXCEL)


# --- OLE2 / CFB ---------------------------------------------------------------------------
#
# Detection parses the CFB directory (header → DIFAT → FAT → directory sector chain)
# with nothing but ``struct``: only real directory entries count, so a workbook whose
# *content* mentions "EncryptedPackage" is not misjudged, and we read a handful of
# sectors instead of the whole file. If the header or FAT is damaged we fall back to a
# bounded chunked search for the UTF-16LE stream names, which is what the directory
# holds; the fallback errs towards "password-protected", the safe answer.

_ENDOFCHAIN_MIN = 0xFFFFFFFA  # FREESECT, ENDOFCHAIN, FATSECT, DIFSECT and reserved values
_FALLBACK_SCAN = 64 * 2**20


class _CfbError(Exception):
    pass


class _Cfb:
    """Just enough of [MS-CFB] to list directory entries and peek at a stream's start."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh, self.size = fh, size
        fh.seek(0)
        header = fh.read(512)
        if len(header) < 512 or not header.startswith(OLE_MAGIC):
            raise _CfbError("short header")
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if shift not in (9, 12) or mini_shift != 6:
            raise _CfbError("bad sector shift")
        self.ss = 1 << shift
        self.per_fat = self.ss // 4
        self.max_sectors = size // self.ss + 1
        (n_fat,) = struct.unpack_from("<I", header, 0x2C)
        (self.first_dir,) = struct.unpack_from("<I", header, 0x30)
        (self.mini_cutoff,) = struct.unpack_from("<I", header, 0x38)
        first_difat, n_difat = struct.unpack_from("<II", header, 0x44)
        if n_fat > self.max_sectors:
            raise _CfbError("too many FAT sectors")
        fat = [v for v in struct.unpack_from("<109I", header, 0x4C) if v < _ENDOFCHAIN_MIN]
        sector, seen = first_difat, 0
        while sector < _ENDOFCHAIN_MIN and seen <= min(n_difat, self.max_sectors):
            data = self._sector(sector)
            values = struct.unpack(f"<{self.per_fat}I", data)
            fat.extend(v for v in values[:-1] if v < _ENDOFCHAIN_MIN)
            sector, seen = values[-1], seen + 1
        self.fat_sectors = fat[:n_fat] if n_fat else fat

    def _sector(self, sector: int) -> bytes:
        offset = (sector + 1) * self.ss
        if offset >= self.size:
            raise _CfbError("sector outside file")
        self.fh.seek(offset)
        data = self.fh.read(self.ss)
        if len(data) < self.ss:
            data += b"\x00" * (self.ss - len(data))  # the last sector may be short on disk
        return data

    def next_sector(self, sector: int) -> int:
        index, slot = divmod(sector, self.per_fat)
        if index >= len(self.fat_sectors):
            raise _CfbError("sector beyond FAT")
        self.fh.seek((self.fat_sectors[index] + 1) * self.ss + slot * 4)
        raw = self.fh.read(4)
        if len(raw) < 4:
            raise _CfbError("FAT outside file")
        return struct.unpack("<I", raw)[0]

    def entries(self) -> list[tuple[str, int, int, int]]:
        """(name, type, start sector, size) of every directory entry."""
        out: list[tuple[str, int, int, int]] = []
        sector, seen = self.first_dir, set()
        while sector < _ENDOFCHAIN_MIN:
            if sector in seen or len(seen) > self.max_sectors or len(out) > 100_000:
                raise _CfbError("directory chain loops")
            seen.add(sector)
            data = self._sector(sector)
            for off in range(0, self.ss, 128):
                raw = data[off : off + 128]
                (name_len,) = struct.unpack_from("<H", raw, 64)
                kind = raw[66]
                if kind == 0 or not 2 <= name_len <= 64:
                    continue
                name = raw[: name_len - 2].decode("utf-16-le", errors="replace")
                start, size = struct.unpack_from("<IQ", raw, 116)
                out.append((name, kind, start, size))
            sector = self.next_sector(sector)
        if not out:
            raise _CfbError("empty directory")
        return out

    def stream_head(self, entries: list[tuple[str, int, int, int]], entry: tuple[str, int, int, int]) -> bytes:
        """The first bytes (≤ 64) of a stream, from a regular sector or the mini stream."""
        _name, _kind, start, size = entry
        if size >= self.mini_cutoff:
            return self._sector(start)[: min(64, size)]
        root = entries[0]
        offset = start * 64
        sector = root[2]
        for _ in range(offset // self.ss):
            sector = self.next_sector(sector)
            if sector >= _ENDOFCHAIN_MIN:
                raise _CfbError("mini stream too short")
        data = self._sector(sector)
        pos = offset % self.ss
        return data[pos : pos + min(64, size)]


def _check_ole(fh: BinaryIO, size: int, warnings: list[tuple[str, str]]) -> str:
    try:
        cfb = _Cfb(fh, size)
        entries = cfb.entries()
    except (_CfbError, struct.error, IndexError, OSError):
        return _check_ole_fallback(fh, warnings)
    names = {entry[0].lower(): entry for entry in entries if entry[1] in (2, 5)}  # streams and root
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise _reject("ole-encrypted", "password-protected", MSG_PASSWORD)
    book = names.get("workbook") or names.get("book")
    if book is None:
        raise _reject("ole", "not-excel", MSG_NOT_EXCEL)
    try:
        head = cfb.stream_head(entries, book)
    except (_CfbError, struct.error, IndexError, OSError):
        head = b""
    if _biff_filepass(head):
        raise _reject("xls", "password-protected", MSG_PASSWORD)
    warnings.append(("legacy-xls", MSG_LEGACY_XLS))
    return "xls"


def _biff_filepass(head: bytes) -> bool:
    """True when the Workbook stream starts BOF, FILEPASS: an encrypted .xls ([MS-XLS] 2.4.117)."""
    if len(head) < 8:
        return False
    rec_type, rec_len = struct.unpack_from("<HH", head, 0)
    if rec_type not in (0x0809, 0x0209, 0x0409, 0x0009):
        return False
    nxt = 4 + rec_len
    if nxt + 2 > len(head):
        return False
    return struct.unpack_from("<H", head, nxt)[0] == 0x002F


def _check_ole_fallback(fh: BinaryIO, warnings: list[tuple[str, str]]) -> str:
    """Damaged CFB: search (bounded, chunked) for the UTF-16LE stream names."""
    needles = {n: n.encode("utf-16-le") for n in ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book")}
    found: set[str] = set()
    fh.seek(0)
    tail = b""
    read = 0
    while read < _FALLBACK_SCAN:
        chunk = fh.read(READ_CHUNK)
        if not chunk:
            break
        read += len(chunk)
        window = tail + chunk
        found.update(n for n, pat in needles.items() if pat in window)
        tail = window[-64:]
    if {"EncryptedPackage", "EncryptionInfo"} & found:
        raise _reject("ole-encrypted", "password-protected", MSG_PASSWORD)
    if {"Workbook", "Book"} & found:
        warnings.append(("legacy-xls", MSG_LEGACY_XLS))
        return "xls"
    raise _reject("ole", "not-excel", MSG_NOT_EXCEL)


# --- ZIP (xlsx, xlsm, xlsb, ods) ----------------------------------------------------------


def _central_directory(fh: BinaryIO, size: int) -> tuple[int, int] | None:
    """(entries, central directory bytes) from the end record, before zipfile builds ZipInfos."""
    tail_len = min(size, 65_535 + 22)
    fh.seek(size - tail_len)
    tail = fh.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or pos + 22 > len(tail):
        return None
    entries, cd_size = struct.unpack_from("<xxxxxxxxxxHI", tail, pos)
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = pos - 20
        if loc < 0 or tail[loc : loc + 4] != b"PK\x06\x07":
            return None
        (z64_offset,) = struct.unpack_from("<Q", tail, loc + 8)
        if z64_offset + 56 > size:
            return None
        fh.seek(z64_offset)
        rec = fh.read(56)
        if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
            return None
        entries, cd_size = struct.unpack_from("<QQ", rec, 32)
    return entries, cd_size


def _check_zip(
    path: Path,
    fh: BinaryIO,
    whole: bytes | None,
    size: int,
    warnings: list[tuple[str, str]],
    error_parts: list[str],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    stats = _central_directory(fh, size)
    if stats is None:
        raise _reject("zip", "corrupt-zip", MSG_CORRUPT)
    n_entries, cd_size = stats
    if n_entries > MAX_MEMBERS or cd_size > MAX_CENTRAL_DIRECTORY:
        raise _reject(
            "zip",
            "zip-bomb",
            _msg_bomb(f"{n_entries} thành phần, mục lục nén {_mb(cd_size)}; giới hạn {MAX_MEMBERS}"),
        )
    if whole is not None:
        kind = _check_zip_fast(path, whole, warnings, error_parts, max_uncompressed, max_ratio)
        if kind is not None:
            return kind
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            return _check_zip_members(
                path, zf, whole, warnings, error_parts, max_uncompressed=max_uncompressed, max_ratio=max_ratio
            )
    except _ZIP_ERRORS:
        raise _reject("zip", "corrupt-zip", MSG_CORRUPT) from None


# What a damaged archive makes zipfile raise; NotImplementedError comes from a damaged
# header claiming an unknown zip version or method, UnicodeDecodeError (a ValueError)
# from a mangled file name.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    struct.error,
    RuntimeError,
    NotImplementedError,
)


def _check_zip_members(
    path: Path,
    zf: zipfile.ZipFile,
    whole: bytes | None,
    warnings: list[tuple[str, str]],
    error_parts: list[str],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    infos = zf.infolist()
    _check_declared_sizes(infos, max_uncompressed, max_ratio)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        # Two parts with one name: different readers would pick different ones.
        raise _reject("zip", "corrupt-zip", MSG_CORRUPT)
    for info in infos:
        if info.flag_bits & 0x1:
            raise _reject("zip", "not-excel", MSG_ZIP_ENCRYPTED)
    kind = _zip_kind(path, zf, set(names), warnings)
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _reject(kind, "not-excel", MSG_ZIP_METHOD)
    for info in infos:
        if not info.is_dir():
            name = info.filename
            is_sheet = name.startswith("xl/worksheets/sheet") and name.endswith(".xml")
            if _scan_member(zf, whole, info, kind, is_sheet) and is_sheet:
                error_parts.append(name)
    return kind


# --- ZIP fast path ------------------------------------------------------------------------
#
# ``zipfile`` spends ~0.3 ms building ZipInfo objects for a workbook's dozen parts, as
# much as inflating them. For the common case (the whole file in memory, no zip64, no
# prepended data, no archive comment, no extra fields, every member verifiable in memory)
# the central directory is read here with ``struct``. The same checks then run in the same
# order on the same numbers; anything outside that case, or any member that does not
# verify, returns None and the file takes the ``zipfile`` path, which decides it exactly as
# before. So the fast path can only accept what the slow path accepts.

_CD_ENTRY = struct.Struct("<4s4B4HL2L5H2L")  # zipfile.structCentralDir: a header before its name, extra, comment
_MAX_EXTRACT_VERSION = 63  # zipfile refuses newer (NotImplementedError)


class _Entry:
    """The ``ZipInfo`` attributes the checks read, for the fast path."""

    __slots__ = (
        "CRC",
        "compress_size",
        "compress_type",
        "file_size",
        "filename",
        "flag_bits",
        "header_offset",
        "orig_filename",
    )

    def __init__(self, name: str, flags: int, method: int, crc: int, csize: int, usize: int, offset: int) -> None:
        self.filename = self.orig_filename = name
        self.flag_bits, self.compress_type, self.CRC = flags, method, crc
        self.compress_size, self.file_size, self.header_offset = csize, usize, offset

    def is_dir(self) -> bool:
        return self.filename.endswith("/")


def _fast_entries(whole: bytes) -> list[_Entry] | None:
    """The central directory of a plain in-memory ZIP, or None when it is anything but plain."""
    end = len(whole) - 22
    if end < 20 or whole[end:end + 4] != b"PK\x05\x06" or whole[end - 20:end - 16] == b"PK\x06\x07":
        return None  # an archive comment, a zip64 locator, or no end record where zipfile looks first
    disk, cd_disk, n_here, n_total, cd_size, cd_offset, comment_len = struct.unpack_from("<4H2LH", whole, end + 4)
    if disk or cd_disk or n_here != n_total or comment_len or cd_offset + cd_size != end or n_total == 0xFFFF:
        return None  # multi-disk, zip64, or data before the archive ("concat" in zipfile)
    entries: list[_Entry] = []
    pos, size = cd_offset, _CD_ENTRY.size
    unpack = _CD_ENTRY.unpack_from
    for _ in range(n_total):
        if pos + size > end:
            return None
        (sig, _cv, _cs, extract, _reserved, flags, method, _t, _d, crc, csize, usize, name_len, extra_len,
         comment_len, _disk, _iattr, _eattr, offset) = unpack(whole, pos)
        if sig != b"PK\x01\x02" or extra_len or extract > _MAX_EXTRACT_VERSION or 0xFFFFFFFF in (csize, usize, offset):
            return None
        raw = whole[pos + size:pos + size + name_len]
        try:
            name = raw.decode("ascii" if raw.isascii() else "utf-8" if flags & 0x800 else "cp437")
        except UnicodeDecodeError:
            return None
        if "\x00" in name or "\\" in name:
            return None  # zipfile rewrites such names; leave them to it
        entries.append(_Entry(name, flags, method, crc, csize, usize, offset))
        pos += size + name_len + comment_len
    return entries if pos == end else None


def _check_zip_fast(
    path: Path,
    whole: bytes,
    warnings: list[tuple[str, str]],
    error_parts: list[str],
    max_uncompressed: int,
    max_ratio: float,
) -> str | None:
    """:func:`_check_zip_members` for a plain in-memory workbook; None to take the ``zipfile`` path."""
    entries = _fast_entries(whole)
    if entries is None:
        return None
    _check_declared_sizes(entries, max_uncompressed, max_ratio)  # type: ignore[arg-type]
    names = {e.filename for e in entries}
    if len(names) != len(entries):
        raise _reject("zip", "corrupt-zip", MSG_CORRUPT)
    if any(e.flag_bits & 0x1 for e in entries):
        raise _reject("zip", "not-excel", MSG_ZIP_ENCRYPTED)
    if "xl/workbook.xml" not in names:
        return None  # .ods, .xlsb, Word …: zipfile's path names them
    found: list[tuple[str, str]] = []
    kind = _zip_kind(path, None, names, found)
    if any(e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for e in entries):
        raise _reject(kind, "not-excel", MSG_ZIP_METHOD)
    marked = []
    for e in entries:
        if e.is_dir():
            continue
        data = _inflate_whole(whole, e)  # type: ignore[arg-type]
        if data is None:
            return None  # a member that does not verify in memory: zipfile decides, as before
        name = e.filename
        if not name.lower().endswith(_BINARY_SUFFIXES) and _has_dtd(data[:XML_HEAD]):
            raise _reject(kind, "xml-dtd", MSG_DTD)
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml") and _ERROR_MARK in data:
            marked.append(name)
    warnings += found
    error_parts += marked
    return kind


def _check_declared_sizes(infos: list[zipfile.ZipInfo], max_uncompressed: int, max_ratio: float) -> None:
    """Reject on the sizes the archive *declares*, before a single byte is inflated.

    zipfile (and the readers after us) stop at the declared size, so declared sizes are
    what bounds memory; the CRC pass in :func:`_scan_member` then catches lies.
    """
    total = 0
    for info in infos:
        total += info.file_size
        if total > max_uncompressed:
            raise _reject(
                "zip",
                "zip-bomb",
                _msg_bomb(f"khai báo {_mb(total)} khi giải nén, vượt giới hạn {_mb(max_uncompressed)}"),
            )
        if info.file_size >= RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_ratio:
                raise _reject(
                    "zip",
                    "zip-bomb",
                    _msg_bomb(
                        f"thành phần {info.filename} nén {fmt_number(ratio)} lần, giới hạn {fmt_number(max_ratio)} lần"
                    ),
                )


def _zip_kind(path: Path, zf: zipfile.ZipFile | None, names: set[str], warnings: list[tuple[str, str]]) -> str:
    suffix = path.suffix.lower()
    macro = "xl/vbaProject.bin" in names or suffix in (".xlsm", ".xltm")
    if "xl/workbook.xml" in names:
        kind = "xlsm" if macro else "xlsx"
    elif "xl/workbook.bin" in names:
        kind = "xlsb"
    elif "mimetype" in names and "content.xml" in names:
        assert zf is not None  # the fast path leaves everything but xl/workbook.xml to zipfile
        info = zf.getinfo("mimetype")
        mimetype = zf.read(info).strip() if info.file_size <= 200 else b""
        if mimetype != b"application/vnd.oasis.opendocument.spreadsheet":
            raise _reject("odf", "not-excel", MSG_NOT_EXCEL)
        kind = "ods"
    elif "word/document.xml" in names:
        raise _reject("docx", "not-excel", MSG_WORD)
    elif "ppt/presentation.xml" in names:
        raise _reject("pptx", "not-excel", MSG_PPT)
    else:
        raise _reject("zip", "not-excel", MSG_NOT_EXCEL)
    if macro and kind in ("xlsm", "xlsb"):
        warnings.append(("macro-enabled", MSG_MACRO))
    return kind


def _scan_member(zf: zipfile.ZipFile, whole: bytes | None, info: zipfile.ZipInfo, kind: str, mark: bool) -> bool:
    """Look for a DTD in the first 64 KB, then inflate the rest to verify the CRC.

    Returns whether ``t="e"`` occurs in the member (looked for only when ``mark``).
    A member that :func:`_inflate_whole` can verify in memory is judged on those bytes,
    which are exactly what zipfile would return; anything else goes through
    ``zf.open`` in chunks, which decides every damaged member as before.
    """
    is_xml = not info.filename.lower().endswith(_BINARY_SUFFIXES)
    data = _inflate_whole(whole, info) if whole is not None else None
    if data is not None:
        if is_xml and _has_dtd(data[:XML_HEAD]):
            raise _reject(kind, "xml-dtd", MSG_DTD)
        return mark and _ERROR_MARK in data
    try:
        with zf.open(info) as member:
            head = b""
            while len(head) < XML_HEAD:
                chunk = member.read(XML_HEAD - len(head))
                if not chunk:
                    break
                head += chunk
            if is_xml and _has_dtd(head):
                raise _reject(kind, "xml-dtd", MSG_DTD)
            found = mark and _ERROR_MARK in head
            tail = head[-4:]
            while chunk := member.read(READ_CHUNK):
                if mark and not found:
                    found = _ERROR_MARK in chunk or _ERROR_MARK in tail + chunk[:4]
                    tail = chunk[-4:]
    except _ZIP_ERRORS:
        raise _reject(kind, "corrupt-zip", MSG_CORRUPT) from None
    return found


def _inflate_whole(whole: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes inflated straight from the in-memory archive, or None to use zipfile.

    Only a member that checks out completely is returned: a local header that matches the
    central directory the way ``ZipFile.open`` requires, no flags beyond deflate options and
    UTF-8 names (so no data descriptor, patch data or encryption), stored or deflated, and
    output of exactly the declared size with the declared CRC. Inflation stops one byte past
    the declared size, so a member that lies about its size costs no more than it declares.
    Anything else returns None and is judged by ``zf.open`` exactly as before.
    """
    if info.flag_bits & ~_FAST_FLAGS or info.file_size > FAST_MEMBER_MAX:
        return None
    start = info.header_offset
    if start < 0 or start + 30 > len(whole):
        return None
    sig, flags, name_len, extra_len = struct.unpack_from("<4s2xH18xHH", whole, start)
    if sig != b"PK\x03\x04":
        return None
    begin = start + 30 + name_len + extra_len
    end = begin + info.compress_size
    if end > len(whole):
        return None
    raw_name = whole[start + 30 : start + 30 + name_len]
    try:  # ASCII reads the same in UTF-8 and cp437, and decodes faster
        name = raw_name.decode("ascii" if raw_name.isascii() else "utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    raw = whole[begin:end]
    if info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            data = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None
    elif info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        return None
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return None
    return data


def _has_dtd(head: bytes) -> bool:
    """``<!DOCTYPE``/``<!ENTITY`` in UTF-8 or UTF-16 text; nothing is parsed or resolved."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    # Every match holds "!", which worksheet XML seldom does: a memchr spares most parts the case-blind regex.
    return b"!" in head and _DTD_RE.search(head) is not None

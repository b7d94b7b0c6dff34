"""ZIP containers (xlsx, xlsm, xlsb, ods): bombs, damage, disguises and DTDs, found before any parsing.

Sizes are judged as the archive *declares* them, before a byte is inflated; every
member is then inflated once to verify its CRC and to look for a DTD in its first
64 KB, and worksheets are marked when they hold an Excel error cell (``t="e"``),
which python-calamine would read as empty. Memory and time stay bounded by the
declared budget whatever the file claims.

The workbook part is found as Office finds it: ``xl/workbook.xml`` when Excel wrote the
file, otherwise through the officeDocument relationship of ``_rels/.rels``, with part names
compared case-blind and ``\\`` taken for ``/`` (``files.ooxml``). Such a package is read, in
the sandbox (``layout`` gets False); an encrypted ``.ods`` (``encryption-data`` in its
manifest) is ``password-protected``.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from xl_addin.core.contracts import Rule
from xl_addin.core.vnformat import fmt_number
from xl_addin.files.ooxml import RELS_MAX, inflate_member, office_document, part_key
from xl_addin.intake.verdicts import (
    MSG_CORRUPT,
    MSG_DTD,
    MSG_MACRO,
    MSG_NOT_EXCEL,
    MSG_PASSWORD_ODS,
    MSG_PPT,
    MSG_WORD,
    MSG_ZIP_ENCRYPTED,
    MSG_ZIP_METHOD,
    mb,
    msg_bomb,
    reject,
)

__all__ = ["ERROR_MARK", "ZIP_MAGICS", "check_zip"]

ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MAX_MEMBERS = 10_000  # real workbooks have tens to a few hundred parts
MAX_CENTRAL_DIRECTORY = 16 * 2**20  # bytes; bounds the memory zipfile spends on ZipInfo
RATIO_MIN_SIZE = 2**20  # ratio is meaningful only for parts big enough to hurt
XML_HEAD = 64 * 1024  # a DOCTYPE must sit in the prolog, at the very top of the part
READ_CHUNK = 1 << 20
ERROR_MARK = b't="e"'  # an Excel error cell (#DIV/0! …) in worksheet XML; python-calamine reads it as ""

_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BINARY_SUFFIXES = (".bin", ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp", ".ico")


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


def check_zip(
    path: Path,
    fh: BinaryIO,
    whole: bytes | None,
    size: int,
    warnings: list[tuple[Rule, str]],
    error_parts: list[str],
    layout: list[bool],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    """The kind of a readable package (raises :class:`Verdict` otherwise); ``layout`` gets False
    when the workbook part is not where Excel puts it."""
    stats = _central_directory(fh, size)
    if stats is None:
        raise reject("zip", Rule.CORRUPT_ZIP, MSG_CORRUPT)
    n_entries, cd_size = stats
    if n_entries > MAX_MEMBERS or cd_size > MAX_CENTRAL_DIRECTORY:
        raise reject(
            "zip",
            Rule.ZIP_BOMB,
            msg_bomb(f"{n_entries} thành phần, mục lục nén {mb(cd_size)}; giới hạn {MAX_MEMBERS}"),
        )
    if whole is not None:
        kind = _check_zip_fast(path, whole, warnings, error_parts, max_uncompressed, max_ratio)
        if kind is not None:
            return kind
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            return _check_zip_members(
                path, zf, whole, warnings, error_parts, layout, max_uncompressed=max_uncompressed, max_ratio=max_ratio
            )
    except _ZIP_ERRORS:
        raise reject("zip", Rule.CORRUPT_ZIP, MSG_CORRUPT) from None


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
    warnings: list[tuple[Rule, str]],
    error_parts: list[str],
    layout: list[bool],
    *,
    max_uncompressed: int,
    max_ratio: float,
) -> str:
    infos = zf.infolist()
    _check_declared_sizes(infos, max_uncompressed, max_ratio)
    names = [info.filename for info in infos]
    if _ambiguous(names):
        raise reject("zip", Rule.CORRUPT_ZIP, MSG_CORRUPT)
    for info in infos:
        if info.flag_bits & 0x1:
            raise reject("zip", Rule.NOT_EXCEL, MSG_ZIP_ENCRYPTED)
    kind, standard = _zip_kind(path, zf, set(names), warnings)
    layout.append(standard)
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise reject(kind, Rule.NOT_EXCEL, MSG_ZIP_METHOD)
    for info in infos:
        if not info.is_dir():
            name = info.filename
            is_sheet = _is_sheet(name)
            if _scan_member(zf, whole, info, kind, is_sheet) and is_sheet:
                error_parts.append(name)
    return kind


def _ambiguous(names: list[str]) -> bool:
    """Two members with one part name (exactly, or as Office compares names): readers would pick different ones."""
    return len({part_key(n) for n in names}) != len(names)


def _is_sheet(name: str) -> bool:
    """A worksheet part, wherever the package keeps it (``xl/worksheets/sheet1.xml`` from Excel)."""
    return name.endswith(".xml") and "worksheets" in name and "worksheets/" in name.replace("\\", "/")


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
    if end < 20 or whole[end : end + 4] != b"PK\x05\x06" or whole[end - 20 : end - 16] == b"PK\x06\x07":
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
        (
            sig,
            _cv,
            _cs,
            extract,
            _reserved,
            flags,
            method,
            _t,
            _d,
            crc,
            csize,
            usize,
            name_len,
            extra_len,
            comment_len,
            _disk,
            _iattr,
            _eattr,
            offset,
        ) = unpack(whole, pos)
        if sig != b"PK\x01\x02" or extra_len or extract > _MAX_EXTRACT_VERSION or 0xFFFFFFFF in (csize, usize, offset):
            return None
        raw = whole[pos + size : pos + size + name_len]
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
    warnings: list[tuple[Rule, str]],
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
    if len(names) != len(entries) or _ambiguous([e.filename for e in entries]):
        raise reject("zip", Rule.CORRUPT_ZIP, MSG_CORRUPT)
    if any(e.flag_bits & 0x1 for e in entries):
        raise reject("zip", Rule.NOT_EXCEL, MSG_ZIP_ENCRYPTED)
    if "xl/workbook.xml" not in names:
        return None  # .ods, .xlsb, Word …: zipfile's path names them
    found: list[tuple[Rule, str]] = []
    kind, _standard = _zip_kind(path, None, names, found)  # standard: xl/workbook.xml is there
    if any(e.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for e in entries):
        raise reject(kind, Rule.NOT_EXCEL, MSG_ZIP_METHOD)
    marked = []
    for e in entries:
        if e.is_dir():
            continue
        data = inflate_member(whole, e)
        if data is None:
            return None  # a member that does not verify in memory: zipfile decides, as before
        name = e.filename
        if not name.lower().endswith(_BINARY_SUFFIXES) and _has_dtd(data[:XML_HEAD]):
            raise reject(kind, Rule.XML_DTD, MSG_DTD)
        if _is_sheet(name) and ERROR_MARK in data:
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
            raise reject(
                "zip",
                Rule.ZIP_BOMB,
                msg_bomb(f"khai báo {mb(total)} khi giải nén, vượt giới hạn {mb(max_uncompressed)}"),
            )
        if info.file_size >= RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > max_ratio:
                raise reject(
                    "zip",
                    Rule.ZIP_BOMB,
                    msg_bomb(
                        f"thành phần {info.filename} nén {fmt_number(ratio)} lần, giới hạn {fmt_number(max_ratio)} lần"
                    ),
                )


def _zip_kind(
    path: Path, zf: zipfile.ZipFile | None, names: set[str], warnings: list[tuple[Rule, str]]
) -> tuple[str, bool]:
    """What the package is, and whether its workbook part is where Excel puts it."""
    suffix = path.suffix.lower()
    macro = "xl/vbaProject.bin" in names or suffix in (".xlsm", ".xltm")
    standard = True
    if "xl/workbook.xml" in names:
        kind = "xlsm" if macro else "xlsx"
    elif "xl/workbook.bin" in names:
        kind = "xlsb"
    elif "mimetype" in names and "content.xml" in names:
        assert zf is not None  # the fast path leaves everything but xl/workbook.xml to zipfile
        kind = _ods_kind(zf)
    elif "word/document.xml" in names:
        raise reject("docx", Rule.NOT_EXCEL, MSG_WORD)
    elif "ppt/presentation.xml" in names:
        raise reject("pptx", Rule.NOT_EXCEL, MSG_PPT)
    else:
        assert zf is not None
        kind, macro = _other_layout(zf, names, macro)
        standard = False
    if macro and kind in ("xlsm", "xlsb"):
        warnings.append((Rule.MACRO_ENABLED, MSG_MACRO))
    return kind, standard


def _ods_kind(zf: zipfile.ZipFile) -> str:
    info = zf.getinfo("mimetype")
    mimetype = zf.read(info).strip() if info.file_size <= 200 else b""
    if mimetype != b"application/vnd.oasis.opendocument.spreadsheet":
        raise reject("odf", Rule.NOT_EXCEL, MSG_NOT_EXCEL)
    manifest = zf.NameToInfo.get("META-INF/manifest.xml")
    if manifest is not None and manifest.file_size <= RELS_MAX and b"encryption-data" in zf.read(manifest):
        raise reject("ods", Rule.PASSWORD_PROTECTED, MSG_PASSWORD_ODS)  # the parts are encrypted with a password
    return "ods"


def _other_layout(zf: zipfile.ZipFile, names: set[str], macro: bool) -> tuple[str, bool]:
    """A package not laid out as Excel writes it: (kind, macro) when it holds a workbook part."""
    keys = {part_key(n): n for n in names}

    def read(name: str) -> bytes | None:
        return zf.read(name) if zf.getinfo(name).file_size <= RELS_MAX else None

    main = office_document(keys, read)
    key = part_key(main) if main is not None else ""
    if not key:  # no usable _rels/.rels: Excel's own place, spelled another way
        key = next((k for k in ("xl/workbook.xml", "xl/workbook.bin") if k in keys), "")
    folder, base = key.rpartition("/")[::2]
    if base == "workbook.xml":
        macro = macro or f"{folder}/vbaproject.bin".lstrip("/") in keys
        return ("xlsm" if macro else "xlsx"), macro
    if base == "workbook.bin":
        return "xlsb", macro or f"{folder}/vbaproject.bin".lstrip("/") in keys
    if key == "word/document.xml":
        raise reject("docx", Rule.NOT_EXCEL, MSG_WORD)
    if key == "ppt/presentation.xml":
        raise reject("pptx", Rule.NOT_EXCEL, MSG_PPT)
    raise reject("zip", Rule.NOT_EXCEL, MSG_NOT_EXCEL)


def _scan_member(zf: zipfile.ZipFile, whole: bytes | None, info: zipfile.ZipInfo, kind: str, mark: bool) -> bool:
    """Look for a DTD in the first 64 KB, then inflate the rest to verify the CRC.

    Returns whether ``t="e"`` occurs in the member (looked for only when ``mark``).
    A member that ``files.ooxml.inflate_member`` can verify in memory is judged on those bytes,
    which are exactly what zipfile would return; anything else goes through
    ``zf.open`` in chunks, which decides every damaged member as before.
    """
    is_xml = not info.filename.lower().endswith(_BINARY_SUFFIXES)
    data = inflate_member(whole, info) if whole is not None else None
    if data is not None:
        if is_xml and _has_dtd(data[:XML_HEAD]):
            raise reject(kind, Rule.XML_DTD, MSG_DTD)
        return mark and ERROR_MARK in data
    try:
        with zf.open(info) as member:
            head = b""
            while len(head) < XML_HEAD:
                chunk = member.read(XML_HEAD - len(head))
                if not chunk:
                    break
                head += chunk
            if is_xml and _has_dtd(head):
                raise reject(kind, Rule.XML_DTD, MSG_DTD)
            found = mark and ERROR_MARK in head
            tail = head[-4:]
            while chunk := member.read(READ_CHUNK):
                if mark and not found:
                    found = ERROR_MARK in chunk or ERROR_MARK in tail + chunk[:4]
                    tail = chunk[-4:]
    except _ZIP_ERRORS:
        raise reject(kind, Rule.CORRUPT_ZIP, MSG_CORRUPT) from None
    return found


def _has_dtd(head: bytes) -> bool:
    """``<!DOCTYPE``/``<!ENTITY`` in UTF-8 or UTF-16 text; nothing is parsed or resolved."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16-be" if head.startswith(b"\xfe\xff") or head[:1] == b"\x00" else "utf-16-le"
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    # Every match holds "!", which worksheet XML seldom does: a memchr spares most parts the case-blind regex.
    return b"!" in head and _DTD_RE.search(head) is not None

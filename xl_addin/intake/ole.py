"""Old Excel files (OLE2 / CFB containers): a readable .xls, an encrypted workbook, or neither.

Detection parses the CFB directory (header → DIFAT → FAT → directory sector chain)
with nothing but ``struct``: only real directory entries count, so a workbook whose
*content* mentions "EncryptedPackage" is not misjudged, and we read a handful of
sectors instead of the whole file. If the header or FAT is damaged we fall back to a
bounded chunked search for the UTF-16LE stream names, which is what the directory
holds; the fallback errs towards "password-protected", the safe answer.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from xl_addin.core.contracts import Rule
from xl_addin.intake.verdicts import MSG_LEGACY_XLS, MSG_NOT_EXCEL, MSG_PASSWORD, reject

__all__ = ["OLE_MAGIC", "check_ole"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
READ_CHUNK = 1 << 20

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
        sector, seen = self.first_dir, set[int]()
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


def check_ole(fh: BinaryIO, size: int, warnings: list[tuple[Rule, str]]) -> str:
    try:
        cfb = _Cfb(fh, size)
        entries = cfb.entries()
    except (_CfbError, struct.error, IndexError, OSError):
        return _check_ole_fallback(fh, warnings)
    names = {entry[0].lower(): entry for entry in entries if entry[1] in (2, 5)}  # streams and root
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise reject("ole-encrypted", Rule.PASSWORD_PROTECTED, MSG_PASSWORD)
    book = names.get("workbook") or names.get("book")
    if book is None:
        raise reject("ole", Rule.NOT_EXCEL, MSG_NOT_EXCEL)
    try:
        head = cfb.stream_head(entries, book)
    except (_CfbError, struct.error, IndexError, OSError):
        head = b""
    if _biff_filepass(head):
        raise reject("xls", Rule.PASSWORD_PROTECTED, MSG_PASSWORD)
    warnings.append((Rule.LEGACY_XLS, MSG_LEGACY_XLS))
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


def _check_ole_fallback(fh: BinaryIO, warnings: list[tuple[Rule, str]]) -> str:
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
        raise reject("ole-encrypted", Rule.PASSWORD_PROTECTED, MSG_PASSWORD)
    if {"Workbook", "Book"} & found:
        warnings.append((Rule.LEGACY_XLS, MSG_LEGACY_XLS))
        return "xls"
    raise reject("ole", Rule.NOT_EXCEL, MSG_NOT_EXCEL)

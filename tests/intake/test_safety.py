"""Inbox file inspection against the generated hostile corpus (tests/support/hostile_corpus.py)."""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xl_addin.intake.safety import FileCheck, FileContent, inspect_and_load, inspect_file

RULES = {
    "lock-file",
    "not-a-file",
    "empty-file",
    "still-copying",
    "password-protected",
    "legacy-xls",
    "zip-bomb",
    "corrupt-zip",
    "not-excel",
    "xml-dtd",
    "macro-enabled",
    "unreadable",
}


from tests.support import hostile_corpus as corpus_mod  # noqa: E402


def _old(path: Path) -> Path:
    past = time.time() - 60
    os.utime(path, (past, past))
    return path


# case: (action, rule, kind, words the message must contain)
EXPECTED: dict[str, tuple[str, str | None, str, tuple[str, ...]]] = {
    "valid": ("read", None, "xlsx", ()),
    "zip_bomb": ("reject", "zip-bomb", "zip", ("Tệp nén bất thường", "Hãy")),
    "junk_rows": ("read", None, "xlsx", ()),
    "password": ("reject", "password-protected", "ole-encrypted", ("mật khẩu", "bỏ mật khẩu", "gửi lại")),
    "legacy_xls": ("read", None, "xls", ()),
    "legacy_xls_password": ("reject", "password-protected", "xls", ("mật khẩu",)),
    "ole_not_excel": ("reject", "not-excel", "ole", ("Không phải tệp Excel", "Save As")),
    "xlsm": ("read", None, "xlsm", ()),
    "xxe": ("reject", "xml-dtd", "xlsx", ("DTD", "Hãy")),
    "xxe_utf16": ("reject", "xml-dtd", "xlsx", ("DTD",)),
    "duplicate_names": ("reject", "corrupt-zip", "zip", ("bị hỏng", "gửi lại")),
    "formula_injection": ("read", None, "xlsx", ()),
    "long_cell": ("read", None, "xlsx", ()),
    "legacy_text": ("read", None, "xlsx", ()),
    "nfd_text": ("read", None, "xlsx", ()),
    "lock_file": ("skip", "lock-file", "lock", ()),
    "folder": ("skip", "not-a-file", "directory", ()),
    "empty": ("reject", "empty-file", "empty", ("0 byte", "gửi lại")),
    "truncated": ("reject", "corrupt-zip", "zip", ("bị hỏng hoặc chưa tải xong",)),
    "crc_error": ("reject", "corrupt-zip", "xlsx", ("bị hỏng",)),
    "many_members": ("reject", "zip-bomb", "zip", ("Tệp nén bất thường",)),
    "html_as_xls": ("reject", "not-excel", "html", ("HTML", "Save As")),
    "pdf": ("reject", "not-excel", "pdf", ("PDF",)),
    "docx": ("reject", "not-excel", "docx", ("Word",)),
    "ods": ("read", None, "ods", ()),
}


def test_expectations_cover_the_corpus(corpus: dict[str, Path]) -> None:
    assert set(EXPECTED) == set(corpus)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_hostile_case(corpus: dict[str, Path], case: str) -> None:
    action, rule, kind, words = EXPECTED[case]
    check = inspect_file(corpus[case])
    assert isinstance(check, FileCheck)
    assert (check.action, check.rule, check.kind) == (action, rule, kind), check.message
    assert check.path == corpus[case]
    if action == "reject":
        assert check.message
        for word in words:
            assert word in check.message
    if action == "read":
        assert check.message is None
    for warn_rule, warn_message in check.warnings:
        assert warn_rule in RULES
        assert warn_message
    if check.rule:
        assert check.rule in RULES


def test_warnings(corpus: dict[str, Path]) -> None:
    xlsm = inspect_file(corpus["xlsm"])
    assert [r for r, _ in xlsm.warnings] == ["macro-enabled"]
    assert "macro không bao giờ được chạy" in xlsm.warnings[0][1]
    xls = inspect_file(corpus["legacy_xls"])
    assert [r for r, _ in xls.warnings] == ["legacy-xls"]
    assert ".xlsx" in xls.warnings[0][1]
    assert inspect_file(corpus["valid"]).warnings == ()


def test_zip_bomb_is_rejected_in_little_memory(corpus: dict[str, Path]) -> None:
    bomb = corpus["zip_bomb"]
    with zipfile.ZipFile(bomb) as zf:
        declared = sum(i.file_size for i in zf.infolist())
    assert declared >= 2**30 - 2**20, "the sheet must declare ~1 GB"
    assert bomb.stat().st_size < 10 * 2**20
    tracemalloc.start()
    check = inspect_file(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert check.rule == "zip-bomb"
    assert peak < 50 * 2**20


def test_big_but_honest_file_is_bounded(corpus: dict[str, Path]) -> None:
    tracemalloc.start()
    check = inspect_file(corpus["junk_rows"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert check.action == "read"
    assert peak < 50 * 2**20


def _fingerprint(paths: list[Path]) -> dict[Path, tuple[str, int, int]]:
    out = {}
    for p in paths:
        if p.is_file():
            out[p] = (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_size, p.stat().st_mtime_ns)
    return out


def test_inspection_never_modifies_the_inbox(corpus: dict[str, Path]) -> None:
    folder = next(iter(corpus.values())).parent
    before_names = sorted(p.name for p in folder.iterdir())
    before = _fingerprint(list(folder.iterdir()))
    for path in folder.iterdir():
        inspect_file(path)
    assert sorted(p.name for p in folder.iterdir()) == before_names
    assert _fingerprint(list(folder.iterdir())) == before


def test_xxe_secret_is_never_read(corpus: dict[str, Path]) -> None:
    """Defence in depth: even a reader that ignored our verdict must not resolve the entity."""
    secret = (corpus["xxe"].parent / ".secret.txt").read_text(encoding="utf-8")
    import python_calamine as pc

    try:
        rows = pc.CalamineWorkbook.from_path(str(corpus["xxe"])).get_sheet_by_index(0).to_python()
    except Exception:
        rows = []
    assert secret not in repr(rows)


def test_generated_xls_is_readable(corpus: dict[str, Path]) -> None:
    import python_calamine as pc

    rows = pc.CalamineWorkbook.from_path(str(corpus["legacy_xls"])).get_sheet_by_index(0).to_python()
    assert rows[0] == ["STT", "Nhiệm vụ", "Tiến độ"]
    assert rows[1][1] == "Lập kế hoạch"


def test_legacy_and_nfd_cells_are_repaired_after_reading(corpus: dict[str, Path]) -> None:
    """End to end: what calamine returns from the corpus is fixed by legacy_encoding.fix_text."""
    import python_calamine as pc

    from xl_addin.intake.legacy_encoding import fix_text

    rows = pc.CalamineWorkbook.from_path(str(corpus["legacy_text"])).get_sheet_by_index(0).to_python()
    for original, tcvn3, vni in rows[1:]:
        assert fix_text(tcvn3) == (original, "tcvn3")
        assert fix_text(vni) == (original, "vni")
        assert fix_text(original) == (original, None)
    rows = pc.CalamineWorkbook.from_path(str(corpus["nfd_text"])).get_sheet_by_index(0).to_python()
    for nfc_text, nfd_text in rows[1:]:
        assert nfd_text != nfc_text
        assert fix_text(nfd_text) == (nfc_text, None)


def test_hostile_strings_stay_text_when_written(corpus: dict[str, Path], tmp_path: Path) -> None:
    """Strings read from the corpus and written back with write_text_cell never become formulas."""
    import openpyxl
    import python_calamine as pc

    from xl_addin.files.cell_text import write_text_cell

    rows = pc.CalamineWorkbook.from_path(str(corpus["formula_injection"])).get_sheet_by_index(0).to_python()
    strings = [r[0] for r in rows[1:] if r[0]]
    assert strings == corpus_mod.INJECTIONS
    long_text = pc.CalamineWorkbook.from_path(str(corpus["long_cell"])).get_sheet_by_index(0).to_python()[1][0]
    assert len(long_text) == corpus_mod.LONG_CELL
    wb = openpyxl.Workbook()
    for i, text in enumerate([*strings, long_text], start=1):
        warning = write_text_cell(wb.active.cell(row=i, column=1), text)
        assert (warning is not None) == (text is long_text)
    out = tmp_path / "tong_hop.xlsx"
    wb.save(out)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml


def test_generated_ole_files_are_valid_cfb(corpus: dict[str, Path]) -> None:
    olefile = pytest.importorskip("olefile")
    for case, streams in (
        ("password", {"EncryptionInfo", "EncryptedPackage"}),
        ("legacy_xls", {"Workbook"}),
        ("ole_not_excel", {"WordDocument"}),
    ):
        with olefile.OleFileIO(str(corpus[case])) as ole:
            assert {"/".join(e) for e in ole.listdir()} == streams


# --- metadata rules -----------------------------------------------------------------------


def test_fresh_file_is_judged_by_content(corpus: dict[str, Path], tmp_path: Path) -> None:
    """A file saved a moment ago is no longer rejected by its age: intake.motion waits for it instead."""
    fresh = tmp_path / "moi.xlsx"
    fresh.write_bytes(corpus["valid"].read_bytes())
    assert inspect_file(fresh).action == "read"


def test_growing_file_is_still_copying(corpus: dict[str, Path], tmp_path: Path) -> None:
    growing = tmp_path / "dang_chep.xlsx"
    growing.write_bytes(corpus["valid"].read_bytes()[:500])
    _old(growing)

    def append() -> None:
        time.sleep(0.1)
        with growing.open("ab") as fh:
            fh.write(b"\0" * 500)

    writer = threading.Thread(target=append)
    writer.start()
    check = inspect_file(growing, settle_seconds=0.4)
    writer.join()
    assert (check.action, check.rule) == ("defer", "still-copying")
    assert "lần chạy sau" in (check.message or "")


def test_settled_file_passes_with_settle(corpus: dict[str, Path]) -> None:
    t0 = time.perf_counter()
    assert inspect_file(corpus["valid"], settle_seconds=0.2).action == "read"
    assert time.perf_counter() - t0 >= 0.2


@pytest.mark.parametrize(
    "name", [".an.xlsx", "~tam.xlsx", "bao_cao.xlsx.tmp", "bao_cao.xlsx.crdownload", ".~lock.a.xlsx#"]
)
def test_hidden_and_temp_files_are_skipped(corpus: dict[str, Path], tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(corpus["valid"].read_bytes())
    check = inspect_file(_old(path))
    assert (check.action, check.rule) == ("skip", "lock-file")


def test_missing_file_is_skipped(tmp_path: Path) -> None:
    check = inspect_file(tmp_path / "khong_co.xlsx")
    assert (check.action, check.rule) == ("skip", "not-a-file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_fifo_is_skipped_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "ong.xlsx"
    os.mkfifo(fifo)
    result: list[FileCheck] = []
    worker = threading.Thread(target=lambda: result.append(inspect_file(fifo)), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert result, "inspect_file blocked on a FIFO"
    assert (result[0].action, result[0].rule) == ("skip", "not-a-file")


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_links(corpus: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "hong.xlsx"
    broken.symlink_to(tmp_path / "khong_ton_tai.xlsx")
    assert inspect_file(broken).rule == "not-a-file"
    to_dir = tmp_path / "thu_muc.xlsx"
    to_dir.symlink_to(tmp_path)
    assert inspect_file(to_dir).rule == "not-a-file"


# --- zip rules ----------------------------------------------------------------------------


def test_ratio_limit(tmp_path: Path) -> None:
    path = tmp_path / "ti_le.xlsx"
    corpus_mod.write_xlsx(
        path, [("Sheet1", corpus_mod.simple_sheet([["a"]]))], extra={"xl/media/x.xml": b"\0" * 4 * 2**20}
    )
    check = inspect_file(_old(path))
    assert check.rule == "zip-bomb"
    assert "lần" in (check.message or "")
    assert inspect_file(path, max_ratio=10_000).action == "read"


def test_total_limit(corpus: dict[str, Path]) -> None:
    check = inspect_file(corpus["junk_rows"], max_uncompressed=2**20)
    assert check.rule == "zip-bomb"
    assert "MB" in (check.message or "")


def test_dtd_after_long_prolog(tmp_path: Path) -> None:
    path = tmp_path / "dtd_muon.xlsx"
    sheet = '<?xml version="1.0"?>' + " " * 20_000 + "<!-- x -->\n<!DOCTYPE worksheet>" + corpus_mod.simple_sheet([])
    corpus_mod.write_xlsx(path, [("Sheet1", sheet)])
    assert inspect_file(_old(path)).rule == "xml-dtd"


def test_dtd_text_in_a_cell_is_not_a_dtd(tmp_path: Path) -> None:
    path = tmp_path / "chu.xlsx"
    corpus_mod.write_xlsx(path, [("Sheet1", corpus_mod.simple_sheet([["<!DOCTYPE html> <!ENTITY x>"]]))])
    assert inspect_file(_old(path)).action == "read"


def test_xlsm_by_extension_only(corpus: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "bao_cao.xlsm"
    path.write_bytes(corpus["valid"].read_bytes())
    check = inspect_file(_old(path))
    assert (check.action, check.kind) == ("read", "xlsm")
    assert [r for r, _ in check.warnings] == ["macro-enabled"]


def test_ole_with_damaged_header_falls_back_to_name_search(tmp_path: Path) -> None:
    data = bytearray(corpus_mod.cfb_bytes({"EncryptionInfo": b"x" * 100, "EncryptedPackage": b"y" * 5000}))
    struct.pack_into("<H", data, 0x1E, 7)  # impossible sector shift
    path = tmp_path / "hong_mk.xlsx"
    path.write_bytes(bytes(data))
    assert inspect_file(_old(path)).rule == "password-protected"


# --- never crash on garbage -----------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"", b"<html>"]),
    body=st.binary(min_size=0, max_size=4096),
)
def test_random_bytes_never_crash(prefix: bytes, body: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rac.xlsx"
        path.write_bytes(prefix + body)
        check = inspect_file(_old(path))
    assert check.action in ("reject", "read")
    assert check.rule in RULES | {None}


_VALID_CACHE: dict[str, bytes] = {}


def _valid_bytes() -> bytes:
    if "v" not in _VALID_CACHE:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "a.xlsx"
            corpus_mod.write_xlsx(path, [("Sheet1", corpus_mod.simple_sheet([["Nhiệm vụ", 1], ["x", 2]]))])
            _VALID_CACHE["v"] = path.read_bytes()
    return _VALID_CACHE["v"]


@settings(max_examples=150, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), min_size=1, max_size=8))
def test_corrupted_xlsx_never_crashes(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_valid_bytes())
    for pos, mask in flips:
        data[pos % len(data)] ^= mask
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hong.xlsx"
        path.write_bytes(bytes(data))
        check = inspect_file(_old(path))
    assert check.action in ("reject", "read")


# --- in-memory fast path and error-cell parts ------------------------------------------------

_ERROR_SHEET = (
    corpus_mod.SHEET_HEAD
    + '<row r="1"><c r="A1" t="str"><v>Nhiệm vụ</v></c><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    + corpus_mod.SHEET_TAIL
)


class _forced_zipfile_path:
    """Every member through ``zf.open`` in tiny chunks, as before the in-memory path existed.

    ``xml_head`` shrinks the DTD window too, so that short parts reach the chunk loop.
    """

    def __init__(self, xml_head: int | None = None) -> None:
        self.xml_head = xml_head

    def __enter__(self) -> None:
        import xl_addin.files.ooxml as ooxml
        import xl_addin.intake.zipcheck as zc

        self.saved = (ooxml.FAST_MEMBER_MAX, zc.READ_CHUNK, zc.XML_HEAD)
        ooxml.FAST_MEMBER_MAX, zc.READ_CHUNK = -1, 7
        zc.XML_HEAD = self.xml_head or zc.XML_HEAD

    def __exit__(self, *exc: object) -> None:
        import xl_addin.files.ooxml as ooxml
        import xl_addin.intake.zipcheck as zc

        ooxml.FAST_MEMBER_MAX, zc.READ_CHUNK, zc.XML_HEAD = self.saved


def _verdict(inspected: tuple[FileCheck, FileContent | None]) -> tuple[object, ...]:
    check, content = inspected
    parts = content.error_cell_parts if content is not None else None
    return (check.action, check.kind, check.rule, check.message, check.warnings, parts)


def test_error_cell_parts(tmp_path: Path) -> None:
    from xl_addin.intake.workbook import _formula_errors

    path = tmp_path / "loi.xlsx"
    plain = corpus_mod.simple_sheet([["Nhiệm vụ", 1]])
    corpus_mod.write_xlsx(path, [("Thông tin", plain), ("Tiến độ", _ERROR_SHEET), ("Khác", plain)])
    check, content = inspect_and_load(_old(path))
    assert check.ok and content is not None and content.error_cell_parts == ("xl/worksheets/sheet2.xml",)
    with _forced_zipfile_path(xml_head=64):  # the chunked path finds the mark across chunk boundaries too
        assert _verdict(inspect_and_load(path)) == _verdict((check, content))
    expected = {"Tiến độ": {"B1": "#DIV/0!"}}
    assert _formula_errors(path) == expected
    assert _formula_errors(path, content.error_cell_parts) == expected
    assert _formula_errors(path, ()) == {}

    clean = tmp_path / "sach.xlsx"
    corpus_mod.write_xlsx(clean, [("Sheet1", plain)], extra={"xl/sharedStrings.xml": b'<sst t="e"/>'})
    clean_content = inspect_and_load(_old(clean))[1]
    assert clean_content is not None and clean_content.error_cell_parts == ()  # only worksheet parts count
    assert _formula_errors(clean, ()) == {}


def test_error_cell_workbook_gives_formula_error_finding(workspace: Path) -> None:
    """End to end: the intake still reports the error cell when it re-reads only the marked part."""
    from tests.support import submission_fixtures as F
    from xl_addin.actions import validate_submissions
    from xl_addin.excel.ports import FilePort

    path = F.make_case(workspace, "formula-error")
    content = inspect_and_load(path)[1]
    assert content is not None and content.error_cell_parts  # the Tiến độ sheet part, whatever its number
    result = validate_submissions(FilePort(workspace), F.PERIOD, write_outputs=False).result
    found = [f for f in result.findings if f.rule == "formula-error" and f.unit == F.UNIT]
    assert found and found[0].sheet == "Tiến độ" and found[0].cell.startswith("E")


def test_lying_size_is_rejected_in_memory_and_streaming(tmp_path: Path) -> None:
    """A member that inflates past its declared size fails its CRC on either path."""
    path = tmp_path / "noi_doi.xlsx"
    corpus_mod.write_xlsx(path, [("Sheet1", corpus_mod.simple_sheet([["Nhiệm vụ", i] for i in range(200)]))])
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        local = info.header_offset
    struct.pack_into("<I", data, local + 22, info.file_size // 2)  # local header: uncompressed size
    cd = data.find(b"PK\x01\x02")
    while cd >= 0:
        name_len = struct.unpack_from("<H", data, cd + 28)[0]
        if bytes(data[cd + 46 : cd + 46 + name_len]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, cd + 24, info.file_size // 2)
        cd = data.find(b"PK\x01\x02", cd + 4)
    path.write_bytes(bytes(data))
    _old(path)
    inspected = inspect_and_load(path)
    assert (inspected[0].action, inspected[0].rule) == ("reject", "corrupt-zip")
    with _forced_zipfile_path():
        assert _verdict(inspect_and_load(path)) == _verdict(inspected)


@settings(max_examples=150, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)), min_size=1, max_size=8))
def test_in_memory_path_judges_like_zipfile(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_valid_bytes())
    for pos, mask in flips:
        data[pos % len(data)] ^= mask
    fast, slow = _judged_both_ways(bytes(data))
    assert fast == slow


def _judged_both_ways(data: bytes) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """The verdicts on ``data`` of the in-memory paths and of zipfile's chunked path."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hong.xlsx"
        path.write_bytes(data)
        _old(path)
        fast = inspect_and_load(path)
        with _forced_zipfile_path():
            slow = inspect_and_load(path)
    return _verdict(fast), _verdict(slow)


def test_corpus_judged_alike_on_both_paths(corpus: dict[str, Path]) -> None:
    for case, path in corpus.items():
        fast = inspect_and_load(path)
        with _forced_zipfile_path():
            slow = inspect_and_load(path)
        assert _verdict(fast) == _verdict(slow), case


def test_plain_workbook_is_judged_without_zipfile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-read central directory really carries the common case (it is where the time went)."""
    import xl_addin.intake.zipcheck as fs

    path = tmp_path / "a.xlsx"
    path.write_bytes(_valid_bytes())
    _old(path)
    expected = _verdict(inspect_and_load(path))

    def no_zipfile(*args: object, **kwargs: object) -> None:
        raise AssertionError("zipfile used")

    monkeypatch.setattr(fs.zipfile, "ZipFile", no_zipfile)
    check, content = inspect_and_load(path)
    assert _verdict((check, content)) == expected and check.ok and content is not None
    assert content.data == path.read_bytes() and content.sha256 == hashlib.sha256(content.data).hexdigest()


@settings(max_examples=150, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(min_value=1, max_value=700), st.integers(1, 255)), min_size=1, max_size=4))
def test_damaged_central_directory_judged_like_zipfile(flips: list[tuple[int, int]]) -> None:
    """Bit flips in the last bytes (central directory and end record) only: the hand-read directory's ground."""
    data = bytearray(_valid_bytes())
    for back, mask in flips:
        data[-min(back, len(data))] ^= mask
    fast, slow = _judged_both_ways(bytes(data))
    assert fast == slow

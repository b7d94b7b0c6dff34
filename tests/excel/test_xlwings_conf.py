"""xlwings' settings as its VBA reads them: the ``Input #`` reading of xlwings.conf, the add-in's own
``xlwings.conf`` sheet, and the VBA project's name and lock bytes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from xl_addin.excel.addin import repo_addin_path
from xl_addin.excel.addin_conf import CONF_SHEET, read_addin_conf, rewrite_conf_sheet, set_addin_conf
from xl_addin.excel.install import rewrite_user_conf
from xl_addin.excel.xlwings_conf import (
    VbaInputError,
    format_conf,
    misread_lines,
    vba_lookup,
    vba_read_pairs,
)

GOOD = b'"INTERPRETER_WIN","C:\\Python311\\python.exe"\r\n"CONDA PATH",""\r\n'


# ---------------------------------------------------------------------------------------------
# Input # (MS docs: a comma or a blank line delimits an empty field; EOF inside an item: error 62)
# ---------------------------------------------------------------------------------------------


def test_well_formed_file_reads_as_pairs() -> None:
    assert vba_read_pairs(GOOD) == [("INTERPRETER_WIN", "C:\\Python311\\python.exe"), ("CONDA PATH", "")]
    assert vba_lookup(GOOD, "interpreter_win") == "C:\\Python311\\python.exe"
    assert vba_lookup(GOOD, "PYTHONPATH") is None
    assert misread_lines(GOOD) == []


def test_final_line_without_line_end_is_fine() -> None:
    assert vba_read_pairs(b'"A","1"') == [("A", "1")]


def test_trailing_blank_line_is_error_62_for_any_missing_key() -> None:
    data = GOOD + b"\r\n"
    assert vba_lookup(data, "INTERPRETER_WIN") == "C:\\Python311\\python.exe"  # found before the end
    with pytest.raises(VbaInputError):
        vba_lookup(data, "ONEDRIVE_CONSUMER_WIN")  # RunPython always asks for absent keys
    assert any("dòng 3 trống" in p for p in misread_lines(data))


def test_blank_line_in_the_middle_shifts_the_pairs() -> None:
    """Issue #12: the old setup-excel appended after blank lines; INTERPRETER_WIN is never matched, error 62."""
    data = b'"CONDA PATH",""\r\n\r\n"INTERPRETER_WIN","C:\\py.exe"\r\n"SHOW CONSOLE","False"\r\n'
    with pytest.raises(VbaInputError):
        vba_lookup(data, "INTERPRETER_WIN")
    even = data + b'"X","1"\r\n\r\n'  # one more blank line: no error, but the pairs are shifted
    assert ("", "INTERPRETER_WIN") in vba_read_pairs(even) and vba_lookup(even, "INTERPRETER_WIN") is None


def test_unquoted_and_partial_lines_are_flagged() -> None:
    problems = misread_lines(b'INTERPRETER_WIN,C:\\py.exe\r\n"ONEDRIVE_CONSUMER_WIN"\r\n')
    assert len([p for p in problems if p.startswith("dòng")]) == 2
    assert any("lỗi 62" in p for p in problems)


def test_bom_and_non_ascii_are_flagged() -> None:
    assert any("BOM" in p for p in misread_lines(b"\xef\xbb\xbf" + GOOD))
    assert any("ASCII" in p for p in misread_lines('"TEMP DIR","C:\\Users\\Nguyễn"\r\n'.encode()))


def test_format_conf_is_what_xlwings_config_create_writes() -> None:
    assert format_conf([("INTERPRETER_WIN", "C:\\Python311\\python.exe"), ("CONDA PATH", "")]) == GOOD
    with pytest.raises(ValueError):
        format_conf([("TEMP DIR", "C:\\Users\\Nguyễn")])
    with pytest.raises(ValueError):
        format_conf([("A", 'say "hi"')])


def test_rewrite_keeps_good_pairs_and_drops_the_rest() -> None:
    old = b'\r\n"CONDA PATH","C:\\conda"\r\nrubbish\r\n"INTERPRETER_WIN","C:\\old.exe"\r\n\r\n'
    conf = rewrite_user_conf(old, "C:\\new.exe")
    assert conf.data == b'"CONDA PATH","C:\\conda"\r\n"INTERPRETER_WIN","C:\\new.exe"\r\n'
    assert conf.changed and len(conf.dropped) >= 3
    assert rewrite_user_conf(conf.data, "C:\\new.exe").changed is False


# ---------------------------------------------------------------------------------------------
# the add-in's sheet (GetConfigFromSheet: A1 down to the first empty cell, keys upper-cased)
# ---------------------------------------------------------------------------------------------


def _with_rows(tmp_path: Path, rows: list[tuple[str, str]]) -> Path:
    out = tmp_path / "x.xlam"
    set_addin_conf(repo_addin_path(), out, dict(rows))
    return out


def test_sheet_round_trip_keeps_unicode(tmp_path: Path) -> None:
    rows = [("INTERPRETER_WIN", "C:\\Users\\Nguyễn Văn A\\python.exe"), ("PYTHONPATH", ""), ("Temp Dir", " x ")]
    conf = read_addin_conf(_with_rows(tmp_path, rows))
    assert conf == {"INTERPRETER_WIN": "C:\\Users\\Nguyễn Văn A\\python.exe", "PYTHONPATH": "", "TEMP DIR": " x "}


def test_sheet_is_read_down_to_the_first_empty_key(tmp_path: Path) -> None:
    with zipfile.ZipFile(repo_addin_path()) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    xml = rewrite_conf_sheet(sheet, [("A", "1"), ("", ""), ("B", "2")])
    out = tmp_path / "gap.xlam"
    with zipfile.ZipFile(repo_addin_path()) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info))
    assert read_addin_conf(out) == {"A": "1"}  # A2 empty: only A1 is read


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(repo_addin_path()) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert rewrite_conf_sheet(sheet, [("A", "1")]).count(b"<row ") == 1
    out = tmp_path / "dup.xlam"
    xml = rewrite_conf_sheet(sheet, [("A", "1"), ("a", "2")])
    with zipfile.ZipFile(repo_addin_path()) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, xml if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info))
    with pytest.raises(ValueError, match="457"):
        read_addin_conf(out)


def test_a_workbook_without_the_sheet_has_no_sheet_config(tmp_path: Path) -> None:
    from xl_addin.actions import init_workspace

    init_workspace(tmp_path / "ws")
    assert read_addin_conf(tmp_path / "ws" / "master.xlsx") is None
    assert CONF_SHEET == "xlwings.conf"


# ---------------------------------------------------------------------------------------------
# MS-OVBA data encryption, checked against ms-ovba-crypto's decoder
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0x00, 0x02, 0x04, 0x06, 0x35, 0xFF])
def test_encryption_round_trips_through_an_independent_decoder(seed: int) -> None:
    from ms_ovba_crypto import MsOvbaCrypto

    from xl_addin.excel.vba_project import encrypt_data

    project_id = "{318BEE36-5BE1-492A-826D-473DB19B0F30}"
    for data in (b"\x00", b"\xff", bytes(range(29))):
        assert MsOvbaCrypto.decrypt(bytes.fromhex(encrypt_data(project_id, data, seed))) == data


def test_quickstart_protection_decodes_as_unprotected() -> None:
    """Bytes an Office tool wrote (the quickstart's CMG): our encoder agrees on everything not random."""
    from ms_ovba_crypto import MsOvbaCrypto

    from xl_addin.excel.vba_project import encrypt_data

    cmg = "5D5F8AADDAA8DEA8DEA8DEA8DE"  # quickstart_addin_ribbon.xlam, ID {318BEE36-…}
    assert MsOvbaCrypto.decrypt(bytes.fromhex(cmg)) == b"\x00\x00\x00\x00"
    ours = encrypt_data("{318BEE36-5BE1-492A-826D-473DB19B0F30}", b"\x00\x00\x00\x00", 0x5D)
    assert ours[:6] == cmg[:6], "seed, version and project key bytes as Excel wrote them"
    assert len(ours) == len(cmg) and MsOvbaCrypto.decrypt(bytes.fromhex(ours)) == b"\x00\x00\x00\x00"

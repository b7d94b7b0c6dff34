"""The outputs written without openpyxl: streamed workbooks and the dashboard patched in place."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tests.support import submission_fixtures as F
from xl_addin.excel.ports import FilePort
from xl_addin.files.cell_patch import set_table_values
from xl_addin.files.cell_text import EXCEL_MAX_CELL_CHARS
from xl_addin.files.xlsx_stream import Book, CellStyle, Sheet, Table, row_xml
from xl_addin.plan import schema as S

VALUES = {"Nộp muộn": "3", "Chưa nộp": '=HYPERLINK("x")', "Kết quả gần nhất": "Kiểm tra: 2 lỗi & <1> cảnh báo"}


def _summary(path: Path) -> dict[str, str]:
    wb = CalamineWorkbook.from_path(str(path), load_tables=True)
    return {row[0]: row[1] for row in wb.get_table_by_name(S.TABLE_SUMMARY).to_python()}


def test_dashboard_patched_in_place_as_openpyxl_would(workspace: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    shutil.copytree(workspace, other)
    with zipfile.ZipFile(workspace / "master.xlsx") as zf:
        before = {n: zf.read(n) for n in zf.namelist()}
    assert FilePort(workspace).write_summary(VALUES) is True
    assert FilePort(other)._write_summary_openpyxl(VALUES) is True
    assert _summary(workspace / "master.xlsx") == _summary(other / "master.xlsx")
    assert {k: _summary(workspace / "master.xlsx")[k] for k in VALUES} == VALUES
    with zipfile.ZipFile(workspace / "master.xlsx") as zf:
        changed = [n for n in zf.namelist() if zf.read(n) != before[n]]
    assert changed == ["xl/worksheets/sheet1.xml"]  # every other part copied as it was
    cell = next(
        c
        for row in load_workbook(workspace / "master.xlsx")["Bảng điều khiển"]
        for c in row
        if c.value == VALUES["Chưa nộp"]
    )
    assert cell.data_type == "s"  # text, never a formula


def test_dashboard_in_another_form_goes_through_openpyxl(workspace: Path) -> None:
    from xl_addin.plan.tables import open_tables

    master = workspace / "master.xlsx"
    summary = open_tables(master)[S.TABLE_SUMMARY]
    row = next(i for i, r in enumerate(summary.rows) if r[0] == "Nộp muộn")
    ref = summary.cell(row, summary.headers[1]).encode()  # the value cell of "Nộp muộn", wherever the table is
    with zipfile.ZipFile(master) as zf:
        parts = {i: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(master, "w", zipfile.ZIP_DEFLATED) as zf:  # that cell removed from the sheet
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="' + ref + rb'"[^>]*?(/>|>.*?</c>)', b"", data, count=1)
                assert b'r="' + ref + b'"' not in data
            zf.writestr(info, data)
    assert set_table_values(master, S.TABLE_SUMMARY, VALUES) is False
    assert FilePort(workspace).write_summary(VALUES) is True
    assert _summary(master)["Nộp muộn"] == "3"


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_commands_never_import_openpyxl_or_pandas(workspace: Path, command: str) -> None:
    """A clean inbox is checked and consolidated, every output written, without openpyxl or pandas (0.4 s and
    0.3–0.5 s to import)."""
    F.filled(workspace)
    code = (
        "import sys; from xl_addin.cli import main; rc = main([sys.argv[2], sys.argv[1]]);"
        "print(rc, 'openpyxl' in sys.modules, 'pandas' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(workspace), command], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "0 False False False", out.stdout
    assert all(line.startswith("Đang ") for line in out.stderr.splitlines()), out.stderr  # progress only
    assert (workspace / "bao_cao" / f"kiem_tra_{F.PERIOD}.xlsx").is_file()
    assert _summary(workspace / "master.xlsx")["Nộp muộn"] == "0"
    if command == "consolidate":
        grid = CalamineWorkbook.from_path(str(workspace / "bao_cao" / f"tong_hop_{F.PERIOD}.xlsx"))
        assert len(grid.get_sheet_by_name("Tiến độ").to_python()) > 3


def test_streamed_text_is_inert_and_within_excel_limits(tmp_path: Path) -> None:
    book = Book("Thử")
    style = book.style(CellStyle(wrap=True))
    texts = ["=1+1", "bị\x00\x07cắt", "x" * (EXCEL_MAX_CELL_CHARS + 10), "@SUM(A1)"]
    rows = [row_xml(r, [book.text_cell(f"A{r}", style, t)]) for r, t in enumerate(texts, start=2)]
    sheet = Sheet("Trang của O'Neil", [40], iter(rows), last_row=5, header_row=1, table=Table("T", "A1:A5", ["Cột"]))
    path = book.save(tmp_path / "t.xlsx", [sheet])
    ws = load_workbook(path)["Trang của O'Neil"]
    assert ws["A2"].value == "=1+1" and ws["A5"].value == "@SUM(A1)"
    assert ws["A2"].data_type == "s" and ws["A5"].data_type == "s"
    assert ws["A3"].value == "bịcắt"
    assert len(ws["A4"].value) == EXCEL_MAX_CELL_CHARS
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    with zipfile.ZipFile(path) as zf:
        assert all(b"<f>" not in zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))

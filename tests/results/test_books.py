"""Findings list, returned copies and the consolidated workbook."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from xl_addin.core.errors import DdciError
from xl_addin.files.cell_text import write_text_cell
from xl_addin.files.xlsx_style import ERROR_FILL, FLAG_FILL, WARNING_FILL
from xl_addin.forms import layout as L
from xl_addin.forms.writer import write_unit_template
from xl_addin.plan.seed import seed_plan
from xl_addin.results.consolidated_book import write_consolidated
from xl_addin.results.findings_book import FINDING_COLUMNS, write_findings
from xl_addin.results.returned_copy import COMMENT_AUTHOR, RETURN_SHEET, write_returned_copy
from xl_addin.tools.demo_fill import demo_answers, fill_submission

EVIL = '=HYPERLINK("http://x")'


def _no_formulas(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert b"<f>" not in zf.read(name) and b"<f " not in zf.read(name), name


def _finding(
    file="bao_cao_VP_2024-03.xlsx", unit="VP", sheet=L.PROGRESS_SHEET, cell="", severity="error", rule="", message=""
) -> dict:
    return dict(file=file, unit=unit, sheet=sheet, cell=cell, severity=severity, rule=rule, message=message)


# --- findings list ----------------------------------------------------------------------------------------


def test_findings_workbook(tmp_path):
    findings = [
        _finding(cell="D5", rule="trang-thai", message="Trạng thái không có trong danh sách."),
        _finding(cell="E6", severity="warning", rule="ty-le", message="Tỷ lệ 100 nhưng chưa hoàn thành."),
        _finding(file="bao_cao_TTRA_2024-03.xlsx", unit="TTRA", sheet="", message=EVIL),
    ]
    path = write_findings(findings, tmp_path / "bao_cao" / "kiem_tra_2024-03.xlsx", "KIỂM TRA KỲ 2024-03")
    assert path.name == "kiem_tra_2024-03.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    ((name, ref),) = ws.tables.items()
    table = ws.tables[name]
    assert table.autoFilter is not None and table.autoFilter.ref == ref  # filterable
    assert [c.name for c in table.tableColumns] == list(FINDING_COLUMNS)
    first = ws[ref.split(":")[0]]
    header_row = first.row
    assert [c.value for c in ws[header_row]][:7] == list(FINDING_COLUMNS)
    body = list(ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row))
    assert len(body) == 3
    assert [r[4].value for r in body] == ["Lỗi", "Cảnh báo", "Lỗi"]
    assert body[0][4].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert body[1][4].fill.fgColor.rgb == WARNING_FILL.fgColor.rgb
    assert body[2][6].value == EVIL and body[2][6].data_type == "s"
    assert "2 lỗi, 1 cảnh báo trong 2 tệp" in ws["A2"].value
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    _no_formulas(path)


def test_findings_workbook_without_findings(tmp_path):
    path = write_findings([], tmp_path / "k.xlsx", "Kiểm tra")
    ws = load_workbook(path).active
    assert len(ws.tables) == 1
    assert "Không phát hiện" in ws.cell(row=ws.max_row, column=7).value


# --- returned copy ----------------------------------------------------------------------------------------


@pytest.fixture
def submission(tmp_path) -> Path:
    plan = seed_plan()
    period = plan.period("2024-03")
    template = write_unit_template(plan, "VP", period, tmp_path / "tpl" / "t.xlsx")
    inbox = tmp_path / "nop"
    answers = demo_answers(plan, "VP", period, seed=5)
    answers["1.2"]["result"] = EVIL
    path = fill_submission(template, inbox / "bao_cao_VP_2024-03.xlsx", answers, ("Trần Văn Nam", "0912345678"))
    os.chmod(path, 0o444)  # the inbox is read-only for us
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_returned_copy(submission, tmp_path):
    before = _digest(submission)
    findings = [
        _finding(
            file=f"nop/{submission.name}", cell="D5", rule="trang-thai", message="Chọn trạng thái trong danh sách."
        ),
        _finding(cell="$E$6", severity="warning", rule="ty-le", message="Tỷ lệ 100 nhưng trạng thái chưa hoàn thành."),
        _finding(cell="E6", rule="ty-le", message=EVIL),  # second finding on the same cell
        _finding(sheet=L.INFO_SHEET, cell="B8", message="Thiếu số điện thoại."),
        _finding(sheet="", cell="", message="Thiếu trang tính định danh."),
        _finding(cell="không-phải-ô", message="Ô không hợp lệ."),
        _finding(cell="C1", message="Ô gộp."),  # inside the merged title A1:I1
        _finding(file="bao_cao_TTRA_2024-03.xlsx", cell="D6", message="Tệp khác."),
    ]
    dest = write_returned_copy(submission, tmp_path / "tra_lai" / submission.name, findings)
    assert _digest(submission) == before

    wb = load_workbook(dest)
    assert wb.sheetnames[0] == RETURN_SHEET
    assert wb.active.title == RETURN_SHEET
    ws = wb[L.PROGRESS_SHEET]
    d5, e6 = ws["D5"], ws["E6"]
    assert d5.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert d5.comment.author == COMMENT_AUTHOR and "Chọn trạng thái" in d5.comment.text
    assert e6.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb  # an error and a warning: red
    assert "Tỷ lệ 100" in e6.comment.text and EVIL in e6.comment.text
    assert ws["A1"].comment is not None and ws["A1"].fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    assert ws["D6"].comment is None
    info_cell = wb[L.INFO_SHEET]["B8"]
    assert info_cell.comment is not None and info_cell.fill.fgColor.rgb == ERROR_FILL.fgColor.rgb
    # Protection and the identity sheet as they were.
    assert ws.protection.sheet is True and wb[L.INFO_SHEET].protection.sheet is True
    assert wb.security.lockStructure is True
    assert wb[L.IDENTITY_SHEET].sheet_state == "veryHidden"
    # The problem list: every finding of this file (7), none of the other file.
    problems = wb[RETURN_SHEET]
    messages = [r[4] for r in problems.iter_rows(min_row=5, values_only=True)]
    assert len(messages) == 7
    assert "Tệp khác." not in messages and "Thiếu trang tính định danh." in messages and EVIL in messages
    assert problems["D5"].hyperlink is not None and problems["D5"].hyperlink.location.endswith("!D5")
    _no_formulas(dest)
    visibility = {s.name: s.visible for s in CalamineWorkbook.from_path(str(dest)).sheets_metadata}
    assert visibility[L.IDENTITY_SHEET] == SheetVisibleEnum.VeryHidden


def test_warning_only_cell_is_yellow(submission, tmp_path):
    dest = write_returned_copy(submission, tmp_path / "r.xlsx", [_finding(cell="F7", severity="warning", message="x")])
    assert load_workbook(dest)[L.PROGRESS_SHEET]["F7"].fill.fgColor.rgb == WARNING_FILL.fgColor.rgb


def test_returned_copy_of_a_returned_copy(submission, tmp_path):
    first = write_returned_copy(submission, tmp_path / "r1.xlsx", [_finding(cell="D5", message="Một.")])
    second = write_returned_copy(first, tmp_path / "r2.xlsx", [_finding(file="r1.xlsx", cell="D5", message="Hai.")])
    wb = load_workbook(second)
    assert wb.sheetnames.count(RETURN_SHEET) == 1
    assert wb[L.PROGRESS_SHEET]["D5"].comment.text.strip() == "Lỗi: Hai."


def test_returned_copy_refuses_source_and_garbage(submission, tmp_path):
    with pytest.raises(DdciError):
        write_returned_copy(submission, submission, [])
    junk = tmp_path / "hong.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(DdciError, match="Không mở được"):
        write_returned_copy(junk, tmp_path / "out.xlsx", [])
    with pytest.raises(DdciError):
        write_returned_copy(tmp_path / "khong_co.xlsx", tmp_path / "out.xlsx", [])
    assert not (tmp_path / "out.xlsx").exists()


def test_returned_copy_of_an_odd_workbook(tmp_path):
    """A workbook that is not our template: quotes in sheet names, formulas, a chartsheet, huge refs."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng của O'Neil"
    ws["A1"] = "=1+1"
    write_text_cell(ws["B1"], "=SUM(A1)")
    ws.merge_cells("C3:E5")
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=1, min_row=1, max_row=2))
    wb.create_chartsheet("Biểu đồ").add_chart(chart)
    src = tmp_path / "odd.xlsx"
    wb.save(src)
    findings = [
        _finding(file="odd.xlsx", sheet="Bảng của O'Neil", cell="D4", message="Ô trong vùng gộp."),
        _finding(file="odd.xlsx", sheet="Bảng của O'Neil", cell="A1:B2", message="Vùng."),
        _finding(file="odd.xlsx", sheet="Biểu đồ", cell="A1", message="Trang biểu đồ."),
        _finding(file="odd.xlsx", sheet="Bảng của O'Neil", cell="XFD1048577", message="Ngoài bảng."),
        _finding(file="odd.xlsx", sheet="Không có", cell="A1", message="Trang không có."),
    ]
    dest = write_returned_copy(src, tmp_path / "odd_tra.xlsx", findings)
    out = load_workbook(dest)
    sheet = out["Bảng của O'Neil"]
    assert sheet["C3"].comment is not None  # the merged range's anchor
    assert sheet["A1"].value == "=1+1" and sheet["B2"].comment is not None
    assert sheet["B1"].data_type == "s"
    assert len(list(out[RETURN_SHEET].iter_rows(min_row=5))) == 5


# --- consolidated -----------------------------------------------------------------------------------------


def _tables(n: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    statuses = np.array(L.STATUSES)
    progress = pd.DataFrame(
        {
            "Đơn vị": rng.choice(["VP", "TTRA", "QLDD"], n),
            "Mã nhiệm vụ": [f"{i % 8 + 1}.{i % 3 + 1}" for i in range(n)],
            "Nội dung nhiệm vụ": [
                "Về thực hiện TTHC trên dịch vụ công trực tuyến: tăng cường tuyên truyền, "
                f"hướng dẫn người dân, doanh nghiệp (dòng {i})."
                for i in range(n)
            ],
            "Vai trò": rng.choice(["Chủ trì", "Phối hợp"], n),
            "Trạng thái": rng.choice(statuses, n),
            "Tỷ lệ hoàn thành (%)": rng.integers(0, 101, n),
            "Điểm": rng.random(n) * 10,
            "Kết quả thực hiện": [f"Đã giải quyết {i} hồ sơ đúng hạn." for i in range(n)],
            "Khó khăn, vướng mắc": [None] * n,
            "Đề xuất, kiến nghị": [""] * n,
            "Ngày hoàn thành": pd.to_datetime("2024-02-15") + pd.to_timedelta(rng.integers(0, 28, n), unit="D"),
            "Hạn nộp": [dt.date(2024, 3, 15)] * n,
            "Số dòng": np.arange(n),
            "Người báo cáo": ["Nguyễn Văn A"] * n,
            "Có cảnh báo": rng.random(n) < 0.1,
        }
    )
    progress.loc[0, "Kết quả thực hiện"] = EVIL
    progress.loc[1, "Khó khăn, vướng mắc"] = "+cmd|' /C calc'!A0"
    progress.loc[2, "Có cảnh báo"] = True
    progress.loc[3, "Có cảnh báo"] = False
    by_indicator = pd.DataFrame(
        {
            "Chỉ số": ["1. Tính minh bạch", "2. Chi phí thời gian", "3. Chi phí không chính thức"],
            "Hoàn thành": [3, 4, 1],
            "Đang triển khai": [5, 2, 6],
            "Chưa triển khai": [0, 1, 2],
            "Tỷ lệ hoàn thành (%)": [37.5, 57.14, 11.11],
        }
    )
    by_unit = pd.DataFrame({"Đơn vị": ["VP", "TTRA"], "Số nhiệm vụ": [18, 18], "Đã nộp": [True, False]})
    problems = pd.DataFrame({"Đơn vị": pd.Series([], dtype=object), "Nội dung": pd.Series([], dtype=object)})
    return {"Tiến độ": progress, "Theo chỉ số": by_indicator, "Theo đơn vị": by_unit, "Khó khăn, đề xuất": problems}


def test_consolidated_workbook(tmp_path):
    tables = _tables(200)
    path = write_consolidated(tables, tmp_path / "tong_hop.xlsx", "TỔNG HỢP TIẾN ĐỘ THÁNG 3 NĂM 2024")
    _no_formulas(path)
    wb = load_workbook(path)
    assert wb.sheetnames == list(tables)
    for name, frame in tables.items():
        ws = wb[name]
        assert len(ws.tables) == 1
        (table,) = ws.tables.values()
        assert table.autoFilter is not None
        assert [c.name for c in table.tableColumns] == list(frame.columns)
        top = int(table.ref.split(":")[0][1:])
        assert [c.value for c in ws[top]][: frame.shape[1]] == list(frame.columns)
        assert ws.freeze_panes == f"A{top + 1}"
        assert ws.page_setup.orientation == "landscape"
    ws = wb["Tiến độ"]
    cols = {c.value: c.column for c in ws[3]}
    first = 4
    assert ws.cell(row=first, column=cols["Kết quả thực hiện"]).value == EVIL
    assert ws.cell(row=first, column=cols["Kết quả thực hiện"]).data_type == "s"
    assert ws.cell(row=first + 1, column=cols["Khó khăn, vướng mắc"]).value.startswith("+cmd")
    assert ws.cell(row=first, column=cols["Khó khăn, vướng mắc"]).value is None
    pct = ws.cell(row=first, column=cols["Tỷ lệ hoàn thành (%)"])
    assert isinstance(pct.value, int) and pct.value == tables["Tiến độ"].iloc[0]["Tỷ lệ hoàn thành (%)"]
    done = ws.cell(row=first, column=cols["Ngày hoàn thành"])
    assert done.is_date and done.number_format.upper() == "DD/MM/YYYY"
    assert done.value.date() == tables["Tiến độ"].iloc[0]["Ngày hoàn thành"].date()
    assert ws.cell(row=first, column=cols["Hạn nộp"]).value.date() == dt.date(2024, 3, 15)
    assert ws.cell(row=first, column=1).font.name == "Times New Roman"
    assert ws.cell(row=first, column=cols["Nội dung nhiệm vụ"]).alignment.wrap_text
    flagged = ws.cell(row=first + 2, column=1)
    assert flagged.fill.fgColor.rgb == FLAG_FILL.fgColor.rgb
    assert ws.cell(row=first + 2, column=cols["Có cảnh báo"]).value == "Có"
    assert ws.cell(row=first + 3, column=1).fill.fgColor.rgb != FLAG_FILL.fgColor.rgb
    assert wb["Theo đơn vị"]["C5"].value == "Không"
    # The chart: a native bar chart with the three count series, categories from the first column.
    chart_sheet = wb["Theo chỉ số"]
    (chart,) = chart_sheet._charts
    assert chart.tagname == "barChart"
    assert len(chart.series) == 3
    with zipfile.ZipFile(path) as zf:
        assert any(n.startswith("xl/charts/chart") for n in zf.namelist())
    # Every sheet readable by calamine with the same values.
    cw = CalamineWorkbook.from_path(str(path))
    grid = cw.get_sheet_by_name("Tiến độ").to_python()
    assert len(grid) == 3 + 200
    assert grid[3][cols["Kết quả thực hiện"] - 1] == EVIL


def test_consolidated_many_rows_all_written(tmp_path):
    """Rows are streamed as XML: all of them arrive (the speed is measured by ``ddci bench``)."""
    tables = _tables(5_000)
    path = write_consolidated(tables, tmp_path / "lon.xlsx", "Tổng hợp")
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Tiến độ").to_python()
    assert len(rows) == 3 + 5_000


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_consolidated(tmp_path):
    """The streamed sheet XML is valid for another consumer than our own readers."""
    from tests.support.libreoffice import libreoffice_convert

    path = write_consolidated(_tables(50), tmp_path / "tong_hop.xlsx", "Tổng hợp")
    saved = libreoffice_convert(path, tmp_path / "lo")
    cw = CalamineWorkbook.from_path(str(saved))
    grid = cw.get_sheet_by_name("Tiến độ").to_python()
    assert len(grid) >= 3 + 50
    assert EVIL in grid[3]
    assert cw.get_sheet_by_name("Theo chỉ số").to_python()[3][1] == 3

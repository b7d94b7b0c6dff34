"""Unit templates: layout contract, identity, locking, validations, print setup, LibreOffice round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from tests.support.libreoffice import libreoffice_convert
from xl_addin.core.errors import DdciError
from xl_addin.forms import layout as L
from xl_addin.forms.writer import (
    INPUT_FILL,
    PROTECTION_PASSWORD,
    SHARED_FILE_NAME,
    write_shared_template,
    write_templates,
    write_unit_template,
)
from xl_addin.plan.seed import seed_plan
from xl_addin.tools.demo_fill import demo_answers, fill_submission, find_header_row

PERIOD = "2024-03"


@pytest.fixture(scope="module")
def plan():
    return seed_plan()


@pytest.fixture(scope="module")
def period(plan):
    return plan.period(PERIOD)


@pytest.fixture(scope="module")
def templates(plan, period, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    calls = []
    paths = write_templates(plan, period, out, progress=lambda m, d, t: calls.append((m, d, t)))
    assert calls[0] == ("Đang tạo biểu mẫu VP", 1, len(paths))
    assert calls[-1][1:] == (len(paths), len(paths))
    return dict(zip(plan.reporting_unit_codes, paths, strict=True))


@pytest.fixture(scope="module")
def shared(plan, period, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("shared")
    paths = write_templates(plan, period, out, shared=True)
    assert paths == [out / SHARED_FILE_NAME]
    return paths[0]


def _triples(plan, unit):
    return [(r.code, r.text, r.role) for r in L.template_rows(plan, unit)]


def test_one_template_per_reporting_unit(plan, templates):
    assert list(templates) == list(plan.reporting_unit_codes)
    for unit, path in templates.items():
        assert path.name == L.template_file_name(unit, PERIOD)
        assert path.is_file()
    leftovers = [p.name for p in next(iter(templates.values())).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []  # atomic writes leave no temporary files


def test_header_row_and_task_rows(plan, templates):
    for unit, path in templates.items():
        wb = load_workbook(path)
        assert wb.sheetnames == [L.INFO_SHEET, L.PROGRESS_SHEET, L.IDENTITY_SHEET]
        ws = wb[L.PROGRESS_SHEET]
        header_row, cols = find_header_row(ws)
        header = [c.value for c in ws[header_row]][: len(L.PROGRESS_COLUMNS)]
        assert tuple(header) == L.PROGRESS_COLUMNS
        expected = L.template_rows(plan, unit)
        got = [
            L.TemplateRow(*(ws.cell(row=header_row + i, column=cols[c]).value for c in L.PREFILLED_COLUMNS))
            for i in range(1, len(expected) + 1)
        ]
        assert got == expected
        assert ws.cell(row=header_row + len(expected) + 1, column=1).value is None


def test_identity_sheet(plan, templates):
    for unit, path in templates.items():
        wb = load_workbook(path)
        ws = wb[L.IDENTITY_SHEET]
        assert ws.sheet_state == "veryHidden"
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        assert tuple(rows[0]) == L.IDENTITY_COLUMNS
        assert len(rows) == 2
        identity = dict(zip(L.IDENTITY_COLUMNS, rows[1], strict=True))
        triples = _triples(plan, unit)
        assert identity == {
            "sheet": L.PROGRESS_SHEET,
            "unit": unit,
            "period": PERIOD,
            "version": L.TEMPLATE_VERSION,
            "fingerprint": L.fingerprint(triples),
            "rows": L.encode_rows(triples),
        }
        assert [code for code, _ in L.decode_rows(identity["rows"])] == [t[0] for t in triples]
        assert all(c.data_type == "s" for row in ws.iter_rows() for c in row)


def test_info_sheet(plan, period, templates):
    wb = load_workbook(templates["TTRA"])
    ws = wb[L.INFO_SHEET]
    labels = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(1, 12)}
    assert labels[L.LABEL_PERIOD].value == f"{period.name} ({period.code})"
    assert labels[L.LABEL_UNIT].value == plan.unit("TTRA").name
    assert labels["Hạn nộp"].value == period.deadline.strftime("%d/%m/%Y")
    for label in (L.LABEL_REPORTER, L.LABEL_PHONE):
        cell = labels[label]
        assert cell.value is None
        assert cell.protection.locked is False
        assert cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
        assert cell.number_format == "@"  # phone numbers keep the leading 0
    texts = [ws.cell(row=r, column=1).value for r in range(1, ws.max_row + 1)]
    for line in L.INSTRUCTIONS:
        assert line in texts
    assert ws.protection.sheet is True


def test_locking_and_protection(templates):
    wb = load_workbook(templates["VP"])
    assert wb.security.lockStructure is True
    assert wb.security.workbookPassword  # stored as a hash
    ws = wb[L.PROGRESS_SHEET]
    assert ws.protection.sheet is True
    assert ws.protection.password  # hash of PROTECTION_PASSWORD
    assert PROTECTION_PASSWORD == "ddci"
    header_row, cols = find_header_row(ws)
    for r in range(header_row + 1, ws.max_row + 1):
        for name in L.PREFILLED_COLUMNS:
            cell = ws.cell(row=r, column=cols[name])
            assert cell.protection.locked is True
            assert cell.font.name == "Times New Roman" and cell.font.size == 12
            assert cell.alignment.wrap_text
        for name in L.INPUT_COLUMNS:
            cell = ws.cell(row=r, column=cols[name])
            assert cell.protection.locked is False, (r, name)
            assert cell.fill.fgColor.rgb == INPUT_FILL.fgColor.rgb
    assert ws.cell(row=header_row, column=1).protection.locked is True
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert wb[L.INFO_SHEET].protection.sheet is True


def _validations(ws) -> dict[str, object]:
    _header_row, cols = find_header_row(ws)
    letters = {name: get_column_letter(j) for name, j in cols.items()}
    out = {}
    for dv in ws.data_validations.dataValidation:
        for name, letter in letters.items():
            if str(dv.sqref).startswith(letter):
                out[name] = dv
    return out


def test_validations(plan, templates):
    wb = load_workbook(templates["VP"])
    ws = wb[L.PROGRESS_SHEET]
    header_row, _ = find_header_row(ws)
    last = header_row + len(L.template_rows(plan, "VP"))
    dvs = _validations(ws)
    status = dvs[L.COL_STATUS]
    assert status.type == "list"
    assert status.formula1.strip('"').split(",") == list(L.STATUSES)
    assert status.showInputMessage and status.prompt
    assert str(status.sqref) == f"D{header_row + 1}:D{last}"
    percent = dvs[L.COL_PERCENT]
    assert (percent.type, percent.operator, percent.formula1, percent.formula2) == (
        "decimal",
        "between",
        "0",
        "100",
    )
    assert percent.prompt == "Nhập số từ 0 đến 100, không gõ dấu %"
    done = dvs[L.COL_DONE_DATE]
    assert done.type == "date" and done.showInputMessage and "ngày/tháng/năm" in done.prompt
    for name in (L.COL_RESULT, L.COL_DIFFICULTY, L.COL_PROPOSAL):
        assert dvs[name].prompt


def test_print_setup(templates):
    wb = load_workbook(templates["VP"])
    ws = wb[L.PROGRESS_SHEET]
    header_row, _ = find_header_row(ws)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == f"${header_row}:${header_row}"


def test_calamine_reads_every_sheet(plan, templates):
    wb = CalamineWorkbook.from_path(str(templates["QLDD"]))
    visibility = {s.name: s.visible for s in wb.sheets_metadata}
    assert visibility == {
        L.INFO_SHEET: SheetVisibleEnum.Visible,
        L.PROGRESS_SHEET: SheetVisibleEnum.Visible,
        L.IDENTITY_SHEET: SheetVisibleEnum.VeryHidden,
    }
    identity = wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python()
    assert identity[1][4] == L.fingerprint(_triples(plan, "QLDD"))
    progress = wb.get_sheet_by_name(L.PROGRESS_SHEET).to_python()
    assert L.COL_STATUS in [row[3] for row in progress[:10]]


def test_text_that_looks_like_a_formula_stays_text(plan, period, tmp_path):
    task = plan.tasks[1]
    evil = dataclasses.replace(task, text='=HYPERLINK("http://x","bấm")')
    odd_plan = dataclasses.replace(plan, tasks=(plan.tasks[0], evil, *plan.tasks[2:]))
    path = write_unit_template(odd_plan, "VP", period, tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in zf.read(name), name
    ws = load_workbook(path)[L.PROGRESS_SHEET]
    assert evil.text in [c.value for c in ws["B"]]


def test_unknown_unit(plan, period, tmp_path):
    with pytest.raises(DdciError, match="XYZ"):
        write_unit_template(plan, "XYZ", period, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_shared_template(plan, shared):
    wb = load_workbook(shared)
    codes = list(plan.reporting_unit_codes)
    assert wb.sheetnames == [L.INFO_SHEET, *codes, L.IDENTITY_SHEET]
    assert wb.security.lockStructure is True
    ident = wb[L.IDENTITY_SHEET]
    assert ident.sheet_state == "veryHidden"
    rows = [[c.value for c in row] for row in ident.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == codes
    for sheet, unit, period_code, version, fp, encoded in rows:
        assert (unit, period_code, version) == (sheet, PERIOD, L.TEMPLATE_VERSION)
        assert fp == L.fingerprint(_triples(plan, unit))
        assert encoded == L.encode_rows(_triples(plan, unit))
    for code in codes:
        ws = wb[code]
        header_row, _cols = find_header_row(ws)
        assert tuple(c.value for c in ws[header_row][: len(L.PROGRESS_COLUMNS)]) == L.PROGRESS_COLUMNS
        above = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=2) for r in range(1, header_row)}
        assert above[L.LABEL_UNIT].value == plan.unit(code).name
        for label in (L.LABEL_REPORTER, L.LABEL_PHONE):
            assert above[label].protection.locked is False
        assert ws.protection.sheet is True
        assert set(_validations(ws)) >= {L.COL_STATUS, L.COL_PERCENT, L.COL_DONE_DATE}
        n = len(L.template_rows(plan, code))
        assert [ws.cell(row=header_row + i, column=1).value for i in range(1, n + 1)] == [
            r.code for r in L.template_rows(plan, code)
        ]
    info_texts = [c.value for c in wb[L.INFO_SHEET]["A"] if c.value]
    assert any("VPDKDD" in t for t in info_texts)


def test_shared_template_direct_call(plan, period, tmp_path):
    path = write_shared_template(plan, period, tmp_path / "chung.xlsx")
    visibility = {s.name: s.visible for s in CalamineWorkbook.from_path(str(path)).sheets_metadata}
    assert visibility[L.IDENTITY_SHEET] == SheetVisibleEnum.VeryHidden


# --- LibreOffice round trip --------------------------------------------------------------------------------


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_round_trip(plan, period, templates, tmp_path):
    answers = demo_answers(plan, "VP", period, seed=7)
    filled = fill_submission(
        templates["VP"], tmp_path / "in" / templates["VP"].name, answers, ("Lê Văn Bình", "0205 3812 345")
    )
    saved = libreoffice_convert(filled, tmp_path / "out")

    wb = CalamineWorkbook.from_path(str(saved))
    visibility = {s.name: s.visible for s in wb.sheets_metadata}
    assert visibility[L.INFO_SHEET] == SheetVisibleEnum.Visible
    assert visibility[L.IDENTITY_SHEET] in (SheetVisibleEnum.Hidden, SheetVisibleEnum.VeryHidden)
    identity = wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python()
    triples = _triples(plan, "VP")
    assert tuple(identity[0]) == L.IDENTITY_COLUMNS
    assert identity[1][:5] == [L.PROGRESS_SHEET, "VP", PERIOD, L.TEMPLATE_VERSION, L.fingerprint(triples)]
    assert identity[1][5] == L.encode_rows(triples)

    grid = wb.get_sheet_by_name(L.PROGRESS_SHEET).to_python()
    header_row = next(i for i, row in enumerate(grid) if tuple(row[: len(L.PROGRESS_COLUMNS)]) == L.PROGRESS_COLUMNS)
    col = {name: j for j, name in enumerate(L.PROGRESS_COLUMNS)}
    body = grid[header_row + 1 : header_row + 1 + len(triples)]
    assert [(r[0], r[1], r[2]) for r in body] == triples
    for row in body:
        answer = answers[row[0]]
        assert row[col[L.COL_STATUS]] == answer["status"]
        assert isinstance(row[col[L.COL_PERCENT]], float) and row[col[L.COL_PERCENT]] == answer["percent"]
        assert row[col[L.COL_RESULT]] == answer["result"]
        assert row[col[L.COL_DIFFICULTY]] == answer["difficulty"]
        done = row[col[L.COL_DONE_DATE]]
        if answer["done_date"] is None:
            assert done == ""
        else:
            assert isinstance(done, dt.date) and done == answer["done_date"]
    info = {r[0]: r[1] for r in wb.get_sheet_by_name(L.INFO_SHEET).to_python() if r and r[0]}
    assert info[L.LABEL_REPORTER] == "Lê Văn Bình"
    assert info[L.LABEL_PHONE] == "0205 3812 345"

    # What LibreOffice keeps: validations, sheet protection, print titles, unlocked cells. What it
    # drops is reported (not asserted, so a newer LibreOffice that keeps more does not fail the test).
    book = load_workbook(saved)
    ws = book[L.PROGRESS_SHEET]
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal", "date"} <= kinds
    status = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert set(L.STATUSES) <= set(status.formula1.strip('"').split(","))
    assert ws.protection.sheet is True
    assert ws.print_title_rows
    assert ws.cell(row=header_row + 2, column=col[L.COL_STATUS] + 1).protection.locked is False
    assert ws.cell(row=header_row + 2, column=1).protection.locked is True
    report = {
        "identity sheet state": book[L.IDENTITY_SHEET].sheet_state,
        "workbook structure lock": bool(book.security and book.security.lockStructure),
        "freeze panes": ws.freeze_panes,
        "input messages": all(dv.prompt for dv in ws.data_validations.dataValidation),
        "page": (int(ws.page_setup.paperSize), ws.page_setup.orientation),
    }
    print("LibreOffice round trip:", report)


def test_fill_leaves_template_untouched(plan, period, templates, tmp_path):
    before = templates["VP"].read_bytes()
    fill_submission(templates["VP"], tmp_path / "f.xlsx", demo_answers(plan, "VP", period, 1), ("A", "0"))
    assert templates["VP"].read_bytes() == before
    assert re.fullmatch(r"\S+\.xlsx", (tmp_path / "f.xlsx").name)

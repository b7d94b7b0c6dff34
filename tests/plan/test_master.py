"""The master workbook: layout, round trip, and one clear message per bad input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.support.master_fixtures import make_master
from xl_addin.cli import main
from xl_addin.core.errors import MasterDataError, WorkspaceError
from xl_addin.plan import schema as S
from xl_addin.plan.reader import read_master
from xl_addin.plan.seed import seed_plan


def test_round_trip_equals_seed(tmp_path: Path) -> None:
    path = make_master(tmp_path / "master.xlsx")
    assert read_master(path) == seed_plan()


def test_layout_tables_headers_validation(tmp_path: Path) -> None:
    wb = load_workbook(make_master(tmp_path / "master.xlsx"))
    tables = {name: ws for ws in wb.worksheets for name in ws.tables}
    assert {"CauHinh", "DonVi", "ChiSo", "NhiemVu", "KyBaoCao", "TomTat"} <= set(tables)
    assert wb.sheetnames[0] == S.SHEET_DASHBOARD
    chiso = tables["ChiSo"]
    headers = [c.value for c in next(chiso.iter_rows(min_row=1, max_row=1))]
    assert headers[:4] == ["Mã", "Chỉ số", "Lãnh đạo chủ trì", "Chức vụ lãnh đạo"]
    assert "Hạn chế" in headers
    for year in (2022, 2023):
        assert {f"Điểm {year}", f"Hạng {year}", f"Số đơn vị {year}"} <= set(headers)
    assert headers[-2:] == ["Nhóm", "Đánh giá chung"]
    assert chiso.freeze_panes == "A2"
    assert int(chiso.page_setup.paperSize) == 9  # A4
    prompts = [dv.prompt for dv in chiso.data_validations.dataValidation if dv.prompt]
    assert any("7,63" in p for p in prompts)
    assert chiso.column_dimensions["B"].width >= 30
    periods = tables["KyBaoCao"]
    assert periods.max_row == 1 + 19


def test_seed_content_in_master(tmp_path: Path) -> None:
    plan = read_master(make_master(tmp_path / "master.xlsx"))
    assert len(plan.indicators) == 8 and len(plan.tasks) == 18
    assert plan.indicator("4").leader == "Nguyễn Ngọc Thiều"
    assert plan.indicator("7").leader == "Nguyễn Ngọc Thiều"  # the seed's "Thiệu" typo is not copied
    assert plan.agency.abbreviation == "STNMT"
    assert plan.agency.recipients_plan[-1] == "Văn phòng Sở (theo dõi, đôn đốc)"
    assert {p.code for p in plan.periods} >= {"2024-01", "2024-12", "2024-Q4", "2024-H2", "2024"}


def test_office_paragraphs_in_master(tmp_path: Path) -> None:
    """NoiDungBoSung: the seed's own mục IV paragraphs, in order; a master without the table has none."""
    from xl_addin.core.contracts import ReportKind

    wb = load_workbook(make_master(tmp_path / "master.xlsx"))
    ws = next(w for w in wb.worksheets if S.TABLE_PARAGRAPHS in w.tables)
    assert [c.value for c in ws[1]] == ["Văn bản", "Mục", "Thứ tự", "Nội dung"]
    plan = read_master(tmp_path / "master.xlsx")
    texts = plan.office_text(ReportKind.PLAN)
    assert list(texts) == ["I", "II", "III", "IV"] and not texts["I"]
    assert [t[:40] for t in texts["IV"]] == [
        "- Giao Văn phòng Đăng ký đất đai thực hi",
        "- Giao Chi cục Bảo vệ môi trường, Phòng ",
    ]
    assert plan.office_text(ReportKind.REPORT) == {"I": [], "II": [], "III": [], "IV": [], "V": []}
    assert read_master(make_master(tmp_path / "old.xlsx", "no_paragraph_table")).paragraphs == ()


def test_score_typed_as_text_with_comma_is_read(tmp_path: Path) -> None:
    plan = read_master(make_master(tmp_path / "m.xlsx", "score_as_text_comma"))
    assert plan.indicators[0].result(2023).score == pytest.approx(7.63)


@pytest.mark.parametrize(
    ("case", "sheet", "cell", "words"),
    [
        ("missing_table", "Nhiệm vụ", "", "NhiemVu"),
        ("renamed_column", "Chỉ số", "A1", "Chỉ số"),
        ("score_not_a_number", "Chỉ số", "I3", "không phải là số"),
        ("rank_above_units", "Chỉ số", "J4", "lớn hơn số đơn vị"),
        ("duplicate_indicator", "Chỉ số", "A3", "bị trùng"),
        ("paragraph_wrong_section", "Nội dung bổ sung", "B2", "Kế hoạch không có mục “V”"),
        ("paragraph_unknown_document", "Nội dung bổ sung", "A3", "“Công văn” không hợp lệ"),
    ],
)
def test_bad_master_names_sheet_cell_fix(tmp_path: Path, case: str, sheet: str, cell: str, words: str) -> None:
    path = make_master(tmp_path / "m.xlsx", case)
    with pytest.raises(MasterDataError) as info:
        read_master(path)
    problems = info.value.problems
    # A duplicated code also orphans the tasks of the overwritten indicator; those follow the first message.
    assert len(problems) == 1 or case == "duplicate_indicator", problems
    assert (problems[0].sheet, problems[0].cell) == (sheet, cell)
    assert words in problems[0].message


@pytest.mark.parametrize(
    "case", ["missing_table", "renamed_column", "score_not_a_number", "rank_above_units", "duplicate_indicator"]
)
def test_cli_bad_master_exit_1_no_traceback(workspace: Path, case: str, capsys) -> None:
    make_master(workspace / "master.xlsx", case)
    assert main(["changes", str(workspace)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Lỗi:") and "Traceback" not in err


def test_unreadable_master_exit_3(workspace: Path, capsys) -> None:
    (workspace / "master.xlsx").write_bytes(b"not a zip")
    assert main(["changes", str(workspace)]) == 3
    assert "Không đọc được bảng tính chính" in capsys.readouterr().err


def test_missing_workspace_exit_3(tmp_path: Path, capsys) -> None:
    assert main(["changes", str(tmp_path / "nowhere")]) == 3
    assert "ddci init" in capsys.readouterr().err


def test_read_master_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError):
        read_master(tmp_path / "none.xlsx")


@pytest.mark.libreoffice
def test_master_written_by_libreoffice_reads_back(tmp_path: Path) -> None:
    from tests.support.libreoffice import libreoffice_convert

    src = make_master(tmp_path / "src" / "master.xlsx")
    resaved = libreoffice_convert(src, tmp_path / "lo", "xlsx:Calc MS Excel 2007 XML")
    assert resaved.is_file()
    shutil.copy(resaved, tmp_path / "m2.xlsx")
    assert read_master(tmp_path / "m2.xlsx") == seed_plan()


def test_default_master_in_workbooks_is_current() -> None:
    shipped = Path(__file__).resolve().parents[2] / "workbooks" / "master.xlsx"
    assert read_master(shipped) == seed_plan(), "regenerate: python -m xl_addin.plan.writer workbooks/master.xlsx"

"""Quarter, 6-month and year Báo cáo from the archived months, on a real workspace.

One workspace for the module (``tests/support/history_fixtures.py``): the demo's March
consolidated (the quarter report is written then), then an April filled from new templates
and consolidated. The 6-month report's text is a golden file; refresh every golden with
``python -m tests.documents.test_reports`` and read the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.docs_samples import docx_lines, golden
from tests.support.history_fixtures import add_april, march_workspace
from xl_addin.actions import make_report
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The documents' text: ``q1`` right after March, ``h1`` and ``year`` after April too."""
    root = march_workspace(tmp_path_factory.mktemp("history") / "ws")
    out: dict[str, list[str]] = {"q1": docx_lines(make_report(FilePort(root), "bao-cao", "2024-Q1").output)}
    add_april(root)
    # As the clerk types it: the 6-month report through the CLI.
    assert main(["report", str(root), "--kind", "bao-cao", "--period", "2024-H1"]) == 0
    out["h1"] = docx_lines(root / "bao_cao" / "Bao_cao_ket_qua_DDCI_6_thang_dau_nam_2024.docx")
    for key, code in (("year", "2024"), ("april", "2024-04")):
        out[key] = docx_lines(make_report(FilePort(root), "bao-cao", code).output)
    return out


def _text(lines: list[str]) -> str:
    return "\n".join(lines)


def test_quarter_reports_the_units_that_sent_march(history: dict[str, list[str]]) -> None:
    text = _text(history["q1"])
    assert "năng lực cạnh tranh (DDCI) quý I năm 2024" in text
    assert "- Tháng 1 và tháng 2 năm 2024: chưa có số liệu tổng hợp." in text
    assert (
        "- Tháng 3 năm 2024: có 7/8 phòng, đơn vị gửi báo cáo (nộp muộn: Phòng Quản lý đất đai); có lỗi, chưa tổng "
        "hợp được: Phòng Quản lý Tài nguyên nước và Khoáng sản; chưa nộp: Trung tâm Quan trắc tài nguyên và môi "
        "trường." in text
    )
    assert "0/8" not in text and "chưa có báo cáo" not in text
    assert "03 nhiệm vụ hoàn thành, 14 nhiệm vụ đang triển khai, 01 nhiệm vụ chưa triển khai" in text
    assert "Các nhiệm vụ hoàn thành trong kỳ:" in text
    assert "qua các tháng" not in text  # one month with data: no trail to show


def test_six_month_report_golden(history: dict[str, list[str]]) -> None:
    assert history["h1"] == golden("bao_cao_2024_H1.txt")


def test_six_month_report_names_both_months_and_the_progress_between(history: dict[str, list[str]]) -> None:
    text = _text(history["h1"])
    assert "- Tháng 3 năm 2024: có 7/8 phòng, đơn vị gửi báo cáo" in text
    assert "- Tháng 4 năm 2024: có 8/8 phòng, đơn vị gửi báo cáo (nộp muộn: Văn phòng Sở)." in text
    assert "- Tháng 5 và tháng 6 năm 2024: chưa có số liệu tổng hợp." in text
    trail = next(line for line in history["h1"] if line.startswith("- 2.3. "))
    assert trail.endswith(": 50% (tháng 3) → 75% (tháng 4).")
    done = next(line for line in history["h1"] if line.startswith("- 4.1. "))
    assert done.endswith("hoàn thành ngày 31/03/2024 (báo cáo tháng 4 năm 2024).")
    assert "(theo báo cáo gần nhất của các phòng, đơn vị, đến tháng 4 năm 2024)" in text
    assert "chưa gửi báo cáo đúng hạn: Trung tâm Quan trắc tài nguyên và môi trường (tháng 3)." in text


def test_year_report_says_what_is_done_and_carried_over(history: dict[str, list[str]]) -> None:
    text = _text(history["year"])
    assert "- Từ tháng 5 đến tháng 12 năm 2024: chưa có số liệu tổng hợp." in text
    assert (
        "Kết quả thực hiện Kế hoạch năm 2024: hoàn thành 05/18 nhiệm vụ, giải pháp; 13 nhiệm vụ chưa hoàn thành "
        "được chuyển tiếp thực hiện trong năm 2025 (Mục IV)." in text
    )
    assert "Kết quả đánh giá chỉ số DDCI năm 2024: chưa được công bố" in text


def test_month_report_is_unchanged_by_the_history(history: dict[str, list[str]]) -> None:
    """A month is still read from the inbox, with the monthly wording."""
    text = _text(history["april"])
    assert "báo cáo kết quả thực hiện tháng 4 năm 2024; có 8/8 phòng, đơn vị gửi báo cáo (nộp muộn: Văn phòng Sở)." in (
        text
    )
    assert "hằng tháng trong" not in text


def test_period_report_without_an_archive_says_there_is_no_data(tmp_path: Path, capsys) -> None:
    from xl_addin.actions import init_workspace

    init_workspace(tmp_path / "ws")
    assert main(["report", str(tmp_path / "ws"), "--kind", "bao-cao", "--period", "2024-Q2"]) == 0
    out = next((tmp_path / "ws" / "bao_cao").glob("*quy_II*.docx"))
    text = _text(docx_lines(out))
    assert "- Từ tháng 4 đến tháng 6 năm 2024: chưa có số liệu tổng hợp." in text
    assert "trong đó 18 nhiệm vụ chưa có báo cáo." in text and "/8 phòng" not in text
    capsys.readouterr()


def _refresh(golden_dir: Path) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = add_april(march_workspace(Path(tmp) / "ws"))
        out = make_report(FilePort(root), "bao-cao", "2024-H1").output
        (golden_dir / "bao_cao_2024_H1.txt").write_text("\n".join(docx_lines(out)) + "\n", encoding="utf-8")
        shutil.rmtree(root)

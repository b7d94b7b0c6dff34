"""Every button, end to end, against the file port on a demo workspace (no Excel needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xl_addin import buttons
from xl_addin.excel.ports import FilePort

HEAVY = ("pandas", "docx", "docxtpl", "openpyxl", "xlwings", "matplotlib", "numpy")


class RecordingUI:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.opened: list[Path] = []
        self.finished = 0

    def message(self, text: str) -> None:
        self.messages.append(text)

    def open(self, path: Path) -> None:
        self.opened.append(Path(path))

    def done(self) -> None:
        self.finished += 1


@pytest.mark.parametrize(
    ("name", "opened_suffix", "words"),
    [
        ("tao_bieu_mau", "", "biểu mẫu"),
        ("gui_bieu_mau", "", "Đã tạo 8 thư nháp gửi biểu mẫu"),
        ("kiem_tra", ".xlsx", "lỗi"),
        ("tong_hop", ".xlsx", "tổng hợp"),
        ("bien_dong_chi_so", ".xlsx", "phát huy"),
        ("xuat_ke_hoach", ".docx", "Đã tạo văn bản"),
        ("xuat_bao_cao", ".docx", "Đã tạo văn bản"),
        ("nam_moi", ".xlsx", "Đã tạo thư mục làm việc cho Kế hoạch năm 2025"),
        ("mo_thu_muc", "", "thư mục"),
        ("chan_doan", None, "CHẨN ĐOÁN"),
    ],
)
def test_button_runs_against_file_port(demo_workspace: Path, name: str, opened_suffix: str | None, words: str) -> None:
    root = demo_workspace  # a fresh copy: each button starts from the same demo
    ui = RecordingUI()
    text = getattr(buttons, name)(port=FilePort(root), ui=ui)
    assert ui.messages == [text] and ui.finished == 1
    assert words in text, text
    assert "Traceback" not in text
    if opened_suffix is None:
        assert ui.opened == []
    else:
        assert len(ui.opened) == 1 and ui.opened[0].exists()
        assert ui.opened[0].suffix == opened_suffix


def test_remind_button_after_validate(demo_workspace: Path) -> None:
    root = demo_workspace
    buttons.kiem_tra(port=FilePort(root), ui=RecordingUI())
    ui = RecordingUI()
    text = buttons.nhac_nop(port=FilePort(root), ui=ui)
    assert "Đã tạo 3 thư nháp nhắc nộp, trả lại" in text, text
    assert "TNNKS (có lỗi)" in text and "QLDD (nộp muộn)" in text and "TTQT (chưa nộp)" in text
    assert ui.opened == [root / "gui_di" / "2024-03" / ui.opened[0].name] and ui.opened[0].is_dir()
    again = buttons.nhac_nop(port=FilePort(root), ui=RecordingUI())
    assert "không ghi đè" in again and "Traceback" not in again


def test_button_error_is_a_message_and_a_log(tmp_path: Path) -> None:
    ui = RecordingUI()
    (tmp_path / "ws").mkdir()
    text = buttons.kiem_tra(port=FilePort(tmp_path / "ws"), ui=ui)
    assert "master.xlsx" in text and "Traceback" not in text
    assert ui.messages == [text] and ui.opened == []


def test_unexpected_error_logs_traceback(demo_workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(port):
        raise RuntimeError("hỏng")

    ui = RecordingUI()
    text = buttons._run(boom, FilePort(demo_workspace), ui)
    assert "lỗi không mong đợi" in text.lower()
    logs = sorted((demo_workspace / ".ddci" / "logs").glob("loi-*.log"))
    assert logs and "RuntimeError" in logs[-1].read_text(encoding="utf-8")


def test_importing_buttons_loads_nothing_heavy() -> None:
    code = f"import sys, xl_addin.buttons; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_workspace_of_rejects_web_paths_and_other_books() -> None:
    from xl_addin.core.errors import WorkspaceError
    from xl_addin.excel.xlwings_port import workspace_of

    with pytest.raises(WorkspaceError, match="OneDrive"):
        workspace_of("https://contoso.sharepoint.com/sites/x/master.xlsx")
    with pytest.raises(WorkspaceError, match=r"master\.xlsx"):
        workspace_of("/tmp/Book1.xlsx")
    assert workspace_of("/tmp/ws/master.xlsx").root == Path("/tmp/ws")


class FakeRange:
    def __init__(self, values, row=1, column=1):
        self._values, self.row, self.column = values, row, column

    def options(self, **_options):
        return self

    @property
    def value(self):
        return self._values


def test_xlwings_port_reads_tables_like_the_file(tmp_path: Path) -> None:
    """The xlwings port turns ListObjects into the same Plan as the file port (fake xlwings objects)."""
    import python_calamine as pc

    from xl_addin.actions import init_workspace
    from xl_addin.excel.xlwings_port import XlwingsPort
    from xl_addin.plan.reader import plan_from_tables

    root = tmp_path / "ws"
    init_workspace(root)
    wb = pc.CalamineWorkbook.from_path(str(root / "master.xlsx"), load_tables=True)

    class FakeTable:
        def __init__(self, t):
            self.name = t.name
            rows = [["" if v == "" else v for v in r] for r in t.to_python()]
            self.header_row_range = FakeRange([list(t.columns)], row=t.start[0], column=t.start[1] + 1)
            self.data_body_range = FakeRange(rows)

    sheets = {}
    for name in wb.table_names:
        t = wb.get_table_by_name(name)
        sheets.setdefault(t.sheet, []).append(FakeTable(t))

    class FakeSheet:
        def __init__(self, name, tables):
            self.name, self.tables = name, tables

    class FakeBook:
        fullname = str(root / "master.xlsx")

    book = FakeBook()
    book.sheets = [FakeSheet(n, ts) for n, ts in sheets.items()]

    port = XlwingsPort(book)
    from xl_addin.plan.reader import read_master

    assert plan_from_tables(port.tables()) == read_master(root / "master.xlsx")


def test_file_port_summary_never_loses_user_content(tmp_path: Path) -> None:
    """The dashboard summary is written to disk only when openpyxl would not drop anything."""
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.chart import BarChart, Reference

    from xl_addin.actions import init_workspace

    root = tmp_path / "ws"
    init_workspace(root)
    port = FilePort(root)
    assert port.write_summary({"Nộp muộn": "3"}) is True
    (root / "~$master.xlsx").write_bytes(b"lock")  # Excel has it open
    assert port.write_summary({"Nộp muộn": "4"}) is False
    (root / "~$master.xlsx").unlink()
    wb = load_workbook(root / "master.xlsx")
    ws = wb["Chỉ số"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=6, min_row=1, max_row=9), titles_from_data=True)
    ws.add_chart(chart, "A20")  # a clerk's own chart
    wb.save(root / "master.xlsx")
    before = (root / "master.xlsx").read_bytes()
    assert port.write_summary({"Nộp muộn": "5"}) is False
    assert (root / "master.xlsx").read_bytes() == before
    with zipfile.ZipFile(root / "master.xlsx") as zf:
        assert any(n.startswith("xl/charts/") for n in zf.namelist())

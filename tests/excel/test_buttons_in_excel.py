"""Every ribbon button clicked in a faithful stand-in for Excel + xlwings, on the happy path and on every
failure of issue #12: each click ends in a Vietnamese message, never silence, a Debug dialog or a traceback."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.excel.conftest import MakeExcel, ribbon_buttons
from tests.support.fake_excel import FakeExcel, Seen, vba_message

BUTTONS = ribbon_buttons()
FUNCS = [func for _, func, _ in BUTTONS]
ANY_BOOK = {func for _, func, any_book in BUTTONS if any_book}
VIETNAMESE = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýĐ")
#: What each known button opens after success: "book" (through Excel), "shell" (folder or document), None.
OPENS = {
    "tao_bieu_mau": ("shell", ""),
    "kiem_tra": ("book", ".xlsx"),
    "tong_hop": ("book", ".xlsx"),
    "bien_dong_chi_so": ("book", ".xlsx"),
    "xuat_ke_hoach": ("shell", ".docx"),
    "xuat_bao_cao": ("shell", ".docx"),
    "mo_thu_muc": ("shell", ""),
    "chan_doan": (None, ""),
}


def test_the_ribbon_has_the_eight_buttons_of_the_issue() -> None:
    assert set(OPENS) <= set(FUNCS), FUNCS
    assert {"chan_doan"} == ANY_BOOK


def _vietnamese(text: str) -> bool:
    return bool(VIETNAMESE & set(text.lower())) and unicodedata.is_normalized("NFC", text)


def _assert_answered(seen: list[Seen]) -> Seen:
    """At least one message box, the clerk's one in Vietnamese, no traceback in it."""
    assert seen, "the click showed nothing"
    ours = [s for s in seen if s.channel != "xlwings-popup"]
    assert ours, f"only xlwings' English popup: {seen}"
    for box in ours:
        assert _vietnamese(box.text), box
        assert "Traceback" not in box.text, box
    return ours[-1]


def _click(excel: FakeExcel, func: str) -> list[Seen]:
    return excel.click(func, any_book=func in ANY_BOOK)


# ---------------------------------------------------------------------------------------------
# the happy path
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", FUNCS)
def test_button_happy_path(func: str, make_excel: MakeExcel, workspace_copy: Path) -> None:
    excel = make_excel()
    excel.open_master(workspace_copy / "master.xlsx")
    box = _assert_answered(_click(excel, func))
    assert box.channel == "alert" and box.title == "DDCI"
    assert "lỗi không mong đợi" not in box.text.lower(), box.text
    assert excel.exit_codes == [0]
    assert excel.status_bar is False, "the status bar is handed back to Excel"
    how, suffix = OPENS.get(func, (None, ""))
    if how == "book":
        assert len(excel.opened) == 1 and excel.opened[0].suffix == suffix and excel.shell_opened == []
        assert excel.active is not None
    elif how == "shell":
        assert len(excel.shell_opened) == 1 and excel.opened == []
        assert excel.shell_opened[0].exists() and excel.shell_opened[0].suffix == suffix
    elif func in OPENS:
        assert excel.opened == [] and excel.shell_opened == []


def test_validate_writes_the_dashboard_into_the_open_workbook(make_excel: MakeExcel, workspace_copy: Path) -> None:
    from xl_addin.plan import schema as S

    excel = make_excel()
    book = excel.open_master(workspace_copy / "master.xlsx")
    before = (workspace_copy / "master.xlsx").read_bytes()
    _click(excel, "kiem_tra")
    summary = next(t for sheet in book.sheets for t in sheet.tables if t.name == S.TABLE_SUMMARY)
    assert any(row[1] not in (None, "") for row in summary.body_values())
    assert (workspace_copy / "master.xlsx").read_bytes() == before, "the file on disk is Excel's to save"


def test_onedrive_workbook_is_mapped_to_the_synced_folder(
    make_excel: MakeExcel, workspace_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AutoSave on: Excel names the book by its web address; xlwings' own mapping finds the synced file."""
    onedrive = tmp_path / "OneDrive"
    onedrive.mkdir()
    workspace_copy.rename(onedrive / "DDCI")
    excel = make_excel()
    monkeypatch.setenv("OneDrive", str(onedrive))
    excel.open_master(onedrive / "DDCI" / "master.xlsx", as_url="https://d.docs.live.net/4f1c2a9e/DDCI/master.xlsx")
    box = _assert_answered(_click(excel, "kiem_tra"))
    assert box.channel == "alert" and "Kiểm tra báo cáo" in box.text
    assert excel.opened and excel.opened[0].is_relative_to(onedrive / "DDCI")


# ---------------------------------------------------------------------------------------------
# every failure, every button
# ---------------------------------------------------------------------------------------------


def _no_workbook(excel: FakeExcel, ws: Path) -> None:
    excel.active = None


def _protected_view(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.protected_view = True


def _unsaved(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.add_book("Book1")


def _other_book(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.add_book(str(ws / "bao_cao" / "Ghi chép.xlsx"))


def _name_with_equals(excel: FakeExcel, ws: Path) -> None:
    excel.add_book(str(ws / "ke=hoach.xlsx"))  # Book.caller() reads --wb=ke=hoach.xlsx as "ke"


def _caller_window_gone(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.caller_hwnd_dead = True


def _excel_unreachable(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.running = False


def _alert_fails(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.alert_fails = True
    excel.status_bar_fails = True


def _no_message_box_at_all(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.alert_fails = excel.messagebox_fails = True


def _onedrive_not_synced(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx", as_url="https://d.docs.live.net/4f1c2a9e/DDCI/master.xlsx")


def _sharepoint_unconfigured(excel: FakeExcel, ws: Path) -> None:
    url = "https://sotnmt.sharepoint.com/sites/VanPhong/Shared Documents/DDCI/master.xlsx"
    excel.open_master(ws / "master.xlsx", as_url=url)  # xlwings raises UnboundLocalError here


def _defender_asr(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    excel.asr_blocks_child_processes = True


def _python_uninstalled(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx")
    from xl_addin.excel.addin_conf import read_addin_conf, set_addin_conf

    conf = read_addin_conf(excel.addin) or {}
    conf["INTERPRETER_WIN"] = str(ws / "Python311" / "python.exe")
    moved = excel.addin.with_name("new.xlam")
    set_addin_conf(excel.addin, moved, conf)
    moved.replace(excel.addin)


def _headers_hidden(excel: FakeExcel, ws: Path) -> None:
    excel.open_master(ws / "master.xlsx", hide_headers="ChiSo")


FAILURES: dict[str, Callable[[FakeExcel, Path], None]] = {
    "no workbook": _no_workbook,
    "protected view": _protected_view,
    "unsaved Book1": _unsaved,
    "another workbook in front": _other_book,
    "workbook name with =": _name_with_equals,
    "Book.caller window gone": _caller_window_gone,
    "Excel unreachable": _excel_unreachable,
    "alert and status bar fail": _alert_fails,
    "no message box at all": _no_message_box_at_all,
    "OneDrive file not synced": _onedrive_not_synced,
    "SharePoint without settings": _sharepoint_unconfigured,
    "Defender ASR rule": _defender_asr,
    "Python uninstalled": _python_uninstalled,
    "header row hidden": _headers_hidden,
}


@pytest.mark.parametrize("func", FUNCS)
@pytest.mark.parametrize("failure", list(FAILURES))
def test_every_failure_shows_a_message(failure: str, func: str, make_excel: MakeExcel, demo_workspace: Path) -> None:
    excel = make_excel()
    FAILURES[failure](excel, demo_workspace)
    seen = _click(excel, func)
    box = _assert_answered(seen)
    if func in ANY_BOOK and failure not in ("Defender ASR rule", "Python uninstalled", "no message box at all"):
        assert "KẾT QUẢ CHẨN ĐOÁN" in box.text, f"Chẩn đoán must work whatever is in front: {seen}"


@pytest.mark.parametrize(
    ("failure", "const"),
    [
        ("no workbook", "MSG_NO_BOOK"),
        ("protected view", "MSG_PROTECTED_VIEW"),
        ("unsaved Book1", "MSG_UNSAVED"),
        ("Defender ASR rule", "MSG_BLOCKED"),
        ("Python uninstalled", "MSG_NO_PYTHON"),
    ],
)
def test_vba_guards_answer_before_python(failure: str, const: str, make_excel: MakeExcel, demo_workspace: Path) -> None:
    excel = make_excel()
    FAILURES[failure](excel, demo_workspace)
    seen = excel.click("kiem_tra")
    assert [s.channel for s in seen] == ["vba"]
    assert seen[0].text.startswith(vba_message(const))


@pytest.mark.parametrize(
    ("failure", "channel", "words"),
    [
        ("another workbook in front", "alert", "master.xlsx"),
        ("unsaved Book1", "vba", "chưa được lưu"),
        ("workbook name with =", "alert", "master.xlsx"),
        ("Book.caller window gone", "alert", "Không kết nối được"),
        ("Excel unreachable", "messagebox", "Không kết nối được"),
        ("alert and status bar fail", "messagebox", "Kiểm tra báo cáo"),
        ("OneDrive file not synced", "alert", "OneDrive"),
        ("SharePoint without settings", "alert", "OneDrive/SharePoint"),
        ("header row hidden", "alert", "ChiSo"),
    ],
)
def test_python_failures_reach_the_clerk(
    failure: str, channel: str, words: str, make_excel: MakeExcel, workspace_copy: Path
) -> None:
    excel = make_excel()
    FAILURES[failure](excel, workspace_copy)
    box = _assert_answered(excel.click("kiem_tra"))
    assert box.channel == channel and words in box.text, box
    assert excel.exit_codes in ([0], [])


def test_last_resort_is_xlwings_error_box_then_vba_message(make_excel: MakeExcel, demo_workspace: Path) -> None:
    excel = make_excel()
    _no_message_box_at_all(excel, demo_workspace)
    seen = excel.click("kiem_tra")
    assert [s.channel for s in seen] == ["xlwings-popup", "vba"]
    assert "Kiểm tra báo cáo" in seen[0].text and seen[1].text == vba_message("MSG_PYTHON_FAILED")


def test_chan_doan_with_no_workbook_lends_one_and_closes_it(make_excel: MakeExcel) -> None:
    excel = make_excel()
    seen = excel.click("chan_doan", any_book=True)
    box = _assert_answered(seen)
    assert box.channel == "alert" and "KẾT QUẢ CHẨN ĐOÁN" in box.text
    assert excel.active is None and all(b.closed for b in excel.books)


# ---------------------------------------------------------------------------------------------
# after the work: opening the result, unexpected errors, Rust panics
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("func", ["kiem_tra", "xuat_bao_cao", "mo_thu_muc"])
def test_result_that_cannot_be_opened_is_named(
    func: str, make_excel: MakeExcel, workspace_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    excel = make_excel()
    excel.open_master(workspace_copy / "master.xlsx")
    excel.open_fails = True

    def no_association(path: str) -> None:
        raise OSError(1155, "No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", no_association, raising=False)
    box = _assert_answered(excel.click(func))
    assert "lỗi không mong đợi" not in box.text.lower()
    assert "không tự mở được" in box.text.lower(), box.text
    assert str(workspace_copy) in box.text


class PanicException(BaseException):
    """What pyo3 raises for a Rust panic (python-calamine): not an Exception."""


PanicException.__module__ = "pyo3_runtime"


@pytest.mark.parametrize("error", [PanicException("called `Option::unwrap()` on a `None` value"), SystemExit(3)])
def test_panic_is_a_message_and_a_crash_log(
    error: BaseException, make_excel: MakeExcel, workspace_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import xl_addin.actions

    def explode(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(xl_addin.actions, "validate_submissions", explode)
    excel = make_excel()
    excel.open_master(workspace_copy / "master.xlsx")
    box = _assert_answered(excel.click("kiem_tra"))
    assert box.channel == "alert" and "lỗi không mong đợi" in box.text.lower()
    assert excel.exit_codes == [0]
    logs = sorted((workspace_copy / ".ddci" / "logs").glob("loi-*.log"))
    assert logs and type(error).__name__ in logs[-1].read_text(encoding="utf-8")


def test_library_warnings_go_to_the_run_log(
    make_excel: MakeExcel, workspace_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import warnings

    import xl_addin.actions

    real = xl_addin.actions.validate_submissions

    def noisy(*args: object, **kwargs: object) -> object:
        warnings.warn("Glyph 7897 missing from font", UserWarning, stacklevel=1)
        return real(*args, **kwargs)

    monkeypatch.setattr(xl_addin.actions, "validate_submissions", noisy)
    excel = make_excel()
    excel.open_master(workspace_copy / "master.xlsx")
    box = _assert_answered(excel.click("kiem_tra"))
    assert "Glyph" not in box.text
    assert "Glyph 7897" in (workspace_copy / ".ddci" / "logs" / "ddci.log").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# the Windows account: xlwings.conf and the user name
# ---------------------------------------------------------------------------------------------


def test_vietnamese_user_name_works_after_setup(make_excel: MakeExcel, workspace_copy: Path) -> None:
    excel = make_excel("Nguyễn Văn A")
    excel.open_master(workspace_copy / "master.xlsx")
    box = _assert_answered(excel.click("kiem_tra"))
    assert box.channel == "alert" and "Kiểm tra báo cáo" in box.text


def test_vietnamese_user_name_with_a_hand_copied_addin_gets_a_message(
    make_excel: MakeExcel, workspace_copy: Path
) -> None:
    """Issue #12's suspicion, as the stand-in models it: VBA's ANSI file functions miss the profile, so the
    config file is skipped and cmd cannot write xlwings' log under %TEMP%: a message, not a Debug dialog."""
    excel = make_excel("Nguyễn Văn A", setup=False)
    excel.open_master(workspace_copy / "master.xlsx")
    seen = excel.click("kiem_tra")
    assert [s.channel for s in seen] == ["vba"] and seen[0].text.startswith(vba_message("MSG_PATH"))


def test_blank_lines_in_the_user_conf_no_longer_matter(make_excel: MakeExcel, workspace_copy: Path) -> None:
    excel = make_excel()
    conf = excel.home / ".xlwings" / "xlwings.conf"
    conf.write_bytes(conf.read_bytes() + b"\r\n\r\n")
    excel.open_master(workspace_copy / "master.xlsx")
    box = _assert_answered(excel.click("kiem_tra"))
    assert box.channel == "alert" and "Kiểm tra báo cáo" in box.text


def test_broken_user_conf_with_a_hand_copied_addin_is_error_62_in_vietnamese(
    make_excel: MakeExcel, workspace_copy: Path
) -> None:
    import sys

    excel = make_excel(setup=False)
    conf = excel.home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True)
    conf.write_bytes(f'"INTERPRETER_WIN","{sys.executable}"\r\n\r\n'.encode())
    excel.open_master(workspace_copy / "master.xlsx")
    seen = excel.click("kiem_tra")
    assert [s.channel for s in seen] == ["vba"] and seen[0].text == vba_message("MSG_CONF")


def test_workbook_folder_stays_off_sys_path(
    make_excel: MakeExcel, workspace_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The add-in's sheet says ADD_WORKBOOK_TO_PYTHONPATH=false: xlwings' prepare_sys_path would otherwise resolve
    a OneDrive address before our code runs (an English traceback box) and let a stray module shadow a library."""
    monkeypatch.delenv("OneDrive", raising=False)
    excel = make_excel()
    _onedrive_not_synced(excel, workspace_copy)
    assert excel.get_config("ADD_WORKBOOK_TO_PYTHONPATH") == "false"
    seen = excel.click("kiem_tra")
    assert [s.channel for s in seen] == ["alert"] and "OneDrive" in seen[0].text

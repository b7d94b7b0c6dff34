"""``doctor`` checks and ``setup_excel``, run on Linux by passing paths and ``platform``."""

from __future__ import annotations

import dataclasses
import sys
import zipfile
from pathlib import Path

import pytest

from xl_addin.core.errors import DdciError
from xl_addin.excel.addin import ADDIN_FILENAME, CUSTOM_PROPS_PART, PROP_ADDIN_VERSION, custom_properties_xml
from xl_addin.excel.install import _env_form, setup_excel
from xl_addin.excel.xlwings_conf import CONF_KEY_WIN, read_xlwings_conf
from xl_addin.tools.doctor import (
    MARK_FAIL,
    MARK_NA,
    MARK_OK,
    Check,
    all_ok,
    check_addin_installed,
    check_cloud_path,
    check_xlwings_conf,
    format_checklist,
    run_checks,
)


def _by_name(checks: list[Check]) -> dict[str, Check]:
    return {c.name: c for c in checks}


def _make_workspace(root: Path, *, folders: tuple[str, ...] = ("nop", "bieu_mau", "bao_cao")) -> Path:
    root.mkdir(parents=True)
    (root / "master.xlsx").write_bytes(b"")
    for folder in folders:
        (root / folder).mkdir()
    return root


def _run(workspace: Path | None, tmp_path: Path, platform: str = "linux") -> list[Check]:
    return run_checks(workspace, home=tmp_path / "home", xlstart=tmp_path / "xlstart", platform=platform)


def _write_conf(home: Path, text: str) -> Path:
    conf = home / ".xlwings" / "xlwings.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_bytes(text.encode())
    return conf


# ---------------------------------------------------------------------------
# run_checks / format_checklist
# ---------------------------------------------------------------------------


def test_check_is_frozen() -> None:
    check = Check("a", True, "b", "c")
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.ok = False  # type: ignore[misc]


def test_missing_folders_are_reported_with_fixes(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "nop").mkdir()
    checks = _by_name(_run(ws, tmp_path))
    assert checks["Thư mục nop/"].ok is True
    for folder in ("bieu_mau", "bao_cao"):
        check = checks[f"Thư mục {folder}/"]
        assert check.ok is False
        assert folder in check.detail and folder in check.fix
    master = checks["Bảng tính chính master.xlsx"]
    assert master.ok is False and "ddci init" in master.fix
    assert checks["Quyền ghi vào thư mục làm việc"].ok is True


def test_complete_workspace_passes_its_checks(tmp_path: Path) -> None:
    ws = _make_workspace(tmp_path / "ws")
    checks = _by_name(_run(ws, tmp_path))
    for name in (
        "Thư mục làm việc",
        "Bảng tính chính master.xlsx",
        "Thư mục nop/",
        "Thư mục bieu_mau/",
        "Thư mục bao_cao/",
        "Quyền ghi vào thư mục làm việc",
        "Thư mục làm việc không nằm trên OneDrive/SharePoint",
    ):
        assert checks[name].ok is True, checks[name]
    assert not list(ws.glob(".ddci-doctor-*")), "the write probe is removed"


def test_missing_workspace_suggests_init(tmp_path: Path) -> None:
    checks = _by_name(_run(tmp_path / "nowhere", tmp_path))
    check = checks["Thư mục làm việc"]
    assert check.ok is False and "ddci init" in check.fix


def test_no_workspace_is_not_applicable(tmp_path: Path) -> None:
    checks = _by_name(_run(None, tmp_path))
    assert checks["Thư mục làm việc"].ok is None
    assert checks["Thư mục làm việc không nằm trên OneDrive/SharePoint"].ok is None


def test_onedrive_path_is_warned(tmp_path: Path) -> None:
    ws = _make_workspace(tmp_path / "OneDrive - Sở Kế hoạch" / "DDCI")
    check = _by_name(_run(ws, tmp_path))["Thư mục làm việc không nằm trên OneDrive/SharePoint"]
    assert check.ok is False
    assert "OneDrive" in check.detail
    assert "ổ máy" in check.fix


def test_sharepoint_url_is_warned() -> None:
    check = check_cloud_path(Path("https://congty.sharepoint.com/sites/ddci/master.xlsx"))
    assert check.ok is False and "địa chỉ web" in check.detail


def test_checklist_is_vietnamese_with_marks_and_fixes(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    checks = [*_run(ws, tmp_path), Check("Mục không áp dụng", None, "Chỉ áp dụng trên Windows.")]
    text = format_checklist(checks)
    assert text.startswith("KẾT QUẢ CHẨN ĐOÁN DDCI")
    assert MARK_OK in text and MARK_FAIL in text and MARK_NA in text
    assert "Cách sửa" in text and "Thư mục bieu_mau/" in text
    assert "cần sửa" in text
    assert not all_ok(checks)


def test_checks_print_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    format_checklist(_run(_make_workspace(tmp_path / "ws"), tmp_path, platform="win32"))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_core_checks_present(tmp_path: Path) -> None:
    names = [c.name for c in _run(None, tmp_path)]
    assert names[0] == "Phiên bản Python"
    for dist in ("openpyxl", "python-calamine", "pandas", "python-docx", "docxtpl", "xlwings"):
        assert f"Thư viện {dist}" in names
    assert "LibreOffice (chuyển văn bản sang PDF)" in names
    assert "Phông chữ văn bản (Times New Roman, đủ dấu tiếng Việt)" in names
    assert _by_name(_run(None, tmp_path))["Phiên bản Python"].ok is (sys.version_info >= (3, 11))


# ---------------------------------------------------------------------------
# xlwings.conf and the add-in in XLSTART
# ---------------------------------------------------------------------------


def test_conf_check_on_windows(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert check_xlwings_conf(home, "win32").ok is False  # no file yet
    _write_conf(home, '"CONDA PATH","C:\\conda"\r\n')
    missing_line = check_xlwings_conf(home, "win32")
    assert missing_line.ok is False and CONF_KEY_WIN in missing_line.detail
    _write_conf(home, f'"{CONF_KEY_WIN}","{tmp_path / "python.exe"}"\r\n')
    assert check_xlwings_conf(home, "win32").ok is False  # points to a file that does not exist
    _write_conf(home, f'"{CONF_KEY_WIN}","{sys.executable}"\r\n')
    ok = check_xlwings_conf(home, "win32")
    assert ok.ok is True, ok


def test_conf_check_not_applicable_off_windows(tmp_path: Path) -> None:
    assert check_xlwings_conf(tmp_path / "home", "linux").ok is None


def test_addin_check(tmp_path: Path) -> None:
    xlstart = tmp_path / "xlstart"
    assert check_addin_installed(xlstart, None, "linux").ok is None
    missing = check_addin_installed(xlstart, None, "win32")
    assert missing.ok is False and "setup-excel" in missing.fix
    xlstart.mkdir()
    with zipfile.ZipFile(xlstart / ADDIN_FILENAME, "w") as z:
        z.writestr(CUSTOM_PROPS_PART, custom_properties_xml({PROP_ADDIN_VERSION: "0.0.1"}))
    old = check_addin_installed(xlstart, None, "win32")
    assert old.ok is False and "0.0.1" in old.detail


# ---------------------------------------------------------------------------
# setup_excel
# ---------------------------------------------------------------------------


def test_setup_excel_refuses_outside_windows(tmp_path: Path) -> None:
    with pytest.raises(DdciError, match="Windows"):
        setup_excel(sys.executable, home=tmp_path, xlstart=tmp_path / "x", platform="linux")


def test_setup_excel_writes_addin_sheet_conf_and_copies_addin(tmp_path: Path) -> None:
    from xl_addin.excel.addin_conf import read_addin_conf
    from xl_addin.excel.xlwings_conf import RUNPYTHON_DEFAULTS

    home, xlstart = tmp_path / "home", tmp_path / "xlstart"
    conf = _write_conf(home, f'"CONDA PATH","C:\\tools\\conda"\r\n"{CONF_KEY_WIN}","C:\\old\\python.exe"\r\n')
    lines = setup_excel(sys.executable, home=home, xlstart=xlstart, platform="win32", env={})

    text = conf.read_bytes().decode()
    assert text.startswith('"CONDA PATH","C:\\tools\\conda"\r\n'), "unrelated lines are kept"
    assert text.count(CONF_KEY_WIN) == 1
    assert read_xlwings_conf(conf)[CONF_KEY_WIN] == sys.executable
    installed = xlstart / ADDIN_FILENAME
    sheet = read_addin_conf(installed)
    assert sheet is not None and set(sheet) == set(RUNPYTHON_DEFAULTS), "every key RunPython asks is on the sheet"
    assert sheet[CONF_KEY_WIN] == sys.executable
    assert sheet["CONDA PATH"] == "C:\\tools\\conda", "the IT staff's values are carried over"
    assert sheet["ADD_WORKBOOK_TO_PYTHONPATH"] == "false" and sheet["USE UDF SERVER"] == "False"
    assert sheet["TEMP DIR"] == "%TEMP%"
    assert any("Đã chép add-in" in line for line in lines)
    assert any("Đã ghi" in line for line in lines)
    checks = _by_name(run_checks(None, home=home, xlstart=xlstart, platform="win32"))
    assert checks["Cấu hình xlwings (Python cho Excel)"].ok is True
    assert "trang xlwings.conf" in checks["Cấu hình xlwings (Python cho Excel)"].detail
    assert checks["Tệp xlwings.conf đúng dạng xlwings đọc"].ok is True
    assert check_addin_installed(xlstart, home, "win32").ok is True

    again = setup_excel(sys.executable, home=home, xlstart=xlstart, platform="win32", env={})
    assert any("không cần sửa" in line for line in again)
    assert conf.read_bytes().decode() == text


def test_setup_excel_leaves_no_blank_line_xlwings_would_misread(tmp_path: Path) -> None:
    """Issue #12, defect 3: blank lines shift VBA's Input # pairs; INTERPRETER_WIN was never matched (error 62)."""
    from xl_addin.excel.xlwings_conf import vba_lookup, vba_read_pairs

    home = tmp_path / "home"
    conf = _write_conf(home, '"CONDA PATH","C:\\conda"\r\n\r\n\r\n"SHOW CONSOLE","False"\r\n\r\n')
    setup_excel(sys.executable, home=home, xlstart=tmp_path / "xlstart", platform="win32", env={})
    data = conf.read_bytes()
    assert b"\r\n\r\n" not in data and not data.startswith(b"\r\n")
    assert vba_lookup(data, CONF_KEY_WIN) == sys.executable
    assert ("SHOW CONSOLE", "False") in vba_read_pairs(data)
    assert conf.with_name("xlwings.conf.bak").read_bytes().count(b"\r\n\r\n") == 2, "the old file is kept"


def test_doctor_flags_lines_xlwings_would_misread(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _write_conf(home, f'"{CONF_KEY_WIN}","{sys.executable}"\r\n\r\n')
    check = _by_name(run_checks(None, home=home, xlstart=tmp_path / "x", platform="win32"))[
        "Tệp xlwings.conf đúng dạng xlwings đọc"
    ]
    assert check.ok is False and "dòng 2 trống" in check.detail and "lỗi 62" in check.detail
    assert "setup-excel" in check.fix
    _write_conf(home, '"ONEDRIVE_COMMERCIAL_WIN"\r\nINTERPRETER_WIN,C:\\py.exe\r\n')
    check = _by_name(run_checks(None, home=home, xlstart=tmp_path / "x", platform="linux"))[
        "Tệp xlwings.conf đúng dạng xlwings đọc"
    ]
    assert check.ok is False and "dòng 1" in check.detail and "dòng 2" in check.detail


def test_empty_interpreter_on_the_addin_sheet_is_flagged(tmp_path: Path) -> None:
    from xl_addin.excel.addin_conf import set_addin_conf

    home, xlstart = tmp_path / "home", tmp_path / "xlstart"
    setup_excel(sys.executable, home=home, xlstart=xlstart, platform="win32", env={})
    addin = xlstart / ADDIN_FILENAME
    set_addin_conf(addin, tmp_path / "new.xlam", {CONF_KEY_WIN: ""})
    (tmp_path / "new.xlam").replace(addin)
    check = check_xlwings_conf(home, "win32", xlstart)
    assert check.ok is False and "để trống" in check.detail


def test_setup_excel_dry_run_writes_nothing(tmp_path: Path) -> None:
    home, xlstart = tmp_path / "home", tmp_path / "xlstart"
    lines = setup_excel(sys.executable, dry_run=True, home=home, xlstart=xlstart, platform="win32", env={})
    assert len(lines) == 4 and all("Chạy thử" in line for line in lines)
    assert any(str(xlstart / ADDIN_FILENAME) in line and "ddci.xlam (phiên bản" in line for line in lines)
    assert not home.exists() and not xlstart.exists()


def test_setup_excel_dry_run_works_on_any_system(capsys: pytest.CaptureFixture[str]) -> None:
    from xl_addin.cli import main
    from xl_addin.excel.addin import default_addin_path

    assert main(["setup-excel", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert str(default_addin_path()) in out and "XLSTART" in out
    assert out.count("(Chạy thử, chưa ghi gì)") == 4


def test_setup_excel_reports_missing_addin_and_python(tmp_path: Path) -> None:
    with pytest.raises(DdciError, match="cài lại gói"):
        setup_excel(
            sys.executable,
            home=tmp_path,
            xlstart=tmp_path / "x",
            addin=tmp_path / "none.xlam",
            platform="win32",
            env={},
        )
    with pytest.raises(DdciError, match="Python"):
        missing = str(tmp_path / "python.exe")
        setup_excel(missing, home=tmp_path, xlstart=tmp_path / "x", platform="win32", env={})


def test_vietnamese_python_path_is_written_without_diacritics(tmp_path: Path) -> None:
    """VBA checks the interpreter with ANSI GetAttr: the 8.3 name (ASCII) when Windows has one."""
    from xl_addin.excel.install import ascii_path

    user = "C:\\Users\\Nguyễn Văn A"
    env = {"LOCALAPPDATA": user + "\\AppData\\Local", "USERPROFILE": user}
    exe = user + "\\AppData\\Local\\Programs\\Python\\Python311\\python.exe"
    assert ascii_path(exe, env, lambda p: "C:\\Users\\NGUYEN~1\\AppData\\Local\\PROGRA~1\\python.exe") == (
        "C:\\Users\\NGUYEN~1\\AppData\\Local\\PROGRA~1\\python.exe"
    )
    assert ascii_path(exe, env, lambda p: None) == "%LOCALAPPDATA%\\Programs\\Python\\Python311\\python.exe"


def test_non_ascii_user_folder_is_written_with_a_variable() -> None:
    user = "C:\\Users\\Nguyễn Văn A"
    env = {"LOCALAPPDATA": user + "\\AppData\\Local", "USERPROFILE": user}
    exe = "C:\\Users\\Nguyễn Văn A\\AppData\\Local\\Programs\\Python\\Python311\\python.exe"
    assert _env_form(exe, env) == "%LOCALAPPDATA%\\Programs\\Python\\Python311\\python.exe"
    assert _env_form("C:\\Python311\\python.exe", env) == "C:\\Python311\\python.exe"

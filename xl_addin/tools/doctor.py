"""``ddci doctor``: find what stops the Excel buttons, and say how to fix it.

Why this exists: the usual xlwings failures (wrong interpreter path, add-in and
Python package out of step, OneDrive paths) show up in Excel as a bare error
box. Each check here names the problem in Vietnamese and says how to fix it,
so the IT person and the clerk never need to read a traceback.

Nothing here prints; ``cli`` and ``buttons`` show the results. Every check that
touches the machine takes its paths as parameters so tests can run it on Linux.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import re
import sys
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xl_addin.excel.addin import (
    ADDIN_FILENAME,
    ADDIN_VERSION,
    PROP_ADDIN_VERSION,
    PROP_XLWINGS_VERSION,
    default_addin_path,
    read_addin_properties,
)
from xl_addin.excel.addin_conf import CONF_SHEET, read_addin_conf
from xl_addin.excel.xlwings_conf import (
    CONF_KEY_WIN,
    default_xlstart,
    expand_env,
    is_windows,
    misread_lines,
    read_xlwings_conf,
    xlwings_conf_path,
)
from xl_addin.files.workspace import MASTER_NAME, Workspace

MIN_PYTHON = (3, 11)
MARK_OK = "✔"
MARK_FAIL = "✘"
MARK_NA = "–"

#: (distribution, minimum version, needed on every machine). Mirrors pyproject.toml.
PACKAGES: tuple[tuple[str, str, bool], ...] = (
    ("openpyxl", "3.1", True),
    ("python-calamine", "0.3", True),
    ("pandas", "2.1", True),
    ("python-docx", "1.1", True),
    ("docxtpl", "0.18", True),
    ("xlwings", "0.30", False),  # only needed where Excel runs the buttons
)


@dataclass(frozen=True)
class Check:
    """One line of the checklist. ``ok`` is None when the check does not apply here."""

    name: str
    ok: bool | None
    detail: str
    fix: str = ""


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def _version_tuple(text: str) -> tuple[int, ...]:
    """Leading numeric parts of a version ("2.1.4rc1" -> (2, 1, 4)); no dependency on ``packaging``."""
    parts: list[int] = []
    for piece in text.split("."):
        digits = re.match(r"\d+", piece)
        if not digits:
            break
        parts.append(int(digits.group()))
    return tuple(parts)


def _installed_version(dist: str) -> str | None:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def _same_python(a: Path, b: Path) -> bool:
    """Same environment: python.exe and pythonw.exe of one install count as the same."""
    with contextlib.suppress(OSError):
        return a.resolve().parent == b.resolve().parent
    return a.parent == b.parent


# ---------------------------------------------------------------------------
# Individual checks
# ---------------------------------------------------------------------------


def check_python() -> Check:
    version = ".".join(str(n) for n in sys.version_info[:3])
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Check(
        "Phiên bản Python",
        ok,
        f"Python {version} tại {sys.executable}"
        + ("" if ok else f"; cần Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} trở lên."),
        "" if ok else 'Cài Python 3.11 trở lên từ python.org, rồi cài lại: pip install "xl_addin[excel]".',
    )


def check_packages(platform: str) -> list[Check]:
    checks: list[Check] = []
    for dist, minimum, everywhere in PACKAGES:
        name = f"Thư viện {dist}"
        found = _installed_version(dist)
        if found is None:
            if not everywhere and not is_windows(platform):
                checks.append(
                    Check(
                        name,
                        None,
                        "Chưa cài; không cần khi chỉ dùng lệnh ddci trên máy chủ, chỉ cần trên máy Windows có Excel.",
                    )
                )
                continue
            checks.append(
                Check(
                    name,
                    False,
                    "Chưa cài" + ("; các nút trên thẻ DDCI trong Excel cần thư viện này." if not everywhere else "."),
                    f'pip install "xl_addin[excel]"  (hoặc: pip install "{dist}>={minimum}")',
                )
            )
        elif _version_tuple(found) < _version_tuple(minimum):
            checks.append(
                Check(
                    name,
                    False,
                    f"Phiên bản {found} quá cũ; cần {minimum} trở lên.",
                    f'pip install --upgrade "{dist}>={minimum}"',
                )
            )
        else:
            checks.append(Check(name, True, f"Phiên bản {found}."))
    return checks


def _addin_sheet(xlstart: Path | None, home: Path | None, platform: str) -> tuple[Path, dict[str, str] | None]:
    addin = (xlstart or default_xlstart(home)) / ADDIN_FILENAME
    if not is_windows(platform) or not addin.is_file():
        return addin, None
    try:
        return addin, read_addin_conf(addin)
    except ValueError:  # a key written twice: VBA error 457
        return addin, None


def check_xlwings_conf(home: Path | None, platform: str, xlstart: Path | None = None) -> Check:
    """The interpreter RunPython uses: the add-in's own xlwings.conf sheet first, then the user file."""
    name = "Cấu hình xlwings (Python cho Excel)"
    path = xlwings_conf_path(home)
    windows = is_windows(platform)
    fix = "Chạy lệnh: ddci setup-excel (ghi đường dẫn Python đang dùng vào add-in và tệp cấu hình)."
    addin, sheet = _addin_sheet(xlstart, home, platform)
    where: str
    if sheet is not None and CONF_KEY_WIN in sheet:
        key, raw, where = CONF_KEY_WIN, sheet[CONF_KEY_WIN], f"trang {CONF_SHEET} của {addin}"
        if not raw:
            return Check(name, False, f"{where} có dòng {CONF_KEY_WIN} để trống, che mất mọi cấu hình khác.", fix)
    else:
        if not path.is_file():
            if not windows:
                return Check(name, None, f"Không có {path}; chỉ cần trên máy Windows chạy Excel.")
            return Check(name, False, f"Chưa có tệp {path}, nên Excel không biết chạy Python nào.", fix)
        conf = read_xlwings_conf(path)
        keys: tuple[str, ...]
        if platform == "darwin":
            keys = ("INTERPRETER_MAC", "INTERPRETER")
        elif windows:
            keys = (CONF_KEY_WIN, "INTERPRETER")
        else:
            keys = (CONF_KEY_WIN, "INTERPRETER_MAC", "INTERPRETER")
        found = next((k for k in keys if conf.get(k)), None)
        if found is None:
            if not windows:
                return Check(name, None, f"{path} không có dòng Interpreter; chỉ cần trên máy Windows chạy Excel.")
            return Check(name, False, f'{path} không có dòng "{CONF_KEY_WIN}".', fix)
        key, raw, where = found, conf[found], f"tệp {path}"
    if not windows and key == CONF_KEY_WIN:
        return Check(name, None, f"{where} có {key} = {raw}; chỉ kiểm tra được trên Windows.")
    if raw.strip().lower() in ("python", "pythonw", "python.exe", "pythonw.exe"):
        return Check(
            name,
            False,
            f"{key} = {raw}: không chỉ rõ đường dẫn, Excel sẽ dùng Python nào tìm thấy đầu tiên trong PATH.",
            fix,
        )
    if not raw.isascii():
        return Check(
            name,
            False,
            f"{key} = {raw} ({where}): đường dẫn có chữ có dấu; VBA kiểm tra tệp Python theo bảng mã ANSI nên có "
            "thể báo không thấy Python.",
            fix + " Lệnh này ghi đường dẫn dạng không dấu khi Windows cho phép; nếu Python cài ở thư mục có dấu, "
            "hãy cài lại vào thư mục không dấu (ví dụ C:\\Python311).",
        )
    interpreter = Path(expand_env(raw))
    if not interpreter.is_file():
        return Check(name, False, f"{key} trỏ tới {interpreter} ({where}), nhưng tệp này không tồn tại.", fix)
    if not _same_python(interpreter, Path(sys.executable)):
        return Check(
            name,
            False,
            f"{key} trỏ tới {interpreter} ({where}), khác với Python đang chạy lệnh này ({sys.executable}); Python "
            "đó có thể chưa cài xl_addin.",
            fix + " Chạy lệnh bằng đúng Python đã cài xl_addin.",
        )
    return Check(name, True, f"{key} = {raw} ({where}).")


def check_xlwings_conf_file(home: Path | None) -> Check:
    """Lines of %USERPROFILE%\\.xlwings\\xlwings.conf that xlwings' VBA (``Input #``) or Python would misread."""
    name = "Tệp xlwings.conf đúng dạng xlwings đọc"
    path = xlwings_conf_path(home)
    if not path.is_file():
        return Check(name, None, f"Không có {path} (không bắt buộc: add-in giữ cấu hình trong trang {CONF_SHEET}).")
    problems = misread_lines(path.read_bytes())
    if problems:
        return Check(
            name,
            False,
            f"{path}: " + "; ".join(problems) + ".",
            'Chạy lệnh: ddci setup-excel (viết lại tệp mỗi dòng một cặp "KHÓA","giá trị", giữ bản cũ ở '
            "xlwings.conf.bak).",
        )
    return Check(name, True, f'{path}: mỗi dòng một cặp "KHÓA","giá trị", không dòng trống.')


def check_addin_installed(xlstart: Path | None, home: Path | None, platform: str) -> Check:
    name = "Add-in DDCI trong thư mục XLSTART của Excel"
    if not is_windows(platform):
        return Check(name, None, "Chỉ áp dụng trên Windows (Excel nạp add-in từ XLSTART khi khởi động).")
    folder = xlstart or default_xlstart(home)
    path = folder / ADDIN_FILENAME
    fix = "Đóng hết cửa sổ Excel rồi chạy: ddci setup-excel (chép add-in mới vào XLSTART)."
    if not path.is_file():
        return Check(name, False, f"Chưa có {path}; thẻ DDCI sẽ không hiện trong Excel.", fix)
    found = read_addin_properties(path).get(PROP_ADDIN_VERSION)
    if found is None:
        return Check(name, False, f"{path} không ghi phiên bản; có thể là bản cũ hoặc hỏng.", fix)
    if found != ADDIN_VERSION:
        return Check(name, False, f"{path} là phiên bản {found}; bản hiện tại là {ADDIN_VERSION}.", fix)
    return Check(name, True, f"{path}, phiên bản {found}.")


def check_xlwings_matches_addin(xlstart: Path | None, home: Path | None, platform: str) -> Check:
    """The add-in's VBA was taken from one xlwings release; the Python package should be the same."""
    name = "xlwings khớp với add-in"
    installed = _installed_version("xlwings")
    candidates = []
    if is_windows(platform):
        candidates.append((xlstart or default_xlstart(home)) / ADDIN_FILENAME)
    candidates.append(default_addin_path())
    addin = next((p for p in candidates if p.is_file()), None)
    expected = read_addin_properties(addin).get(PROP_XLWINGS_VERSION) if addin else None
    if installed is None or not expected:
        return Check(name, None, "Không so sánh được (thiếu xlwings hoặc không tìm thấy add-in).")
    if installed != expected:
        return Check(
            name,
            False,
            f"Add-in {addin} được dựng từ xlwings {expected}, nhưng máy đang cài xlwings {installed}.",
            f'pip install "xlwings=={expected}", hoặc dựng lại add-in bằng xlwings hiện có: '
            f'ddci build-addin --out "{default_addin_path()}", rồi ddci setup-excel.',
        )
    return Check(name, True, f"Cùng phiên bản xlwings {installed}.")


def check_workspace(workspace: Path | None) -> list[Check]:
    """Folders of the workspace and write access; every missing piece comes with its fix."""
    if workspace is None:
        return [
            Check(
                "Thư mục làm việc",
                None,
                "Chưa chỉ định thư mục làm việc nên bỏ qua phần kiểm tra thư mục.",
                "Bấm nút Chẩn đoán trên thẻ DDCI khi đang mở master.xlsx, hoặc chỉ định thư mục cho lệnh ddci doctor.",
            )
        ]
    ws = Workspace(Path(workspace))
    if not ws.root.is_dir():
        return [
            Check(
                "Thư mục làm việc",
                False,
                f"Không có thư mục {ws.root}.",
                f'Tạo thư mục làm việc mới bằng lệnh: ddci init "{ws.root}"',
            )
        ]
    checks = [Check("Thư mục làm việc", True, str(ws.root))]
    if ws.master.is_file():
        checks.append(Check(f"Bảng tính chính {MASTER_NAME}", True, str(ws.master)))
    else:
        checks.append(
            Check(
                f"Bảng tính chính {MASTER_NAME}",
                False,
                f"Không có {ws.master}.",
                f"Chép {MASTER_NAME} vào {ws.root}, hoặc tạo thư mục làm việc mới bằng: ddci init THƯ_MỤC_MỚI",
            )
        )
    roles = (
        (ws.inbox, "nơi chép các tệp các phòng gửi về"),
        (ws.templates_out, "nơi lưu biểu mẫu gửi các phòng"),
        (ws.reports, "nơi lưu bảng tổng hợp và văn bản Word"),
    )
    for folder, role in roles:
        label = f"Thư mục {folder.name}/"
        if folder.is_dir():
            checks.append(Check(label, True, f"{folder} ({role})."))
        else:
            checks.append(
                Check(
                    label,
                    False,
                    f"Thiếu thư mục {folder} ({role}).",
                    f"Tạo thư mục con “{folder.name}” trong {ws.root} (nút và lệnh ddci cũng tự tạo khi chạy).",
                )
            )
    checks.append(check_write_access(ws.root))
    return checks


def check_write_access(root: Path) -> Check:
    name = "Quyền ghi vào thư mục làm việc"
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".ddci-doctor-", suffix=".tmp"):
            pass
    except OSError as exc:
        return Check(
            name,
            False,
            f"Không ghi được tệp vào {root}: {exc.strerror or exc}.",
            "Xin quyền ghi thư mục này, hoặc chép thư mục làm việc về ổ máy (ví dụ D:\\DDCI) và mở master.xlsx từ đó.",
        )
    return Check(name, True, f"Ghi được vào {root}.")


def check_cloud_path(workspace: Path | None) -> Check:
    """xlwings and OneDrive/SharePoint: the workbook's name becomes a web address, not a file path."""
    name = "Thư mục làm việc không nằm trên OneDrive/SharePoint"
    if workspace is None:
        return Check(name, None, "Chưa chỉ định thư mục làm việc.")
    text = str(workspace)
    lowered = text.lower()
    if lowered.startswith(("https:/", "http:/")):
        return Check(
            name,
            False,
            f"{text} là địa chỉ web: Excel đang mở tệp trực tiếp từ SharePoint/OneDrive, "
            "Python không đọc được "
            "các thư mục nop/, bieu_mau/, bao_cao/ ở đó.",
            "Đồng bộ thư viện về máy (nút Sync/Đồng bộ) hoặc chép thư mục làm việc ra ổ máy như D:\\DDCI, "
            "rồi mở master.xlsx từ File Explorer.",
        )
    if "onedrive" in lowered or "sharepoint" in lowered:
        return Check(
            name,
            False,
            f"{text} nằm trong thư mục OneDrive: khi bật Tự động lưu, Excel báo tên tệp dạng https://..., "
            "xlwings có thể không tìm ra tệp; tệp chỉ có trên mây (chưa tải về) thì Python không đọc được.",
            "Nên chép thư mục làm việc ra ổ máy không đồng bộ (ví dụ D:\\DDCI). Nếu buộc dùng OneDrive: bấm "
            "chuột phải thư mục → “Luôn giữ trên thiết bị này”, tắt Tự động lưu cho master.xlsx và mở tệp từ "
            "File Explorer.",
        )
    return Check(name, True, "Thư mục nằm trên ổ máy.")


def check_libreoffice(platform: str) -> Check:
    name = "LibreOffice (chuyển văn bản sang PDF)"
    from xl_addin.documents.pdf import find_soffice  # the one the PDF export uses

    found = find_soffice(platform)
    if found:
        return Check(name, True, found)
    return Check(  # optional: only PDF export needs it, so its absence is not a failure
        name,
        None,
        "Không tìm thấy LibreOffice (không bắt buộc): văn bản Word vẫn tạo được nhưng không chuyển được sang PDF.",
        "Cài LibreOffice bản ổn định từ libreoffice.org (chọn cài mặc định vào C:\\Program Files\\LibreOffice).",
    )


def check_font(platform: str, env: Mapping[str, str] | None = None) -> Check:
    """The font documents print with must be Times New Roman (or its metric twin) *and* have every Vietnamese letter.

    Judged by the font file's own character map, not its name: Debian's old Liberation Serif
    1.07 has the name and lacks ạ ố ự…, so LibreOffice swaps fonts inside words.
    """
    from xl_addin.documents.fonts import document_font

    name = "Phông chữ văn bản (Times New Roman, đủ dấu tiếng Việt)"
    fix = (
        "Trên Windows: cài lại phông Times New Roman (có sẵn trong Windows/Office). "
        "Trên Linux: cài gói fonts-liberation2 (Liberation 2.x, cùng kích thước chữ với Times New Roman, "
        "đủ chữ tiếng Việt), VD: sudo apt-get install fonts-liberation2."
    )
    font = document_font(platform, env)
    if font is None:
        return Check(name, False, "Không tìm thấy phông Times New Roman hoặc phông thay thế trên máy này.", fix)
    if font.missing:
        shown = font.missing[:12] + ("…" if len(font.missing) > 12 else "")
        return Check(
            name,
            False,
            f"{font.family} ({font.path}) thiếu {len(font.missing)} chữ tiếng Việt ({shown}): PDF xuất ra sẽ "
            "lẫn phông khác giữa chữ.",
            fix,
        )
    if font.family not in ("Times New Roman", "Liberation Serif"):
        return Check(
            name,
            False,
            f"Times New Roman được thay bằng {font.family} ({font.path}), khác kích thước chữ: PDF sẽ lệch trang.",
            fix,
        )
    detail = f"{font.family} ({font.path}), đủ chữ tiếng Việt"
    if font.family != "Times New Roman":
        detail += "; cùng kích thước chữ với Times New Roman, văn bản mở trên Windows vẫn hiện Times New Roman"
    return Check(name, True, detail + ".")


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def run_checks(
    workspace: Path | None,
    *,
    home: Path | None = None,
    xlstart: Path | None = None,
    platform: str | None = None,
) -> list[Check]:
    """Every check, in the order the checklist shows them. Reads only; writes nothing but a probe file."""
    platform = platform or sys.platform
    checks = [check_python(), *check_packages(platform)]
    checks.append(check_xlwings_conf(home, platform, xlstart))
    checks.append(check_xlwings_conf_file(home))
    checks.append(check_addin_installed(xlstart, home, platform))
    checks.append(check_xlwings_matches_addin(xlstart, home, platform))
    checks.extend(check_workspace(workspace))
    checks.append(check_cloud_path(workspace))
    checks.append(check_libreoffice(platform))
    checks.append(check_font(platform))
    return checks


def all_ok(checks: Iterable[Check]) -> bool:
    """True when nothing failed (checks that do not apply are fine)."""
    return all(check.ok is not False for check in checks)


def format_checklist(checks: Iterable[Check]) -> str:
    """Render a Vietnamese checklist: ✔ passed, ✘ needs fixing (with how), – not applicable."""
    checks = list(checks)
    lines = ["KẾT QUẢ CHẨN ĐOÁN DDCI", ""]
    for check in checks:
        mark = MARK_NA if check.ok is None else MARK_OK if check.ok else MARK_FAIL
        lines.append(f"{mark} {check.name}: {check.detail}")
        if check.ok is False and check.fix:
            lines.append(f"    → Cách sửa: {check.fix}")
    passed = sum(1 for c in checks if c.ok is True)
    failed = sum(1 for c in checks if c.ok is False)
    skipped = sum(1 for c in checks if c.ok is None)
    lines.append("")
    lines.append(f"Tổng cộng: {passed} mục đạt, {failed} mục cần sửa, {skipped} mục không áp dụng.")
    lines.append("Mọi thứ đã sẵn sàng." if failed == 0 else "Hãy làm theo các dòng “Cách sửa” rồi chạy lại chẩn đoán.")
    return "\n".join(lines)

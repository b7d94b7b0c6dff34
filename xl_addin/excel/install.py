"""``ddci setup-excel``: point xlwings at this Python and put the add-in where Excel opens it.

Diagnosis is ``tools.doctor``; this module is the only one that writes to the user's
Excel set-up (the add-in in XLSTART, xlwings.conf). Everything takes its paths as parameters,
and ``platform="win32"`` runs the Windows logic on any machine, for tests. ``--dry-run`` works
everywhere and lists every step, the add-in file it would install included.

Where the settings go: every key RunPython asks for is written on the add-in's own
``xlwings.conf`` sheet (:mod:`xl_addin.excel.addin_conf`), which xlwings reads before any file,
through Excel, in Unicode. So a click never reads ``%USERPROFILE%\\.xlwings\\xlwings.conf``,
whose ANSI reading breaks on a blank line (error 62) or a user name with Vietnamese letters.
Values the IT staff put in that file are carried over onto the sheet; the file itself is
rewritten the way xlwings' VBA reads it (one ``"KEY","value"`` pair per line, no blank line,
ASCII), because xlwings' Python side and other xlwings add-ins still read it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.errors import DdciError
from xl_addin.excel.addin import ADDIN_FILENAME, PROP_ADDIN_VERSION, default_addin_path, read_addin_properties
from xl_addin.excel.addin_conf import BUILT_IN_CONF, CONF_SHEET, set_addin_conf
from xl_addin.excel.xlwings_conf import (
    CONF_KEY_WIN,
    RUNPYTHON_DEFAULTS,
    conf_lines,
    default_xlstart,
    expand_env,
    format_conf,
    is_windows,
    misread_lines,
    xlwings_conf_path,
)
from xl_addin.files.atomic import atomic_write

__all__ = ["addin_settings", "install_addin", "rewrite_user_conf", "setup_excel"]

ShortPath = Callable[[str], "str | None"]


def _env_form(path: str, env: Mapping[str, str]) -> str:
    """Replace a non-ASCII user folder by ``%LOCALAPPDATA%``/``%USERPROFILE%`` (expanded by xlwings)."""
    if path.isascii():
        return path
    for var in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        value = env.get(var)
        if value and path.lower().startswith(value.lower().rstrip("\\/") + "\\"):
            return f"%{var}%" + path[len(value.rstrip("\\/")) :]
    return path


def windows_short_path(path: str) -> str | None:
    """The 8.3 name of an existing path (ASCII on a default Windows install), or None."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return None
    buffer = ctypes.create_unicode_buffer(1024)
    return buffer.value if windll.kernel32.GetShortPathNameW(path, buffer, 1024) else None


def ascii_path(path: str, env: Mapping[str, str], short_path: ShortPath | None) -> str:
    """A form of ``path`` that VBA's ANSI file functions can reach: as is, 8.3 name, or ``%VAR%\\…``."""
    if path.isascii():
        return path
    short = short_path(expand_env(path, env)) if short_path else None
    if short and short.isascii():
        return short
    return _env_form(path, env)


def _default_python(platform: str) -> str:
    """The running interpreter; on Windows prefer python.exe beside a pythonw.exe."""
    exe = Path(sys.executable)
    if is_windows(platform) and exe.name.lower() == "pythonw.exe" and (exe.parent / "python.exe").is_file():
        exe = exe.parent / "python.exe"
    return str(exe)


def addin_settings(interpreter: str, user_conf: Mapping[str, str], temp_dir: str) -> dict[str, str]:
    """The add-in sheet: our interpreter and fixed keys, the user file's values, else xlwings' defaults."""
    values = {CONF_KEY_WIN: interpreter, **dict(BUILT_IN_CONF)}
    for key, default in RUNPYTHON_DEFAULTS.items():
        if key not in values:
            values[key] = user_conf.get(key) or (temp_dir if key == "TEMP DIR" else default)
    return values


@dataclass(frozen=True)
class UserConf:
    """The rewritten ``xlwings.conf`` file: its bytes and the lines dropped from the old one."""

    data: bytes
    dropped: list[str]
    changed: bool


def rewrite_user_conf(old: bytes, interpreter: str | None) -> UserConf:
    """Well-formed pairs kept in order, ``INTERPRETER_WIN`` set (or left alone when None), nothing else."""
    pairs = [(k, v) for k, v in conf_lines(old) if interpreter is None or k != CONF_KEY_WIN]
    if interpreter is not None:
        pairs.append((CONF_KEY_WIN, interpreter))
    data = format_conf(pairs)
    return UserConf(data, misread_lines(old) if old else [], data != old)


def install_addin(source: Path, xlstart: Path, settings: Mapping[str, str], *, real_windows: bool) -> Path:
    """Write the add-in, with ``settings`` on its sheet, into XLSTART atomically; Excel must be closed."""
    target = xlstart / ADDIN_FILENAME
    try:
        with atomic_write(target) as tmp:
            set_addin_conf(source, tmp, settings)
            tmp.chmod(0o644)
    except PermissionError as exc:
        raise DdciError(
            f"Không ghi được {target}: Excel đang mở add-in. Hãy đóng hết cửa sổ Excel rồi chạy lại ddci setup-excel."
        ) from exc
    if real_windows:
        # A copy made from a downloaded file may carry the "from the internet" mark, which blocks macros.
        with contextlib.suppress(OSError):
            os.remove(f"{target}:Zone.Identifier")
    return target


def setup_excel(
    python_exe: str | None = None,
    dry_run: bool = False,
    *,
    home: Path | None = None,
    xlstart: Path | None = None,
    addin: Path | None = None,
    platform: str | None = None,
    env: Mapping[str, str] | None = None,
    short_path: ShortPath | None = windows_short_path,
) -> list[str]:
    """Install the add-in with its settings into XLSTART and tidy xlwings.conf; return Vietnamese lines.

    ``home``, ``xlstart``, ``addin``, ``platform``, ``env`` and ``short_path`` exist for tests: with
    ``platform="win32"`` the Windows logic runs on any machine.
    """
    platform = platform or sys.platform
    windows = is_windows(platform)
    if not windows and not dry_run:
        raise DdciError(
            "Lệnh setup-excel chỉ chạy trên Windows, trên máy có Microsoft Excel của người dùng. "
            "Trên máy chủ không cần bước này; dùng trực tiếp các lệnh ddci (ddci setup-excel --dry-run vẫn liệt kê "
            "được các bước)."
        )
    environ = os.environ if env is None else env
    interpreter = python_exe or _default_python(platform)
    if not Path(expand_env(interpreter, environ)).is_file():
        raise DdciError(f"Không thấy Python tại {interpreter}; hãy chỉ đúng đường dẫn python.exe.")
    source = Path(addin) if addin is not None else default_addin_path()
    if not source.is_file():
        raise DdciError(
            f"Không thấy tệp add-in {source}: bản cài này thiếu add-in. Hãy cài lại gói "
            '(pip install --force-reinstall "xl_addin[excel]"), hoặc dựng add-in từ mã nguồn bằng '
            f'ddci build-addin --out "{source}" (cần pip install "xl_addin[dev]").'
        )
    conf_path = xlwings_conf_path(home)
    folder = xlstart or default_xlstart(home, environ)
    value = ascii_path(interpreter, environ, short_path)
    temp = environ.get("TEMP", "")
    temp_dir = "%TEMP%" if temp.isascii() else ascii_path(temp, environ, short_path)
    old = conf_path.read_bytes() if conf_path.is_file() else b""
    user = dict(conf_lines(old))
    settings = addin_settings(value, user, temp_dir)
    conf = rewrite_user_conf(old, value if value.isascii() else None)
    version = read_addin_properties(source).get(PROP_ADDIN_VERSION, "không rõ")

    shown = ", ".join(f"{k} = {v}" if v else f"{k} = (trống)" for k, v in settings.items())
    steps = [
        f"Python cho Excel: {interpreter}" + (f" (ghi dạng không dấu: {value})" if value != interpreter else "") + ".",
        f"Ghi vào trang {CONF_SHEET} của add-in (xlwings đọc trang này trước mọi tệp cấu hình): {shown}.",
        f'Ghi tệp {conf_path} đúng dạng xlwings đọc (mỗi dòng một cặp "KHÓA","giá trị", không dòng trống)'
        + (f"; bỏ {len(conf.dropped)} chỗ sai: {'; '.join(conf.dropped)}" if conf.dropped else "")
        + ("" if value.isascii() else f"; không ghi {CONF_KEY_WIN} vào tệp vì đường dẫn có chữ có dấu")
        + ".",
        f"Chép add-in {source} (phiên bản {version}) vào {folder / ADDIN_FILENAME}.",
    ]
    if dry_run:
        note = [] if windows else ["(Máy này không phải Windows: các đường dẫn là nơi lệnh sẽ ghi trên Windows.)"]
        return [*note, *(f"(Chạy thử, chưa ghi gì) {step}" for step in steps)]

    lines = [steps[0]]
    target = install_addin(source, folder, settings, real_windows=sys.platform.startswith("win"))
    lines.append(f"Đã chép add-in phiên bản {version} vào {target}, trang {CONF_SHEET}: {shown}.")
    if conf.changed:
        conf_path.parent.mkdir(parents=True, exist_ok=True)
        if conf.dropped:
            conf_path.with_name("xlwings.conf.bak").write_bytes(old)
        with atomic_write(conf_path) as tmp:
            tmp.write_bytes(conf.data)
        lines.append(steps[2].replace("Ghi tệp", "Đã ghi tệp", 1))
        if conf.dropped:
            lines.append(f"Bản cũ của tệp được lưu ở {conf_path.with_name('xlwings.conf.bak')}.")
    else:
        lines.append(f"{conf_path} đã đúng, không cần sửa.")
    lines.append(
        "Mở lại Excel: thẻ DDCI sẽ hiện trên thanh ribbon. Không cần chỉnh Trust Center vì XLSTART là vị trí "
        "tin cậy mặc định của Excel."
    )
    lines.append("Kiểm tra lại bằng lệnh: ddci doctor")
    return lines

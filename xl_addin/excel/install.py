"""``ddci setup-excel``: point xlwings at this Python and put the add-in where Excel opens it.

Diagnosis is ``tools.doctor``; this module is the only one that writes to the user's
Excel set-up (xlwings.conf, XLSTART). Everything takes its paths as parameters, and
``platform="win32"`` runs the Windows logic on any machine, for tests.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from xl_addin.core.errors import DdciError
from xl_addin.excel.addin import ADDIN_FILENAME, PROP_ADDIN_VERSION, default_addin_path, read_addin_properties
from xl_addin.excel.xlwings_conf import (
    CONF_KEY_WIN,
    conf_encoding,
    conf_line_re,
    default_xlstart,
    expand_env,
    is_windows,
    xlwings_conf_path,
)
from xl_addin.files.atomic import atomic_write

__all__ = ["install_addin", "setup_excel", "write_interpreter_line"]


def _env_form(path: str, env: Mapping[str, str]) -> str:
    """Replace a non-ASCII user folder by ``%LOCALAPPDATA%``/``%USERPROFILE%``.

    The add-in's VBA reads xlwings.conf in the ANSI code page, so a user name with
    Vietnamese letters would break the path; the variable is expanded by VBA
    (``WScript.ExpandEnvironmentStrings``) and by xlwings in Python.
    """
    if path.isascii():
        return path
    for var in ("LOCALAPPDATA", "APPDATA", "USERPROFILE"):
        value = env.get(var)
        if value and path.lower().startswith(value.lower().rstrip("\\/") + "\\"):
            return f"%{var}%" + path[len(value.rstrip("\\/")) :]
    return path


def _default_python(platform: str) -> str:
    """The running interpreter; on Windows prefer python.exe beside a pythonw.exe."""
    exe = Path(sys.executable)
    if is_windows(platform) and exe.name.lower() == "pythonw.exe" and (exe.parent / "python.exe").is_file():
        exe = exe.parent / "python.exe"
    return str(exe)


def write_interpreter_line(conf: Path, interpreter: str) -> bool:
    """Set ``"INTERPRETER_WIN","..."`` in ``conf``, keeping every other line byte for byte.

    Returns True when the file changed. The file is replaced atomically.
    """
    encoding = conf_encoding()
    line = f'"{CONF_KEY_WIN}","{interpreter}"'
    try:
        encoded_line = line.encode(encoding)
    except UnicodeEncodeError as exc:
        raise DdciError(
            f"Đường dẫn Python {interpreter} có ký tự không ghi được vào tệp cấu hình xlwings "
            f"(bảng mã {encoding}). "
            "Hãy cài Python vào thư mục không dấu, ví dụ C:\\Python311, rồi chạy lại."
        ) from exc
    old = conf.read_bytes() if conf.is_file() else b""
    kept = [
        raw
        for raw in old.splitlines()
        if not (
            (m := conf_line_re.match(raw.decode(encoding, errors="replace")))
            and m.group(1).strip().upper() == CONF_KEY_WIN
        )
    ]
    new = b"".join(raw + b"\r\n" for raw in [*kept, encoded_line])
    if new == old:
        return False
    conf.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(conf) as tmp:
        tmp.write_bytes(new)
    return True


def install_addin(source: Path, xlstart: Path, *, real_windows: bool) -> Path:
    """Copy the add-in into XLSTART atomically; Excel must be closed (it locks an open add-in)."""
    target = xlstart / ADDIN_FILENAME
    try:
        with atomic_write(target) as tmp:
            shutil.copyfile(source, tmp)
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
) -> list[str]:
    """Point xlwings at this Python and install the add-in into XLSTART; return Vietnamese lines.

    ``home``, ``xlstart``, ``addin``, ``platform`` and ``env`` exist for tests: with
    ``platform="win32"`` the Windows logic runs on any machine.
    """
    platform = platform or sys.platform
    if not is_windows(platform):
        raise DdciError(
            "Lệnh setup-excel chỉ chạy trên Windows, trên máy có Microsoft Excel của người dùng. "
            "Trên máy chủ không cần bước này; dùng trực tiếp các lệnh ddci."
        )
    environ = os.environ if env is None else env
    interpreter = python_exe or _default_python(platform)
    if not Path(expand_env(interpreter, environ)).is_file():
        raise DdciError(f"Không thấy Python tại {interpreter}; hãy chỉ đúng đường dẫn python.exe.")
    source = Path(addin) if addin is not None else default_addin_path()
    if not source.is_file():
        raise DdciError(
            f"Không thấy tệp add-in {source}. Hãy dựng lại bằng: ddci build-addin --out {source} "
            '(cần pip install "xl_addin[dev]").'
        )
    conf = xlwings_conf_path(home)
    folder = xlstart or default_xlstart(home, environ)
    value = _env_form(interpreter, environ)
    version = read_addin_properties(source).get(PROP_ADDIN_VERSION, "không rõ")

    if dry_run:
        return [
            f'(Chạy thử, chưa ghi gì) Sẽ ghi "{CONF_KEY_WIN}","{value}" vào {conf}, giữ nguyên các dòng khác.',
            f"(Chạy thử, chưa ghi gì) Sẽ chép {source} (phiên bản {version}) vào {folder / ADDIN_FILENAME}.",
        ]

    lines: list[str] = []
    changed = write_interpreter_line(conf, value)
    lines.append(
        f"Đã ghi Python cho Excel vào {conf}: {CONF_KEY_WIN} = {value}."
        if changed
        else f"{conf} đã đúng ({CONF_KEY_WIN} = {value}), không cần sửa."
    )
    target = install_addin(source, folder, real_windows=sys.platform.startswith("win"))
    lines.append(f"Đã chép add-in phiên bản {version} vào {target}.")
    lines.append(
        "Mở lại Excel: thẻ DDCI sẽ hiện trên thanh ribbon. Không cần chỉnh Trust Center vì XLSTART là vị trí "
        "tin cậy mặc định của Excel."
    )
    lines.append("Kiểm tra lại bằng lệnh: ddci doctor")
    return lines

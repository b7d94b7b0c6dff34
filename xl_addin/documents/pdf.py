"""Drive headless LibreOffice: find it, convert a .docx to PDF (optional, separate step), or re-save a file.

Why a separate, optional step: conversion costs ~1 s for a one-page document and ~9 s for a
155-page one, and LibreOffice may not be installed on an office PC; the .docx is the
deliverable, the PDF a convenience. Each call uses a private, throw-away LibreOffice
profile (``-env:UserInstallation``): a shared profile is locked by a running LibreOffice
window and makes the headless call exit silently without output. A timeout stops a hung
converter (its whole process group, since ``soffice`` starts ``soffice.bin``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from xl_addin.core.errors import DdciError

__all__ = ["convert", "convert_all", "find_soffice", "to_pdf"]

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice(platform: str | None = None, env: Mapping[str, str] | None = None) -> str | None:
    """Path of the LibreOffice ``soffice`` executable, or None if it is not installed.

    ``platform`` and ``env`` let the doctor's tests look for the Windows install folders
    (``%ProgramFiles%\\LibreOffice``) from another system.
    """
    platform = platform or sys.platform
    environ = os.environ if env is None else env
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    candidates: list[str] = list(_CANDIDATES)
    if platform.startswith("win"):
        for var in ("ProgramFiles", "ProgramFiles(x86)"):
            if environ.get(var):
                candidates.insert(0, str(Path(environ[var]) / "LibreOffice" / "program" / "soffice.exe"))
    for candidate in candidates:
        if Path(candidate).is_file():
            return candidate
    for pattern in ("/opt/libreoffice*/program/soffice",):
        matches = sorted(Path("/").glob(pattern.lstrip("/")))
        if matches:
            return str(matches[-1])
    return None


def _kill(proc: subprocess.Popen[bytes]) -> None:
    if sys.platform != "win32":
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            proc.kill()
    else:  # pragma: no cover - Windows
        proc.kill()
    proc.wait()


def to_pdf(docx: Path, out_dir: Path, *, timeout: float = 180.0) -> Path:
    """Convert ``docx`` to ``out_dir/<stem>.pdf`` and return that path; DdciError on failure."""
    return convert(docx, out_dir, "pdf", timeout=timeout)


def convert(
    source: Path, out_dir: Path, target_format: str, *, timeout: float = 180.0, infilter: str | None = None
) -> Path:
    """``soffice --convert-to target_format`` (e.g. ``pdf``, ``xlsx:Calc MS Excel 2007 XML``) into ``out_dir``.

    ``infilter`` names the import filter when LibreOffice cannot tell the format from the
    file name (``Calc MS Excel 2007 VBA XML`` for an ``.xlam``).
    """
    return convert_all([source], out_dir, target_format, timeout=timeout, infilter=infilter)[0]


def convert_all(
    sources: Sequence[Path], out_dir: Path, target_format: str, *, timeout: float = 180.0, infilter: str | None = None
) -> list[Path]:
    """:func:`convert` for several files in one LibreOffice start (the start is 2–3 s of each call).

    The sources need different stems: each result is ``out_dir/<stem>.<extension>``.
    """
    docs, out_dir = [Path(s).resolve() for s in sources], Path(out_dir).resolve()
    if len({d.stem for d in docs}) != len(docs):
        raise ValueError("convert_all: two sources share a stem, and so would their results")
    soffice = find_soffice()
    if soffice is None:
        raise DdciError(
            "Không tìm thấy LibreOffice (soffice) để chuyển văn bản sang PDF. Hãy cài LibreOffice "
            "hoặc mở tệp .docx bằng Word và chọn Lưu dưới dạng PDF."
        )
    for docx in docs:
        if not docx.is_file():
            raise DdciError(f"Không tìm thấy tệp «{docx}» để chuyển đổi.")
    out_dir.mkdir(parents=True, exist_ok=True)
    extension = target_format.split(":", 1)[0]
    targets = [out_dir / f"{docx.stem}.{extension}" for docx in docs]
    names = ", ".join(f"«{d.name}»" for d in docs)
    profile = Path(tempfile.mkdtemp(prefix="xl_addin-lo-"))
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
        *([f"--infilter={infilter}"] if infilter else []),
        "--convert-to",
        target_format,
        "--outdir",
        str(out_dir),
        *map(str, docs),
    ]
    try:
        for target in targets:
            if target.exists():
                target.unlink()
        proc = subprocess.Popen(  # fixed argument list, no shell
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=sys.platform != "win32",
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(proc)
            raise DdciError(
                f"LibreOffice không chuyển xong {names} sang {extension.upper()} sau {timeout:.0f} giây nên đã bị dừng."
            ) from exc
        failed = [d for d, t in zip(docs, targets, strict=True) if not t.is_file()]
        if proc.returncode != 0 or failed:
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
            which = ", ".join(f"«{d.name}»" for d in failed) or names
            raise DdciError(
                f"LibreOffice không chuyển được {which} sang {extension.upper()} (mã thoát {proc.returncode})."
                + (f" Chi tiết: {detail}" if detail else "")
            )
    except OSError as exc:
        raise DdciError(f"Không chạy được LibreOffice ({soffice}): {exc}") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return targets

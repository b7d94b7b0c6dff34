"""Convert a rendered .docx to PDF with headless LibreOffice (optional, separate step).

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
from pathlib import Path

from .errors import DdciError

__all__ = ["find_soffice", "to_pdf"]

_CANDIDATES = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)


def find_soffice() -> str | None:
    """Path of the LibreOffice ``soffice`` executable, or None if it is not installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATES:
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
    docx, out_dir = Path(docx).resolve(), Path(out_dir).resolve()
    soffice = find_soffice()
    if soffice is None:
        raise DdciError(
            "Không tìm thấy LibreOffice (soffice) để chuyển văn bản sang PDF. Hãy cài LibreOffice "
            "hoặc mở tệp .docx bằng Word và chọn Lưu dưới dạng PDF."
        )
    if not docx.is_file():
        raise DdciError(f"Không tìm thấy tệp «{docx}» để chuyển sang PDF.")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{docx.stem}.pdf"
    profile = Path(tempfile.mkdtemp(prefix="xl_addin-lo-"))
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
        "--convert-to", "pdf", "--outdir", str(out_dir), str(docx),
    ]
    try:
        if target.exists():
            target.unlink()
        proc = subprocess.Popen(  # fixed argument list, no shell
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=sys.platform != "win32",
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(proc)
            raise DdciError(
                f"LibreOffice không chuyển xong «{docx.name}» sang PDF sau {timeout:.0f} giây "
                "nên đã bị dừng."
            ) from exc
        if proc.returncode != 0 or not target.is_file():
            detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
            raise DdciError(
                f"LibreOffice không chuyển được «{docx.name}» sang PDF (mã thoát {proc.returncode})."
                + (f" Chi tiết: {detail}" if detail else "")
            )
    except OSError as exc:
        raise DdciError(f"Không chạy được LibreOffice ({soffice}): {exc}") from exc
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return target

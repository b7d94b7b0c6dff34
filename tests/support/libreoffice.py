"""LibreOffice for the tests: required (with a Vietnamese document font) under CI, skipped elsewhere.

Every test that opens a file in LibreOffice goes through the program's own driver
(``documents.pdf.convert``): one way to call ``soffice``, a private profile per call,
a timeout.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def _missing(reason: str) -> None:
    """Fail under CI (where every tool must be installed), skip with the reason elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"CI: {reason}")
    pytest.skip(reason)


def require_libreoffice(*, pdftotext: bool = False) -> str:
    """The soffice path, once LibreOffice and a document font with the Vietnamese letters are present.

    Without a Times New Roman (or Liberation Serif 2.x) that has every Vietnamese letter,
    LibreOffice swaps fonts inside words and the print tests fail for a reason that has
    nothing to do with the code: say which package to install instead.
    """
    from xl_addin.documents.fonts import document_font
    from xl_addin.documents.pdf import find_soffice

    soffice = find_soffice()
    if soffice is None:
        _missing(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
        )
    if pdftotext and shutil.which("pdftotext") is None:
        _missing("pdftotext is not installed: apt-get install poppler-utils")
    font = document_font()
    if font is None or font.missing:
        found = "no Times New Roman substitute" if font is None else f"{font.path} lacks {font.missing[:20]}"
        _missing(f"the document font has no Vietnamese letters ({found}): apt-get install fonts-liberation2")
    assert soffice is not None
    return soffice


def libreoffice_convert(
    source: Path, out_dir: Path, target_format: str = "xlsx", *, infilter: str | None = None
) -> Path:
    """Open ``source`` in headless LibreOffice and save it as ``target_format`` in ``out_dir``."""
    from xl_addin.documents.pdf import convert

    require_libreoffice()
    return convert(source, out_dir, target_format, timeout=240, infilter=infilter)

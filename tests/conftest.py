"""Shared fixtures: a demo workspace built once per session, copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from xl_addin.actions import init_workspace


@pytest.fixture(scope="session")
def _seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("seed") / "ws"
    init_workspace(root)
    return root


@pytest.fixture
def workspace(_seed_workspace: Path, tmp_path: Path) -> Path:
    """A fresh copy of a workspace initialised from the seed plan."""
    dest = tmp_path / "ws"
    shutil.copytree(_seed_workspace, dest)
    return dest


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

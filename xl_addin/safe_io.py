"""Small I/O guards shared by every writer: atomic replace, text that stays text.

A crash must never leave a half-written workbook or document, and text that came
from a unit's submission (``=HYPERLINK(...)``, ``+cmd``) must never become a live
formula in a workbook we write.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from xl_addin.vnformat import nfc

EXCEL_CELL_LIMIT = 32_767


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def set_text(cell: Any, value: str) -> bool:
    """Write ``value`` as a string cell, never a formula; returns True when truncated.

    openpyxl stores any string starting with ``=`` as a formula; forcing the data
    type to ``s`` keeps it literal text in every spreadsheet program.
    """
    text = nfc(value)
    truncated = len(text) > EXCEL_CELL_LIMIT
    if truncated:
        text = text[: EXCEL_CELL_LIMIT - 1] + "…"
    cell.value = text
    cell.data_type = "s"
    return truncated

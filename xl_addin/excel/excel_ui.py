"""How a button reaches the clerk inside Excel: message boxes, the status bar, opening what it made.

A message must get through whatever state Excel is in, so there is an order of fallbacks:
the workbook's Excel (``book.app.alert``), else the running Excel (``xw.apps.active``), else a
Windows message box (``MessageBoxW``: Unicode, needs no Excel), else, last, the text on stderr and
exit code 1, which xlwings' ``RunPython`` shows in its own error box.

Results open without blocking Excel, which waits for Python while a button runs: workbooks
through that Excel (``app.books.open``, a COM call it serves), folders and documents through the
Windows shell. ``os.startfile`` on an .xlsx would go through Excel's DDE, which cannot answer.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

__all__ = ["TITLE", "ExcelUI", "NoBookUI", "open_with_shell", "tell_anyhow"]

TITLE = "DDCI"
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})
_MB_ICONINFORMATION = 0x40
_MB_SETFOREGROUND = 0x10000
_MB_TOPMOST = 0x40000


def _running_excel() -> Any:
    import xlwings as xw

    return xw.apps.active  # None when no Excel runs


def _windows_message_box(text: str) -> bool:
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return False
    windll.user32.MessageBoxW(0, text, TITLE, _MB_ICONINFORMATION | _MB_SETFOREGROUND | _MB_TOPMOST)
    return True


def tell_anyhow(text: str) -> None:
    """Show ``text`` with no workbook to hand; as a last resort exit 1 so xlwings shows stderr."""
    with contextlib.suppress(Exception):
        app = _running_excel()
        if app is not None:
            app.alert(text, title=TITLE)
            return
    with contextlib.suppress(Exception):
        if _windows_message_box(text):
            return
    sys.stderr.write(text + "\n")
    raise SystemExit(1)


def open_with_shell(path: Path) -> None:
    """Open a folder or document with the program Windows has for it, without waiting for it."""
    startfile = getattr(os, "startfile", None)
    if startfile is not None:
        startfile(str(path))
        return
    opener = "open" if sys.platform == "darwin" else "xdg-open"
    subprocess.Popen([opener, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _open_in(app: Any, path: Path) -> None:
    if app is not None and path.suffix.lower() in EXCEL_SUFFIXES:
        app.books.open(str(path))
    else:
        open_with_shell(path)


class ExcelUI:
    """The Excel that runs the clicked workbook."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def message(self, text: str) -> None:
        self.book.app.alert(text, title=TITLE)

    def open(self, path: Path) -> None:
        _open_in(self.book.app, path)

    def done(self) -> None:
        self.book.app.status_bar = False  # hand the status bar back to Excel


class NoBookUI:
    """No workbook reached (``Book.caller()`` failed): whatever Excel is running, else Windows."""

    def message(self, text: str) -> None:
        tell_anyhow(text)

    def open(self, path: Path) -> None:
        _open_in(_running_excel(), path)

    def done(self) -> None:
        app = _running_excel()
        if app is not None:
            app.status_bar = False

"""The VBA half of the Excel stand-in: the ribbon Sub's ``DdciRun`` and xlwings' ``RunPython``.

Modelled from ``macros/DdciRibbon.bas`` (guards, interpreter check, error handler; its Vietnamese
texts are read from that file) and xlwings 0.37.8's ``xlwings_custom_addin.bas``: ``GetConfig``'s
layers (l.649-705: active workbook sheet, the add-in's ``xlwings.conf`` sheet — a present key wins
even when empty —, directory file, user file, default), the file layer's ``Input #`` (error 62),
VBA's ANSI file functions (a path outside the code page is never found), ``ExecuteWindows``
(l.226-321: the command line, cmd's stderr redirect into ``TEMP DIR``, "exit code ≠ 0 → ShowError").
The Python process runs in this process with ``sys.argv`` as RunPython sets it.
"""

from __future__ import annotations

import contextlib
import io
import re
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xl_addin.excel.addin import macros_dir
from xl_addin.excel.addin_conf import read_addin_conf
from xl_addin.excel.xlwings_conf import VbaInputError, expand_env, vba_lookup

if TYPE_CHECKING:
    from tests.support.fake_excel import Book

APP_PATH = r"C:\Program Files\Microsoft Office\root\Office16\Microsoft Excel"
HWND = 4242


class ComError(Exception):
    """``pywintypes.com_error``: a missing sheet name, a call into an Excel that is gone."""


@dataclass(frozen=True)
class Seen:
    """One message box: who showed it (alert, messagebox, vba, xlwings-popup, msgbox) and its text."""

    channel: str
    text: str
    title: str = ""


class VbaError(Exception):
    """A VBA run-time error (``Err.Number``)."""

    def __init__(self, number: int, description: str) -> None:
        super().__init__(f"{number}: {description}")
        self.number, self.description = number, description


class RunPythonModel:
    """What happens between the click and Python; mixed into ``FakeExcel``, whose state it uses."""

    addin: Path
    home: Path
    temp: Path
    env: dict[str, str]
    books: list[Book]
    active: Book | None
    protected_view: bool
    asr_blocks_child_processes: bool
    seen: list[Seen]
    exit_codes: list[int]

    def add_book(self, raw_fullname: str, sheets: Any = None) -> Book:
        raise NotImplementedError

    def xlwings_module(self) -> types.ModuleType:
        raise NotImplementedError

    # -- the click -------------------------------------------------------------------------

    def click(self, func: str, *, any_book: bool = False) -> list[Seen]:
        """Press the ribbon button whose Sub runs ``DdciRun "<func>"``; return what appeared."""
        before = len(self.seen)
        lent = None
        wb = None if self.protected_view else self.active
        if wb is None:
            if any_book:
                lent = wb = self.add_book(f"Book{len(self.books) + 1}")
            else:
                self._vba_box("MSG_PROTECTED_VIEW" if self.protected_view else "MSG_NO_BOOK")
                return self.seen[before:]
        elif not wb.path and not any_book:
            self._vba_box("MSG_UNSAVED")
            return self.seen[before:]
        try:
            exe = self.get_config("INTERPRETER_WIN", "") or self.get_config("INTERPRETER", "python")
            if exe not in ("python", "pythonw") and not self._vba_file_exists(exe):
                self._vba_box("MSG_NO_PYTHON", " " + exe)
            elif self._run_python(f"{PYTHON_CALL}{func}()", wb) != 0:
                self._vba_box("MSG_PYTHON_FAILED")
        except VbaError as err:  # DdciRun's error handler
            if err.number == 70:
                self._vba_box("MSG_BLOCKED")
            elif err.number == 62:
                self._vba_box("MSG_CONF")
            elif err.number in (52, 53, 75, 76):
                self._vba_box("MSG_PATH", f" ({err.number}: {err.description})")
            else:
                self._vba_box("MSG_VBA_ERROR", f" {err.number}: {err.description}")
        finally:
            if lent is not None:
                lent.closed = True
                if self.active is lent:
                    self.active = None
        return self.seen[before:]

    def _vba_box(self, const: str, suffix: str = "") -> None:
        self.seen.append(Seen("vba", vba_message(const) + suffix, "DDCI"))

    # -- GetConfig (xlwings_custom_addin.bas l.649-705) -------------------------------------

    def get_config(self, key: str, default: str = "") -> str:
        for layer in (self._sheet_layer, self._directory_layer, self._user_layer):
            found = layer(key)
            if found is not None:
                return expand_env(found, self.env)
        return expand_env(default, self.env)

    def _sheet_layer(self, key: str) -> str | None:
        active = self.active
        if active is not None:
            with contextlib.suppress(ComError):
                own = active.sheets["xlwings.conf"]._config or {}
                if key.upper() in {k.upper() for k in own}:
                    return next(v for k, v in own.items() if k.upper() == key.upper())
        sheet = read_addin_conf(self.addin)  # ThisWorkbook: the add-in's own "xlwings.conf" sheet
        if sheet is not None and key.upper() in sheet:
            return sheet[key.upper()]  # a present key wins even when its value is empty
        return None

    def _directory_layer(self, key: str) -> str | None:
        if self.active is None:
            raise VbaError(91, "Object variable or With block variable not set")  # GetFullName(ActiveWorkbook)
        folder = self.active.path
        if not folder or "://" in folder:
            return None
        return self._read_conf_file(Path(folder) / "xlwings.conf", key)

    def _user_layer(self, key: str) -> str | None:
        return self._read_conf_file(self.home / ".xlwings" / "xlwings.conf", key)

    def _read_conf_file(self, path: Path, key: str) -> str | None:
        if not self._vba_file_exists(str(path)):
            return None
        try:
            return vba_lookup(path.read_bytes(), key)
        except VbaInputError as exc:
            raise VbaError(62, "Input past end of file") from exc

    @staticmethod
    def _vba_file_exists(path: str) -> bool:
        """VBA's GetAttr takes an ANSI path: a name outside the code page is never found."""
        if not _ansi(path):
            return False
        return Path(path).is_file()

    # -- ExecuteWindows (l.226-321) and the Python process -----------------------------------

    def _run_python(self, command: str, wb: Book) -> int:
        if self.asr_blocks_child_processes:
            raise VbaError(70, "Permission denied")
        temp = self.get_config("TEMP DIR", str(self.temp) if _ansi(str(self.temp)) else "?")
        add_dir = self.get_config("ADD_WORKBOOK_TO_PYTHONPATH", "true")
        parts = [add_dir, wb.raw_fullname, str(self.addin)]
        parts += [self.get_config(k) for k in ("ONEDRIVE_CONSUMER_WIN", "ONEDRIVE_COMMERCIAL_WIN", "SHAREPOINT_WIN")]
        parts.append(self.get_config("PYTHONPATH"))
        pythonpath = ";".join(parts).replace("\\", "\\\\")
        source = f'import xlwings.utils;xlwings.utils.prepare_sys_path("{pythonpath}"); {command}'
        argv = ["-c", f"--wb={wb.name}", "--from_xl=1", f"--app={APP_PATH}", f"--hwnd={HWND}"]
        if not Path(temp).is_dir():  # cmd's `2> "<TEMP DIR>\xlwings-….log"` cannot be opened
            code, stderr = 1, "The system cannot find the path specified."
        else:
            code, stderr = self._python_process(source, argv)
        self.exit_codes.append(code)
        if code != 0:  # ShowError(LOG_FILE): ReadFile uses ANSI Open
            if not _ansi(temp) or not Path(temp).is_dir():
                raise VbaError(53, "File not found")
            self.seen.append(Seen("xlwings-popup", stderr, "Error"))
            return -1
        return 0

    def _python_process(self, source: str, argv: list[str]) -> tuple[int, str]:
        saved_argv, saved_path, saved_modules = sys.argv, list(sys.path), sys.modules.get("xlwings")
        err = io.StringIO()
        sys.argv = argv
        sys.modules["xlwings"] = self.xlwings_module()
        code = 0
        try:
            with contextlib.redirect_stderr(err):
                try:
                    exec(compile(source, "<string>", "exec"), {"__name__": "__main__"})
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                    if exc.code not in (None, 0) and not isinstance(exc.code, int):
                        print(exc.code, file=sys.stderr)
                except BaseException:
                    traceback.print_exc()
                    code = 1
        finally:
            sys.argv, sys.path[:] = saved_argv, saved_path
            if saved_modules is not None:
                sys.modules["xlwings"] = saved_modules
        return code, err.getvalue()


PYTHON_CALL = "import xl_addin.buttons as b; b."


def _ansi(text: str) -> bool:
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def vba_message(const: str) -> str:
    """A ``Private Const MSG_…`` of the ribbon module, decoded as ``U()`` does."""
    for path in macros_dir().glob("*.bas"):
        match = re.search(rf'^Private Const {const} As String = "([^"]*)"', path.read_text("ascii"), re.MULTILINE)
        if match:
            return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), match.group(1))
    raise KeyError(const)

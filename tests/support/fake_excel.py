"""A stand-in for xlwings 0.37.8 with Windows Excel behind it, to drive the DDCI buttons end to end.

No Excel runs here, so this models, from the sources, exactly what a click goes through:

* the ribbon Sub's VBA and xlwings' ``RunPython`` (:mod:`tests.support.fake_runpython`), up to the
  command line ``python -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(…); <command>"
  --wb="<ActiveWorkbook.Name>" --from_xl=1 --app=… --hwnd=…`` and "exit code ≠ 0 → the English
  stderr popup";
* the Python side (here): the real ``xlwings.utils.prepare_sys_path`` and ``fullname_url_to_local_path``
  run, and the objects the buttons touch are fakes that behave as xlwings' Windows classes do:
  ``Book.caller()`` parses ``sys.argv`` like ``xlwings.main.Book.caller``; ``Book.fullname``
  maps ``://`` names like ``_xlwindows.Book.fullname``; ``app.books[name]`` raises KeyError;
  ``book.sheets[name]`` raises a COM error; ``data_body_range`` is None for an empty table and
  ``header_row_range`` None when the header row is hidden; numbers come back as floats.

Switches on :class:`FakeExcel` reproduce each failure of issue #12. Everything a clerk would
see (any message box, from any layer) lands in ``FakeExcel.seen``.
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xlwings as real_xlwings
import xlwings.utils as real_utils

from tests.support.fake_runpython import HWND, ComError, RunPythonModel, Seen, vba_message

__all__ = ["ComError", "FakeExcel", "FakeWindll", "Seen", "fake_module", "vba_message"]


# ---------------------------------------------------------------------------------------------
# The object model the buttons use (xlwings' Windows classes)
# ---------------------------------------------------------------------------------------------


class Range:
    """A window on a table's cells; values as xlwings returns them (empty → None, numbers → float)."""

    def __init__(self, grid: list[list[Any]], top: int, left: int, rows: int, cols: int, origin: tuple[int, int]):
        self._grid, self._top, self._left, self._rows, self._cols = grid, top, left, rows, cols
        self.row, self.column = origin  # 1-based sheet position of the first cell
        self._ndim: int | None = None

    def options(self, ndim: int | None = None, **_: Any) -> Range:
        clone = Range(self._grid, self._top, self._left, self._rows, self._cols, (self.row, self.column))
        clone._ndim = ndim
        return clone

    def _cells(self) -> list[list[Any]]:
        return [row[self._left : self._left + self._cols] for row in self._grid[self._top : self._top + self._rows]]

    @property
    def value(self) -> Any:
        cells = self._cells()
        if self._ndim == 2:
            return cells
        if self._ndim == 1 or self._rows == 1 or self._cols == 1:
            flat = [v for row in cells for v in row]
            return flat[0] if self._ndim is None and len(flat) == 1 else flat
        return cells

    @value.setter
    def value(self, new: Any) -> None:
        if self._rows != 1 or self._cols != 1:
            raise NotImplementedError("the buttons write single cells only")
        self._grid[self._top][self._left] = new

    @property
    def columns(self) -> list[Range]:
        return [
            Range(self._grid, self._top, self._left + c, self._rows, 1, (self.row, self.column + c))
            for c in range(self._cols)
        ]

    def __getitem__(self, key: tuple[int, int]) -> Range:
        r, c = key
        if not (0 <= r < self._rows and 0 <= c < self._cols):
            raise IndexError(key)
        return Range(self._grid, self._top + r, self._left + c, 1, 1, (self.row + r, self.column + c))


def _excel_value(value: Any) -> Any:
    if value == "" or value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return float(value)  # Excel keeps every number as a double
    return value


class Table:
    """A ListObject."""

    def __init__(self, name: str, headers: list[str], rows: list[list[Any]], start: tuple[int, int]) -> None:
        self.name = name
        self.show_headers = True
        self._grid = [list(headers), *([_excel_value(v) for v in row] for row in rows)]
        self._start = start  # 0-based (row, col) of the header row

    @property
    def header_row_range(self) -> Range | None:
        if not self.show_headers:
            return None
        return Range(self._grid, 0, 0, 1, len(self._grid[0]), (self._start[0] + 1, self._start[1] + 1))

    @property
    def data_body_range(self) -> Range | None:
        rows = len(self._grid) - 1
        if rows == 0:
            return None
        return Range(self._grid, 1, 0, rows, len(self._grid[0]), (self._start[0] + 2, self._start[1] + 1))

    def body_values(self) -> list[list[Any]]:
        return [list(row) for row in self._grid[1:]]


class Tables:
    def __init__(self, tables: list[Table]) -> None:
        self._tables = tables

    def __iter__(self) -> Iterator[Table]:
        return iter(self._tables)

    def __getitem__(self, name: str) -> Table:
        for table in self._tables:
            if table.name.lower() == name.lower():
                return table
        raise KeyError(name)


class Sheet:
    def __init__(self, name: str, tables: list[Table], config: dict[str, str] | None = None) -> None:
        self.name = name
        self.tables = Tables(tables)
        self._config = config  # the "xlwings.conf" sheet of a user's workbook

    def __getitem__(self, address: str) -> Any:
        if self._config is None or address != "A1:B1":
            raise NotImplementedError(address)
        config = dict(self._config)
        return types.SimpleNamespace(options=lambda *a, **k: types.SimpleNamespace(value=config))


class Sheets:
    def __init__(self, sheets: list[Sheet]) -> None:
        self._sheets = sheets

    def __iter__(self) -> Iterator[Sheet]:
        return iter(self._sheets)

    def __getitem__(self, key: str | int) -> Sheet:
        if isinstance(key, int):
            return self._sheets[key]
        for sheet in self._sheets:
            if sheet.name.lower() == key.lower():
                return sheet
        raise ComError(-2147352567, "Exception occurred.", (0, None, None, None, 0, -2147352565), None)


class Book:
    """A workbook open in the fake Excel; ``raw_fullname`` is COM's ``Workbook.FullName``."""

    def __init__(self, excel: FakeExcel, raw_fullname: str, sheets: list[Sheet] | None = None) -> None:
        self.excel = excel
        self.raw_fullname = raw_fullname
        self.sheets = Sheets(sheets or [Sheet("Sheet1", [])])
        self.closed = False

    @property
    def name(self) -> str:
        return re.split(r"[\\/]", self.raw_fullname)[-1]

    @property
    def path(self) -> str:  # COM Workbook.Path: "" for a workbook never saved
        name = self.raw_fullname
        return name[: -len(self.name) - 1] if ("/" in name or "\\" in name) else ""

    @property
    def api(self) -> Any:
        return types.SimpleNamespace(FullName=self.raw_fullname, Name=self.name, Path=self.path)

    @property
    def app(self) -> App:
        return self.excel.app

    @property
    def fullname(self) -> str:
        """``_xlwindows.Book.fullname``: a ``://`` name is mapped to the synced file, or raises."""
        if "://" in self.raw_fullname:
            config = real_utils.read_config_sheet(self)
            return real_utils.fullname_url_to_local_path(
                url=self.raw_fullname,
                sheet_onedrive_consumer_config=config.get("ONEDRIVE_CONSUMER_WIN"),
                sheet_onedrive_commercial_config=config.get("ONEDRIVE_COMMERCIAL_WIN"),
                sheet_sharepoint_config=config.get("SHAREPOINT_WIN"),
            )
        return self.raw_fullname


class Books:
    def __init__(self, excel: FakeExcel) -> None:
        self._excel = excel

    def __iter__(self) -> Iterator[Book]:
        return iter([b for b in self._excel.books if not b.closed])

    def __getitem__(self, name: str) -> Book:
        for book in self:
            if book.name.lower() == name.lower():
                return book
        raise KeyError(name)  # _xlwindows.Books.__call__ turns the COM error into KeyError(name)

    def open(self, fullname: str) -> Book:
        """``xlwings.main.Books.open``: an open book of the same name is returned, or refused."""
        if self._excel.open_fails:
            raise ComError(-2146827284, "Excel cannot open the file.")
        path = Path(fullname)
        if not path.exists():
            raise FileNotFoundError(f"No such file: '{fullname}'")
        for book in self:
            if book.name.lower() == path.name.lower():
                if Path(book.raw_fullname) != path:
                    raise ValueError(f"Cannot open two workbooks named '{path.name}', even if they are saved in")
                return book
        book = Book(self._excel, str(path))
        self._excel.books.append(book)
        self._excel.opened.append(path)
        return book


class App:
    def __init__(self, excel: FakeExcel) -> None:
        self._excel = excel
        self.books = Books(excel)
        self.hwnd = HWND

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok", mode: str | None = None, **_: Any):
        del buttons, mode  # the buttons only ever show "ok" boxes
        if self._excel.alert_fails:
            raise ComError(-2147418111, "Call was rejected by callee.")
        self._excel.seen.append(Seen("alert", prompt, title or ""))
        return "ok"

    @property
    def status_bar(self) -> str | bool:
        return self._excel.status_bar

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        if self._excel.status_bar_fails:
            raise ComError(-2147418111, "Call was rejected by callee.")
        self._excel.status_bar = value
        self._excel.status_history.append(value)


# ---------------------------------------------------------------------------------------------
# Excel, with the switches for each failure
# ---------------------------------------------------------------------------------------------


@dataclass
class FakeExcel(RunPythonModel):
    """One running Excel with the DDCI add-in loaded, and the user's Windows account around it."""

    addin: Path  # the installed ddci.xlam (its xlwings.conf sheet is read like GetConfig does)
    home: Path  # %USERPROFILE%
    temp: Path  # %TEMP%
    env: dict[str, str] = field(default_factory=dict)
    books: list[Book] = field(default_factory=list)
    active: Book | None = None
    protected_view: bool = False  # the active window is a Protected View window
    running: bool = True  # xw.apps.active finds this Excel
    alert_fails: bool = False  # app.alert raises (a COM call rejected)
    status_bar_fails: bool = False
    open_fails: bool = False  # app.books.open raises
    caller_hwnd_dead: bool = False  # the --hwnd= window is gone: Book.caller() raises OSError
    asr_blocks_child_processes: bool = False  # Defender ASR: WScript.Run("cmd.exe …") → error 70
    messagebox_fails: bool = False  # no Windows message box either (no desktop)
    seen: list[Seen] = field(default_factory=list)
    status_bar: str | bool = False
    status_history: list[str | bool] = field(default_factory=list)
    opened: list[Path] = field(default_factory=list)
    shell_opened: list[Path] = field(default_factory=list)
    exit_codes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.app = App(self)

    def xlwings_module(self) -> types.ModuleType:
        return fake_module(self)

    # -- workbooks -------------------------------------------------------------------------

    def open_master(self, master: Path, *, as_url: str | None = None, hide_headers: str | None = None) -> Book:
        """Open a real master.xlsx: its Excel Tables become ListObjects (read with calamine)."""
        import python_calamine as pc

        wb = pc.CalamineWorkbook.from_path(str(master), load_tables=True)
        by_sheet: dict[str, list[Table]] = {}
        for name in wb.table_names:
            t = wb.get_table_by_name(name)
            table = Table(t.name, list(t.columns), [list(r) for r in t.to_python()], tuple(t.start))
            table.show_headers = t.name != hide_headers
            by_sheet.setdefault(t.sheet, []).append(table)
        sheets = [Sheet(name, by_sheet.get(name, [])) for name in wb.sheet_names]
        wb.close()
        return self.add_book(as_url or str(master), sheets)

    def add_book(self, raw_fullname: str, sheets: list[Sheet] | None = None) -> Book:
        book = Book(self, raw_fullname, sheets)
        self.books.append(book)
        self.active = book
        return book

    def messages(self) -> list[str]:
        return [s.text for s in self.seen]

    # -- the Windows side the Python code reaches -------------------------------------------

    def message_box_w(self, hwnd: int, text: str, title: str, flags: int) -> int:
        if self.messagebox_fails:
            raise OSError("no interactive desktop")
        self.seen.append(Seen("messagebox", text, title))
        return 1

    def startfile(self, path: str) -> None:
        self.shell_opened.append(Path(path))


def fake_module(excel: FakeExcel) -> types.ModuleType:
    """The ``xlwings`` module as the buttons see it inside Excel's Python process."""
    module = types.ModuleType("xlwings")
    module.__version__ = real_xlwings.__version__
    module.XlwingsError = real_xlwings.XlwingsError
    module.utils = real_utils

    class BookAPI:
        @staticmethod
        def caller() -> Book:  # xlwings.main.Book.caller, Windows branch
            wb, from_xl, hwnd = None, None, None
            for arg in sys.argv:
                if arg.startswith("--wb="):
                    wb = arg.split("=")[1].strip()
                elif arg.startswith("--from_xl"):
                    from_xl = arg.split("=")[1].strip()
                elif arg.startswith("--hwnd"):
                    hwnd = arg.split("=")[1].strip()
            if from_xl == "1":
                if int(str(hwnd)) != HWND or excel.caller_hwnd_dead or not excel.running:
                    raise OSError("[WinError -2147467259] Unspecified error")  # AccessibleObjectFromWindow
                return excel.app.books[str(wb).lower()]
            raise Exception(
                "Book.caller() must not be called directly. Call through Excel "
                "or set a mock caller first with Book.set_mock_caller()."
            )

    class Apps:
        @property
        def active(self) -> App | None:
            return excel.app if excel.running else None

    module.Book = BookAPI
    module.apps = Apps()
    return module


class FakeWindll:
    """``ctypes.windll`` with the one call the buttons make (``user32.MessageBoxW``)."""

    def __init__(self, excel: FakeExcel) -> None:
        self.user32 = types.SimpleNamespace(MessageBoxW=excel.message_box_w)

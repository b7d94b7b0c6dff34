"""The workbook port: what an action needs from "the master workbook", live or on disk.

Actions never import xlwings or openpyxl to reach the master; they talk to a port.
``FilePort`` (here) reads the file with calamine and is used by the CLI and the
tests; ``XlwingsPort`` (``excel.xlwings_port``) reads the open workbook in Excel so
unsaved edits are respected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from xl_addin.core.model import Plan
from xl_addin.files.workspace import Workspace
from xl_addin.plan import schema as S
from xl_addin.plan.reader import plan_from_tables
from xl_addin.plan.tables import TableData, open_tables

ProgressFn = Callable[[str, int, int], None]  # (message without counts, done, total); total 0 = unknown


def progress_text(message: str, done: int = 0, total: int = 0) -> str:
    """``Đang kiểm tra tệp 12/40…``: the one way every front end shows progress."""
    message = message.rstrip(" .…")
    return f"{message} {done}/{total}…" if total else f"{message}…"


def no_progress(message: str, done: int = 0, total: int = 0) -> None:
    """Progress sink for quiet runs."""


class WorkbookPort(Protocol):
    """The master workbook as an action sees it."""

    workspace: Workspace

    def tables(self) -> dict[str, TableData]: ...

    def write_summary(self, values: dict[str, str]) -> bool: ...

    def progress(self, message: str, done: int = 0, total: int = 0) -> None: ...


def load_plan(port: WorkbookPort) -> Plan:
    return plan_from_tables(port.tables())


_FRAGILE_PARTS = (
    "xl/drawings/",
    "xl/charts/",
    "xl/media/",
    "xl/pivot",
    "xl/slicer",
    "xl/vbaProject",
    "xl/externalLinks/",
    "xl/embeddings/",
)


def _safe_to_rewrite(path: Path) -> bool:
    import zipfile

    folder = path.parent
    if (folder / f"~${path.name}").exists() or (folder / f".~lock.{path.name}#").exists():
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return not any(name.startswith(_FRAGILE_PARTS) for name in zf.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


class FilePort:
    """The master workbook on disk (CLI, tests, scheduled runs)."""

    def __init__(self, root: Path, progress: ProgressFn | None = None) -> None:
        self.workspace = Workspace(Path(root))
        self._progress = progress or no_progress

    def tables(self) -> dict[str, TableData]:
        self.workspace.require()
        return open_tables(self.workspace.master)

    def write_summary(self, values: dict[str, str]) -> bool:
        """Update the dashboard's TomTat table on disk, when that is safe; returns whether it was written.

        openpyxl rewrites the whole file and drops drawings, charts, images and pivot tables a
        clerk may have added, so a master holding any of those is left untouched, and so is one
        that is open in Excel or LibreOffice (their lock file is present): nothing is lost. The
        cells are rewritten in place (``files.cell_patch``, no openpyxl); a workbook in a form
        that does not handle goes through openpyxl.
        """
        from xl_addin.files.cell_patch import set_table_values

        path = self.workspace.master
        if not _safe_to_rewrite(path):
            return False
        try:
            if set_table_values(path, S.TABLE_SUMMARY, values):
                return True
        except PermissionError:
            return False
        except Exception:  # zipfile, XML or python-calamine's own errors: the openpyxl path below decides
            pass
        return self._write_summary_openpyxl(values)

    def _write_summary_openpyxl(self, values: dict[str, str]) -> bool:
        from openpyxl import load_workbook

        from xl_addin.files.atomic import atomic_write
        from xl_addin.files.cell_text import write_text_cell

        path = self.workspace.master
        try:
            wb = load_workbook(path)
        except (OSError, KeyError, ValueError):
            return False
        ws = next((w for w in wb.worksheets if S.TABLE_SUMMARY in w.tables), None)
        if ws is None:
            return False
        table = ws.tables[S.TABLE_SUMMARY]
        first, last = table.ref.split(":")
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        col_letter, top = coordinate_from_string(first)
        _, bottom = coordinate_from_string(last)
        left = column_index_from_string(col_letter)
        rows = {ws.cell(row=r, column=left).value: r for r in range(top + 1, bottom + 1)}
        for key, value in values.items():
            row = rows.get(key)
            if row is not None:
                write_text_cell(ws.cell(row=row, column=left + 1), str(value))
        try:
            with atomic_write(path) as tmp:
                wb.save(tmp)
        except PermissionError:
            return False
        return True

    def progress(self, message: str, done: int = 0, total: int = 0) -> None:
        self._progress(message, done, total)

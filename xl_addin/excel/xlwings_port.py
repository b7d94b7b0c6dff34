"""The workbook port for live Excel: an xlwings ``Book`` handed in by ``buttons`` (which imports xlwings on a click).

Reads the Excel Tables of the open master workbook (so unsaved edits count),
writes the dashboard summary into it, and shows progress in Excel's status bar.
Kept small on purpose: everything else is the same code the CLI runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from xl_addin.core.errors import WorkspaceError
from xl_addin.core.vnformat import nfc
from xl_addin.files.workspace import MASTER_NAME, Workspace
from xl_addin.plan import schema as S
from xl_addin.plan.reader import TableData


def workspace_of(fullname: str) -> Workspace:
    """The workspace of an open master workbook, with a clear message for web (OneDrive) paths."""
    if fullname.lower().startswith(("http://", "https://")):
        raise WorkspaceError(
            "Bảng tính đang mở trực tiếp từ OneDrive/SharePoint (đường dẫn web). Hãy mở tệp master.xlsx từ thư mục "
            "OneDrive đã đồng bộ trên máy (File Explorer), rồi bấm lại nút."
        )
    path = Path(fullname)
    if path.name.lower() != MASTER_NAME:
        raise WorkspaceError(
            f"Bảng tính đang mở là “{path.name}”, không phải bảng tính chính {MASTER_NAME}. Hãy mở tệp {MASTER_NAME} "
            "trong thư mục làm việc rồi bấm lại nút."
        )
    return Workspace(path.parent)


def _values(rng: Any) -> list[list[Any]]:
    value = rng.options(ndim=2).value if rng is not None else []
    return [[nfc(v) if isinstance(v, str) else ("" if v is None else v) for v in row] for row in value or []]


class XlwingsPort:
    """The master workbook open in Excel."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.workspace = workspace_of(book.fullname)

    def tables(self) -> dict[str, TableData]:
        out = {}
        for sheet in self.book.sheets:
            for table in sheet.tables:
                header = table.header_row_range
                body = table.data_body_range
                out[table.name] = TableData(
                    table.name,
                    nfc(sheet.name),
                    [nfc(str(h or "")) for h in _values(header)[0]],
                    _values(body),
                    header.row,
                    header.column - 1,  # 1-based header row = 0-based first data row
                )
        return out

    def write_summary(self, values: dict[str, str]) -> bool:
        for sheet in self.book.sheets:
            for table in sheet.tables:
                if table.name != S.TABLE_SUMMARY or table.data_body_range is None:
                    continue
                keys = table.data_body_range.columns[0].options(ndim=1).value
                for key, value in values.items():
                    if key in keys:
                        table.data_body_range[keys.index(key), 1].value = str(value)
                return True
        return False

    def progress(self, message: str, done: int = 0, total: int = 0) -> None:
        from xl_addin.excel.ports import progress_text

        self.book.app.status_bar = progress_text(message, done, total)

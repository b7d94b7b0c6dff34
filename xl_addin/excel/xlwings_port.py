"""The workbook port for live Excel: an xlwings ``Book`` handed in by ``buttons`` (which imports xlwings on a click).

Reads the Excel Tables of the open master workbook (so unsaved edits count),
writes the dashboard summary into it, and shows progress in Excel's status bar.
Kept small on purpose: everything else is the same code the CLI runs.

OneDrive/SharePoint with AutoSave: Excel names the workbook by its web address. xlwings maps
that to the synced file itself (``Book.fullname`` → ``xlwings.utils.fullname_url_to_local_path``,
using the ``ONEDRIVE_*_WIN``/``SHAREPOINT_WIN`` settings, the OneDrive environment variables
and the sync client's registry keys); when it cannot, it raises (``XlwingsError``, or
``UnboundLocalError`` for a SharePoint address with none of those), and the clerk gets the
address and what to do instead.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from xl_addin.core.errors import WorkspaceError
from xl_addin.core.vnformat import nfc
from xl_addin.files.workspace import MASTER_NAME, Workspace
from xl_addin.plan import schema as S
from xl_addin.plan.tables import TableData

CLOUD_HELP = (
    "Hãy đồng bộ thư mục đó về máy (OneDrive: bấm chuột phải vào thư mục → “Luôn giữ trên thiết bị này”; "
    "SharePoint: nút “Đồng bộ”/Sync trên trang thư viện), mở master.xlsx từ thư mục đồng bộ trong File Explorer, "
    "rồi bấm lại nút. Nếu thư mục đồng bộ nằm ở chỗ khác thường, nhờ CNTT ghi đường dẫn của nó vào "
    "%USERPROFILE%\\.xlwings\\xlwings.conf (dòng ONEDRIVE_COMMERCIAL_WIN, ONEDRIVE_CONSUMER_WIN hoặc SHAREPOINT_WIN)."
)


def _address(book: Any) -> str:
    try:
        return str(book.api.FullName)
    except Exception:
        return str(getattr(book, "name", "?"))


def local_path_of_url(url: str) -> str:
    """The synced local file of a OneDrive/SharePoint address, found by xlwings' own function."""
    from xlwings.utils import fullname_url_to_local_path

    # lru_cache'd per process: a click is a new process, but a UDF server or a test is not.
    find = getattr(fullname_url_to_local_path, "__wrapped__", fullname_url_to_local_path)
    try:
        return str(find(url))
    except Exception as exc:  # XlwingsError, UnboundLocalError (SharePoint without settings), OSError
        raise WorkspaceError(
            f"Bảng tính đang mở từ OneDrive/SharePoint ({url}) nhưng không tìm thấy bản đồng bộ trên máy. {CLOUD_HELP}"
        ) from exc


def book_path(book: Any) -> str:
    """The local path of an open workbook ("Book1" for one never saved)."""
    try:
        name = str(book.fullname)
    except Exception as exc:
        address = _address(book)
        if "://" not in address:
            raise
        raise WorkspaceError(
            f"Bảng tính đang mở từ OneDrive/SharePoint ({address}) nhưng không tìm thấy bản đồng bộ trên máy. "
            f"{CLOUD_HELP}"
        ) from exc
    return local_path_of_url(name) if "://" in name else name


def workspace_of(fullname: str) -> Workspace:
    """The workspace of an open master workbook (a local path), with a clear message otherwise."""
    if "://" in fullname:
        return workspace_of(local_path_of_url(fullname))
    path = Path(fullname)
    if "/" not in fullname and "\\" not in fullname:
        raise WorkspaceError(
            f"Bảng tính đang mở “{fullname}” chưa được lưu thành tệp. Hãy mở tệp {MASTER_NAME} trong thư mục làm việc "
            "rồi bấm lại nút."
        )
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
        self.workspace = workspace_of(book_path(book))

    def tables(self) -> dict[str, TableData]:
        out = {}
        for sheet in self.book.sheets:
            for table in sheet.tables:
                header = table.header_row_range
                if header is None:
                    raise WorkspaceError(
                        f"Bảng {table.name} trên trang “{nfc(sheet.name)}” đang ẩn dòng tiêu đề nên không đọc được. "
                        "Chọn một ô trong bảng, vào thẻ Table Design (Thiết kế Bảng), đánh dấu Header Row (Hàng "
                        "Tiêu đề), rồi bấm lại nút."
                    )
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

        with contextlib.suppress(Exception):  # a busy status bar must not stop the work
            self.book.app.status_bar = progress_text(message, done, total)

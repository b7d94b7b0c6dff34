"""The verdict on one inbox entry, and the Vietnamese messages that explain it.

A verdict is what the intake does with a file (read, skip, reject, or defer to the next
run when it is still being written), why (a stable
``Rule``) and what the sender should do (a Vietnamese message). The inspectors
(``intake.safety``, ``intake.zipcheck``, ``intake.ole``) raise :class:`Verdict` the
moment they know; ``inspect_file`` turns it into a :class:`FileCheck`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from xl_addin.core.contracts import Rule
from xl_addin.core.vnformat import fmt_number

__all__ = ["FileAction", "FileCheck", "Verdict", "defer", "reject"]


class FileAction(StrEnum):
    """What the intake does with an inbox entry."""

    READ = "read"
    SKIP = "skip"
    REJECT = "reject"
    DEFER = "defer"  # still being written: a warning, left for the next run


READ, SKIP, REJECT, DEFER = FileAction.READ, FileAction.SKIP, FileAction.REJECT, FileAction.DEFER

# --- Vietnamese messages ---------------------------------------------------------------------

MSG_LOCK = "Tệp khoá tạm của Excel/LibreOffice (~$…): bỏ qua. Tệp này tự mất khi đóng bảng tính."
MSG_HIDDEN = "Tệp ẩn hoặc tệp tạm (đang tải/lưu dở): bỏ qua. Nếu đây là báo cáo, hãy đổi tên cho đúng đuôi .xlsx."
MSG_NOT_A_FILE = (
    "Không phải tệp thông thường (thư mục, lối tắt hỏng hoặc thiết bị): bỏ qua. "
    "Nếu đây là báo cáo, hãy đặt trực tiếp tệp .xlsx vào thư mục nop/."
)
MSG_EMPTY = "Tệp rỗng (0 byte): tệp chưa tải xong hoặc bị lỗi khi gửi. Hãy tải lại tệp hoặc đề nghị đơn vị gửi lại."
MSG_COPYING = (
    "Tệp vẫn đang được sao chép hoặc đang được ghi (kích thước/thời điểm sửa vẫn thay đổi sau khi đã chờ): "
    "lần này chưa đọc, tệp được để lại cho lần chạy sau. Hãy chạy lại khi sao chép xong."
)
MSG_LOCKED = (
    "Không mở được tệp để đọc (tệp đang được sao chép, đang mở bằng chương trình khác hoặc "
    "không có quyền đọc): lần này chưa đọc. Hãy đóng tệp hoặc đợi sao chép xong rồi chạy lại."
)
MSG_PASSWORD = (
    "Tệp có mật khẩu nên không đọc được: hãy mở tệp bằng Excel, bỏ mật khẩu "
    "(File > Info > Protect Workbook > Encrypt with Password, xoá trống mật khẩu, bấm OK) "
    "rồi lưu và gửi lại tệp không có mật khẩu."
)
MSG_PASSWORD_ODS = (
    "Tệp LibreOffice (.ods) có mật khẩu nên không đọc được: hãy mở tệp bằng LibreOffice Calc (nhập mật khẩu), "
    "chọn File > Save As, bỏ chọn 'Save with password', lưu dạng 'Excel 2007-365 (.xlsx)' rồi gửi lại."
)
MSG_LEGACY_XLS = (
    "Tệp định dạng Excel 97-2003 (.xls): vẫn đọc được dữ liệu, nhưng nên mở bằng Excel và "
    "Lưu thành (File > Save As) 'Excel Workbook (*.xlsx)' cho các lần gửi sau."
)
MSG_MACRO = (
    "Tệp có macro (VBA): chỉ đọc dữ liệu, macro không bao giờ được chạy. Nên lưu thành "
    "'Excel Workbook (*.xlsx)' (không macro) trước khi gửi."
)
MSG_CORRUPT = (
    "Tệp bị hỏng hoặc chưa tải xong (cấu trúc nén không đọc được): hãy tải lại tệp hoặc "
    "đề nghị đơn vị gửi lại; nếu vẫn lỗi, đơn vị mở tệp gốc bằng Excel, Lưu thành .xlsx mới rồi gửi."
)
MSG_NOT_EXCEL = (
    "Không phải tệp Excel (.xlsx): hãy mở tệp bằng Excel, chọn File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_HTML = (
    "Không phải tệp Excel (.xlsx): đây là trang web (HTML) được đặt đuôi Excel, thường do phần mềm "
    "xuất báo cáo tạo ra. Hãy mở tệp bằng Excel, chọn File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_XML2003 = (
    "Không phải tệp Excel (.xlsx): đây là bảng tính XML 2003. Hãy mở bằng Excel, chọn "
    "File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_OLD_EXCEL = (
    "Tệp Excel đời rất cũ (Excel 2.x–4.0, trước năm 1995): chương trình không đọc được định dạng này. "
    "Hãy mở tệp bằng Excel hoặc LibreOffice Calc, chọn File > Save As > 'Excel Workbook (*.xlsx)' rồi gửi lại."
)
MSG_DAMAGED = (
    "Tệp bị hỏng (cấu trúc bên trong không đọc được): hãy tải lại tệp hoặc đề nghị đơn vị gửi lại; "
    "nếu vẫn lỗi, đơn vị mở tệp gốc bằng Excel, Lưu thành 'Excel Workbook (*.xlsx)' mới rồi gửi."
)
MSG_PDF = "Không phải tệp Excel (.xlsx): đây là tệp PDF. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_WORD = "Không phải tệp Excel (.xlsx): đây là tệp Word. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_PPT = "Không phải tệp Excel (.xlsx): đây là tệp PowerPoint. Hãy đề nghị đơn vị gửi tệp Excel (.xlsx) theo biểu mẫu."
MSG_ZIP_ENCRYPTED = (
    "Không phải tệp Excel (.xlsx): đây là tệp nén (ZIP) có đặt mật khẩu. Hãy giải nén, "
    "lấy tệp .xlsx bên trong và gửi riêng tệp đó."
)
MSG_ZIP_METHOD = (
    "Không phải tệp Excel (.xlsx) hợp lệ: tệp được nén theo kiểu Excel không dùng. "
    "Hãy mở tệp gốc bằng Excel, Lưu thành .xlsx rồi gửi lại."
)
MSG_DTD = (
    "Tệp chứa khai báo DTD/thực thể XML (<!DOCTYPE>/<!ENTITY>) — Excel không bao giờ tạo ra nội dung này, "
    "tệp có thể độc hại nên không được mở. Hãy đề nghị đơn vị mở tệp gốc bằng Excel, Lưu thành "
    "'Excel Workbook (*.xlsx)' mới rồi gửi lại; nếu tệp không do đơn vị tạo, báo cho bộ phận CNTT."
)


def msg_bomb(detail: str) -> str:
    return (
        f"Tệp nén bất thường ({detail}): có thể là tệp độc hại kiểu “bom nén”, không được mở. "
        "Hãy đề nghị đơn vị mở tệp gốc bằng Excel, xoá các dòng/cột trống thừa, Lưu thành .xlsx "
        "mới rồi gửi lại; nếu tệp không do đơn vị tạo, báo cho bộ phận CNTT."
    )


def msg_unreadable(what: str, *, opening: bool = True) -> str:
    """A reader failed on the file (``what``: the exception's name, for the IT staff)."""
    return (
        f"Không đọc được {'tệp' if opening else 'nội dung tệp'} ({what}): tệp bị hỏng hoặc có nội dung chương "
        "trình không hiểu được. Hãy mở tệp bằng Excel, Lưu thành 'Excel Workbook (*.xlsx)' rồi gửi lại."
    )


MSG_READER_STOPPED = (
    "Không đọc được tệp: chương trình đọc bảng tính dừng đột ngột khi mở tệp này (tệp hỏng hoặc định dạng lạ); "
    "các tệp khác vẫn được kiểm tra. Hãy mở tệp bằng Excel, Lưu thành 'Excel Workbook (*.xlsx)' rồi gửi lại."
)


def msg_too_large_memory(limit: int | None = None) -> str:
    over = f" (vượt giới hạn {mb(limit)})" if limit else ""
    return (
        f"Tệp cần quá nhiều bộ nhớ để đọc{over}, thường do trang tính khai báo vùng dữ liệu rất lớn hoặc có "
        "rất nhiều dòng/cột trống thừa: không đọc tệp này, các tệp khác vẫn được kiểm tra. Hãy mở bằng Excel, "
        "xoá các dòng/cột trống thừa, Lưu thành 'Excel Workbook (*.xlsx)' mới rồi gửi lại."
    )


def msg_too_slow(seconds: float) -> str:
    return (
        f"Đọc tệp quá {fmt_number(seconds)} giây nên đã dừng: không đọc tệp này, các tệp khác vẫn được kiểm tra. "
        "Hãy mở bằng Excel, xoá các dòng/cột trống thừa, Lưu thành 'Excel Workbook (*.xlsx)' mới rồi gửi lại."
    )


def mb(n: int) -> str:
    return f"{fmt_number(n / 2**20)} MB"


@dataclass(frozen=True)
class FileCheck:
    """What the intake should do with one inbox entry, and why (Vietnamese message)."""

    path: Path
    action: FileAction
    kind: str  # "xlsx", "xlsm", "xlsb", "xls", "ole-encrypted", "ods", "html", "directory", ...
    rule: Rule | None = None
    message: str | None = None
    warnings: tuple[tuple[Rule, str], ...] = ()

    @property
    def ok(self) -> bool:
        return self.action == READ


class Verdict(Exception):
    """Raised by an inspector: stop inspecting and return this result."""

    def __init__(self, action: FileAction, kind: str, rule: Rule | None, message: str | None) -> None:
        super().__init__(rule or action)
        self.action, self.kind, self.rule, self.message = action, kind, rule, message


def reject(kind: str, rule: Rule, message: str) -> Verdict:
    return Verdict(REJECT, kind, rule, message)


def defer(kind: str, message: str) -> Verdict:
    """A file still being written: not read this time, a warning, read again on the next run."""
    return Verdict(DEFER, kind, Rule.STILL_COPYING, message)

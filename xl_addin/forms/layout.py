"""The unit template's layout and hidden identity: the contract between writer and reader.

A template carries, in a very hidden sheet, who it is for (unit, period), which
template version made it and a fingerprint of the pre-filled task rows (a short
hash per row), so intake recognises a file whatever its name and can say which
task rows were deleted, inserted, reordered or edited. Readers find the header row
by its header names, never by a fixed cell address.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from xl_addin.core.vnformat import nfc

TEMPLATE_VERSION = "1"

# Visible sheets. A per-unit workbook has INFO_SHEET + PROGRESS_SHEET; the shared
# workbook has INFO_SHEET + one progress sheet per unit, named by unit code.
INFO_SHEET = "Thông tin"
PROGRESS_SHEET = "Tiến độ"
IDENTITY_SHEET = "_ddci"  # very hidden

COL_CODE = "Mã nhiệm vụ"
COL_TEXT = "Nội dung nhiệm vụ"
COL_ROLE = "Vai trò"
COL_STATUS = "Trạng thái"
COL_PERCENT = "Tỷ lệ hoàn thành (%)"
COL_RESULT = "Kết quả thực hiện"
COL_DIFFICULTY = "Khó khăn, vướng mắc"
COL_PROPOSAL = "Đề xuất, kiến nghị"
COL_DONE_DATE = "Ngày hoàn thành"

PROGRESS_COLUMNS = (
    COL_CODE,
    COL_TEXT,
    COL_ROLE,
    COL_STATUS,
    COL_PERCENT,
    COL_RESULT,
    COL_DIFFICULTY,
    COL_PROPOSAL,
    COL_DONE_DATE,
)
PREFILLED_COLUMNS = (COL_CODE, COL_TEXT, COL_ROLE)
INPUT_COLUMNS = (COL_STATUS, COL_PERCENT, COL_RESULT, COL_DIFFICULTY, COL_PROPOSAL, COL_DONE_DATE)

ROLE_LABELS = {"lead": "Chủ trì", "support": "Phối hợp"}

STATUS_NOT_STARTED = "Chưa triển khai"
STATUS_IN_PROGRESS = "Đang triển khai"
STATUS_DONE = "Hoàn thành"
STATUS_DONE_LATE = "Hoàn thành quá hạn"
STATUS_RECURRING = "Thường xuyên"
STATUSES = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE, STATUS_DONE_LATE, STATUS_RECURRING)
DONE_STATUSES = (STATUS_DONE, STATUS_DONE_LATE)

# Labels of the reporter fields (searched by label, in the info sheet or above the header row).
LABEL_PERIOD = "Kỳ báo cáo"
LABEL_UNIT = "Đơn vị"
LABEL_REPORTER = "Người báo cáo"
LABEL_PHONE = "Số điện thoại"

# Columns of the identity table in the hidden sheet (one row per progress sheet).
IDENTITY_COLUMNS = ("sheet", "unit", "period", "version", "fingerprint", "rows")
HEADER_SEARCH_ROWS = 30  # the header row is looked for in this many first rows
MAX_DATA_ROWS = 2_000  # rows read below the header at most; more is junk (bounded work)

INSTRUCTIONS = (
    "Cách điền báo cáo:",
    "1. Nhập họ tên và số điện thoại người báo cáo.",
    f"2. Ở trang “{PROGRESS_SHEET}”, với mỗi nhiệm vụ chọn “{COL_STATUS}” trong danh sách, nhập “{COL_PERCENT}” "
    "(số từ 0 đến 100, không gõ dấu %), “Kết quả thực hiện” bằng câu đầy đủ.",
    f"3. Nhiệm vụ “{STATUS_DONE}” phải có tỷ lệ 100 và có kết quả thực hiện; nhập “{COL_DONE_DATE}” dạng "
    "ngày/tháng/năm.",
    "4. Không thêm, xóa, đổi thứ tự hay sửa nội dung các dòng nhiệm vụ; không đổi tên trang.",
    "5. Lưu tệp dạng .xlsx (Excel, LibreOffice hoặc WPS đều được) và gửi về Văn phòng Sở trước hạn nộp.",
)


def row_hash(code: str, text: str, role: str) -> str:
    """8 hex digits of sha256 over one pre-filled row (NFC, trimmed)."""
    payload = "\x1f".join(nfc(str(v)).strip() for v in (code, text, role))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:8]


def encode_rows(rows: list[tuple[str, str, str]]) -> str:
    """``4.1:1a2b3c4d;4.2:…``: the per-row hashes stored in the identity."""
    return ";".join(f"{code}:{row_hash(code, text, role)}" for code, text, role in rows)


def decode_rows(value: str) -> list[tuple[str, str]]:
    out = []
    for part in (value or "").split(";"):
        code, sep, digest = part.rpartition(":")
        if sep:
            out.append((code, digest))
    return out


def fingerprint(rows: list[tuple[str, str, str]]) -> str:
    """16 hex digits over the whole pre-filled block, order included."""
    return hashlib.sha256(encode_rows(rows).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class TemplateRow:
    """One pre-filled task row of a template."""

    code: str
    text: str
    role: str  # the label, "Chủ trì" / "Phối hợp"


def template_rows(plan, unit_code: str) -> list[TemplateRow]:
    """The rows a unit's template carries, in plan order (lead and support tasks)."""
    return [TemplateRow(t.code, t.text, ROLE_LABELS[role]) for t, role in plan.tasks_for(unit_code)]


def template_file_name(unit_code: str, period_code: str) -> str:
    return f"bao_cao_{unit_code}_{period_code}.xlsx"

"""The master workbook's layout as code: sheets, Excel Table names, headers, validation.

This is the one place that maps Vietnamese headers to fields. Readers and writers
look up columns by header name inside named Excel Tables, never by cell address, so
a clerk may move a table, reorder columns or add years without breaking anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xl_addin.core.contracts import Group, ReportKind

# Table name → sheet title. Table names are ASCII (Excel requires it; scripts rely on them).
SHEET_DASHBOARD = "Bảng điều khiển"
TABLE_SUMMARY = "TomTat"
TABLE_SETTINGS = "CauHinh"
TABLE_UNITS = "DonVi"
TABLE_INDICATORS = "ChiSo"
TABLE_OVERALL = "KetQuaChung"
TABLE_TASKS = "NhiemVu"
TABLE_PERIODS = "KyBaoCao"
TABLE_PARAGRAPHS = "NoiDungBoSung"

SHEETS = {
    TABLE_SUMMARY: SHEET_DASHBOARD,
    TABLE_SETTINGS: "Cấu hình",
    TABLE_UNITS: "Đơn vị",
    TABLE_INDICATORS: "Chỉ số",
    TABLE_OVERALL: "Kết quả chung",
    TABLE_TASKS: "Nhiệm vụ",
    TABLE_PERIODS: "Kỳ báo cáo",
    TABLE_PARAGRAPHS: "Nội dung bổ sung",
}

ALL_UNITS_LABEL = "Tất cả"
YES, NO = "Có", "Không"
UNIT_EMAIL = "Email"  # the DonVi column the email drafts are addressed from
TASK_CARRIED_OVER = "Chuyển tiếp"  # the NhiemVu column ``ddci new-year`` fills


@dataclass(frozen=True)
class Column:
    """A column of a master table: header, what it holds, and the help shown on entry."""

    header: str
    kind: str = "text"  # text | int | float | date | bool | choice | percent | longtext
    required: bool = False
    width: float = 14
    help: str = ""
    choices: tuple[str, ...] = field(default=())
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Setting:
    """One row of the CauHinh table: its label, the field it fills, and its type."""

    label: str
    key: str
    kind: str = "text"  # text | int | float | date | lines | percent
    required: bool = False
    help: str = ""


SETTINGS_COLUMNS = (
    Column("Thiết lập", required=True, width=40),
    Column("Giá trị", width=70, help="Nhập giá trị; ô để trống nghĩa là dùng mặc định."),
    Column("Ghi chú", width=50),
)

SETTINGS = (
    Setting("Cơ quan chủ quản", "parent_agency", required=True, help="Dòng trên của tiêu đề, VD: UBND TỈNH LẠNG SƠN"),
    Setting("Cơ quan ban hành", "issuing_agency", required=True, help="Chữ in hoa, VD: SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
    Setting("Tên cơ quan trong văn bản", "name", required=True, help="VD: Sở Tài nguyên và Môi trường"),
    Setting("Cách gọi tắt", "short_name", required=True, help="Cách văn bản tự gọi mình, VD: Sở"),
    Setting("Chữ viết tắt trong số, ký hiệu", "abbreviation", required=True, help="VD: STNMT → Số: 05/BC-STNMT"),
    Setting("Địa danh", "place", required=True, help="VD: Lạng Sơn"),
    Setting(
        "Kính gửi (nơi nhận Báo cáo)", "province_committee", required=True, help="VD: Ủy ban nhân dân tỉnh Lạng Sơn"
    ),
    Setting("Quyền hạn ký", "signer_authority", help="Để trống nếu Giám đốc ký; VD: KT. GIÁM ĐỐC"),
    Setting("Chức vụ người ký", "signer_title", required=True, help="VD: GIÁM ĐỐC hoặc PHÓ GIÁM ĐỐC"),
    Setting("Họ tên người ký", "signer_name", required=True),
    Setting("Đơn vị soạn thảo (Lưu: VT, …)", "drafting_unit", required=True, help="VD: VP"),
    Setting("Nơi nhận Kế hoạch", "recipients_plan", "lines", help="Mỗi nơi nhận một dòng (Alt+Enter)"),
    Setting(
        "Nơi nhận Báo cáo", "recipients_report", "lines", help="Mỗi nơi nhận một dòng; “Như trên” được thêm tự động"
    ),
    Setting("Năm kế hoạch", "plan_year", "int", required=True),
    Setting("Năm gốc so sánh", "base_year", "int", help="Để trống: lấy hai năm cuối có số liệu"),
    Setting("Năm đánh giá", "compare_year", "int", help="Để trống: lấy năm cuối có số liệu"),
    Setting(
        "Tỷ lệ nhóm cuối",
        "bottom_share",
        "percent",
        required=True,
        help="Nhóm cuối là ⌈n × tỷ lệ⌉ vị trí cuối; 20% của 25 đơn vị là hạng 21–25",
    ),
    Setting("Khối xếp hạng", "block_name", required=True, help="VD: các Sở, ban, ngành (SBN)"),
    Setting("Khối xếp hạng (viết tắt)", "block_short", required=True, help="VD: các SBN"),
    Setting("Số Kế hoạch", "plan_number", "int", help="Để trống nếu chưa lấy số"),
    Setting("Ngày Kế hoạch", "plan_date", "date", help="Để trống để ghi tay khi ký"),
    Setting("Căn cứ Kế hoạch", "plan_basis", required=True),
    Setting("Kết quả DDCI được công bố", "plan_context", required=True),
    Setting("Hạn xây dựng kế hoạch chi tiết", "detail_plan_deadline", "date"),
    Setting(
        "Kỳ báo cáo hiện tại",
        "current_period",
        required=True,
        help="Mã kỳ: 2024-03 (tháng), 2024-Q1 (quý), 2024-H1 (6 tháng), 2024 (năm)",
    ),
    Setting("Số ngày nộp sau ngày chốt số liệu", "submission_grace_days", "int", required=True),
    Setting("Căn cứ Báo cáo", "report_basis", required=True),
    Setting("Đơn vị đầu mối tổng hợp", "focal_unit", required=True, help="Mã đơn vị, VD: VP"),
)

AGENCY_KEYS = (
    "parent_agency",
    "issuing_agency",
    "name",
    "short_name",
    "abbreviation",
    "place",
    "province_committee",
    "signer_authority",
    "signer_title",
    "signer_name",
    "drafting_unit",
    "recipients_plan",
    "recipients_report",
)

UNIT_COLUMNS = (
    Column("Mã đơn vị", required=True, width=12, help="Mã ngắn, không dấu, không trùng, VD: VP"),
    Column("Tên đơn vị", required=True, width=48),
    Column("Chức danh người đứng đầu", required=True, width=44, help="VD: Chánh Văn phòng Sở"),
    Column("Báo cáo định kỳ", "bool", width=14, choices=(YES, NO), help="Có: đơn vị phải nộp báo cáo mỗi kỳ"),
    Column(
        UNIT_EMAIL,
        width=34,
        help="Địa chỉ thư điện tử nhận biểu mẫu, VD: vanphong@stnmt.example.org; nhiều địa chỉ cách nhau bởi dấu “;”",
    ),
)

INDICATOR_FIXED_COLUMNS = (
    Column("Mã", required=True, width=7, help="Số thứ tự chỉ số, không trùng"),
    Column("Chỉ số", required=True, width=36),
    Column("Lãnh đạo chủ trì", required=True, width=22, help="Họ tên, VD: Nguyễn Ngọc Thiều"),
    Column("Chức vụ lãnh đạo", required=True, width=18, help="VD: Giám đốc Sở"),
    Column("Hạn chế", "longtext", width=60, help="Những hạn chế chính được chỉ ra"),
)
INDICATOR_TAIL_COLUMNS = (
    Column(
        "Nhóm",
        "choice",
        width=12,
        choices=tuple(g.label for g in Group),
        help="Để trống: tự tính (phát huy khi điểm và hạng cùng tăng, ngoài nhóm cuối)",
    ),
    Column("Đánh giá chung", "longtext", width=60, help="Để trống: dùng đánh giá tự động"),
)
YEAR_COLUMN_RE = re.compile(r"^(Điểm|Hạng|Số đơn vị) (\d{4})$")


def year_columns(year: int) -> tuple[Column, ...]:
    """The three columns an indicator has per DDCI year."""
    return (
        Column(f"Điểm {year}", "float", width=10, minimum=0, maximum=100, help="Điểm số, VD: 7,63"),
        Column(f"Hạng {year}", "int", width=9, minimum=1, maximum=1000, help="Thứ hạng, VD: 16"),
        Column(f"Số đơn vị {year}", "int", width=11, minimum=1, maximum=1000, help="Số đơn vị được xếp hạng, VD: 25"),
    )


def indicator_columns(years: list[int]) -> tuple[Column, ...]:
    cols = list(INDICATOR_FIXED_COLUMNS)
    for year in years:
        cols += year_columns(year)
    return tuple(cols + list(INDICATOR_TAIL_COLUMNS))


OVERALL_COLUMNS = (
    Column("Năm", "int", required=True, width=8, minimum=2000, maximum=2100),
    Column("Điểm", "float", width=10, minimum=0, maximum=100),
    Column("Hạng", "int", width=8, minimum=1, maximum=1000),
    Column("Số đơn vị", "int", width=11, minimum=1, maximum=1000),
)

TASK_COLUMNS = (
    Column("Mã nhiệm vụ", required=True, width=10, help="VD: 4.1 (chỉ số 4, giải pháp 1)"),
    Column("Mã chỉ số", required=True, width=9),
    Column("Nội dung nhiệm vụ", "longtext", required=True, width=70),
    Column("Đơn vị chủ trì", required=True, width=14, help=f"Mã đơn vị, hoặc “{ALL_UNITS_LABEL}”"),
    Column("Đơn vị phối hợp", width=16, help=f"Các mã đơn vị cách nhau bởi dấu phẩy, hoặc “{ALL_UNITS_LABEL}”"),
    Column("Báo cáo về", width=24),
    Column("Tần suất", width=12),
    Column("Thời hạn", "date", width=12, help="Ngày phải xong; để trống nếu thường xuyên"),
    Column(
        "Phân công (trình bày)",
        "longtext",
        width=50,
        help="Dòng in nghiêng trong Kế hoạch; để trống để tự tạo từ đơn vị chủ trì, phối hợp",
    ),
    Column(
        TASK_CARRIED_OVER,
        "bool",
        width=11,
        choices=(YES, NO),
        help="Có: nhiệm vụ năm trước chưa hoàn thành, chuyển sang năm nay (do “Năm mới” điền)",
    ),
)

PERIOD_COLUMNS = (
    Column("Mã kỳ", required=True, width=10),
    Column("Tên kỳ", required=True, width=24),
    Column("Từ ngày", "date", required=True, width=12, help="Ngày đầu của thời gian chốt số liệu"),
    Column("Đến ngày", "date", required=True, width=12, help="Ngày chốt số liệu (NĐ 09/2019: ngày 14)"),
    Column("Hạn nộp", "date", required=True, width=12, help="Các đơn vị nộp báo cáo chậm nhất ngày này"),
)

# The office's own paragraphs (NoiDungBoSung): which document, which mục (``ReportKind.sections``),
# in which order. Where each mục's paragraphs go is the Word template's (README).
PARAGRAPH_COLUMNS = (
    Column(
        "Văn bản",
        "choice",
        required=True,
        width=12,
        choices=tuple(k.label for k in ReportKind),
        help="Văn bản in đoạn này: Kế hoạch hoặc Báo cáo",
    ),
    Column(
        "Mục",
        "choice",
        required=True,
        width=7,
        choices=ReportKind.REPORT.sections,
        help="Số La Mã của mục. Kế hoạch: I–IV (mục IV: sau khoản 2); Báo cáo: I–V (cuối mục)",
    ),
    Column("Thứ tự", "int", width=8, minimum=1, maximum=1000, help="Các đoạn cùng mục in theo thứ tự này"),
    Column(
        "Nội dung",
        "longtext",
        required=True,
        width=100,
        help="In nguyên văn, mỗi ô một đoạn; đoạn gạch đầu dòng bắt đầu bằng “- ”",
    ),
)

SUMMARY_COLUMNS = (
    Column("Mục", width=34),
    Column("Giá trị", width=60),
)

SUMMARY_KEYS = (
    "Kỳ báo cáo hiện tại",
    "Đã nộp",
    "Nộp muộn",
    "Chưa nộp",
    "Tệp có lỗi",
    "Lần chạy gần nhất",
    "Kết quả gần nhất",
)

WORKFLOW_STEPS = (
    "1. Tạo biểu mẫu: sinh tệp Excel cho từng phòng, đơn vị (thư mục bieu_mau).",
    "2. Gửi biểu mẫu: thư nháp kèm tệp cho từng đơn vị (thư mục gui_di); nhận tệp về, chép vào thư mục nop.",
    "3. Kiểm tra: liệt kê mọi lỗi; tệp trả lại có ô tô màu ở thư mục tra_lai. Nhắc nộp: thư nhắc, thư trả lại.",
    "4. Tổng hợp: bảng tổng hợp tiến độ ở thư mục bao_cao.",
    "5. Xuất Báo cáo / Kế hoạch: văn bản Word đúng thể thức Nghị định 30/2020/NĐ-CP.",
    "Đầu năm: Năm mới tạo thư mục làm việc cho Kế hoạch năm sau (chỉ số lùi một năm, nhiệm vụ chuyển tiếp).",
)

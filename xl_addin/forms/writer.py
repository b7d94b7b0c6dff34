"""Write the pre-filled, protected report templates sent to each division (phòng, đơn vị).

The layout (sheet names, header names, statuses, the hidden identity table) is the
contract in ``forms.layout``; this module only draws it with openpyxl, as a
plain .xlsx without macros so Excel, LibreOffice and WPS all open it.

Protection: the sheets and the workbook structure are protected with the password
``ddci`` (``PROTECTION_PASSWORD``). It is printed in no instruction but it is not a
secret either: it only prevents accidental edits of the pre-filled task rows and
accidental renaming or deleting of sheets. Intake never trusts it; it re-checks
every row against the fingerprint kept in the very hidden identity sheet.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.errors import DdciError
from xl_addin.core.model import Period, Plan
from xl_addin.core.vnformat import short_date
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import write_text_cell
from xl_addin.files.xlsx_style import (
    BODY_FONT,
    CENTER_TOP,
    DATE_FORMAT,
    GRID,
    HEADER_ALIGN,
    HEADER_FILL,
    HEADER_FONT,
    INPUT_FILL,
    LABEL_FONT,
    SUBTITLE_FONT,
    TITLE_FONT,
    WRAP_TOP,
    a4,
    put,
    row_height,
)
from xl_addin.forms import layout as L

PROTECTION_PASSWORD = "ddci"  # accident prevention only, see the module docstring
SHARED_FILE_NAME = "bieu_mau_chung.xlsx"

UNLOCKED = Protection(locked=False)
LOCKED = Protection(locked=True)

# Column widths (in Excel character units) that fit Vietnamese text in Times New Roman 12.
# The first column is wide enough for the "Người báo cáo" label of the shared template.
COLUMN_WIDTHS = {
    L.COL_CODE: 16,
    L.COL_TEXT: 50,
    L.COL_ROLE: 11,
    L.COL_STATUS: 19,
    L.COL_PERCENT: 12,
    L.COL_RESULT: 42,
    L.COL_DIFFICULTY: 28,
    L.COL_PROPOSAL: 28,
    L.COL_DONE_DATE: 14,
}

PROMPTS = {
    L.COL_STATUS: ("Trạng thái", "Chọn một trạng thái trong danh sách: " + ", ".join(L.STATUSES) + "."),
    L.COL_PERCENT: ("Tỷ lệ hoàn thành", "Nhập số từ 0 đến 100, không gõ dấu %"),
    L.COL_RESULT: ("Kết quả thực hiện", "Ghi kết quả bằng câu đầy đủ: đã làm gì, số lượng, thời gian."),
    L.COL_DIFFICULTY: ("Khó khăn, vướng mắc", "Ghi khó khăn, vướng mắc (nếu có); để trống nếu không có."),
    L.COL_PROPOSAL: ("Đề xuất, kiến nghị", "Ghi đề xuất, kiến nghị (nếu có); để trống nếu không có."),
    L.COL_DONE_DATE: (
        "Ngày hoàn thành",
        "Nhập ngày dạng ngày/tháng/năm, VD: 14/03/2024. Chỉ nhập khi đã hoàn thành.",
    ),
}
INPUT_NOTE = "Ô tô màu vàng là ô cần nhập; các ô khác được khóa để tránh sửa nhầm."
DATE_MIN, DATE_MAX = 36526, 73050  # 01/01/2000 .. 31/12/2099 as Excel serials

ProgressCallback = Callable[[str, int, int], None]


def _title(plan: Plan) -> str:
    return f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH NÂNG CAO CHỈ SỐ DDCI NĂM {plan.settings.plan_year}"


def _period_text(period: Period) -> str:
    return f"{period.name} ({period.code})"


def _put(ws: Worksheet, row: int, col: int, value: object, font: Font = BODY_FONT) -> None:
    """Write one cell: strings always as inert text, so they never become formulas."""
    put(ws.cell(row=row, column=col), value, font)


def _input_cell(ws: Worksheet, row: int, col: int, *, text: bool = True) -> None:
    """An empty, unlocked, shaded cell for the division to type into."""
    cell = ws.cell(row=row, column=col)
    cell.font = BODY_FONT
    cell.fill = INPUT_FILL
    cell.protection = UNLOCKED
    cell.border = GRID
    if text:
        cell.number_format = "@"  # a phone number keeps its leading 0


def _label_with_input(ws: Worksheet, row: int, label: str) -> None:
    _put(ws, row, 1, label, LABEL_FONT)
    _input_cell(ws, row, 2)


def _merged_line(ws: Worksheet, row: int, text: str, last_col: int, width: float, font: Font = BODY_FONT) -> None:
    """A wrapped line over several columns; merged cells never auto-fit, so size the row here."""
    _put(ws, row, 1, text, font)
    ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    if last_col > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_col)
    ws.row_dimensions[row].height = row_height([(text, width)], point_size=font.size or 12)


def _page_setup(ws: Worksheet, *, landscape: bool) -> None:
    a4(ws, landscape=landscape)
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_options.horizontalCentered = True


def _protect(ws: Worksheet) -> None:
    """Lock the sheet against accidents; resizing rows and columns stays allowed."""
    ws.protection.sheet = True
    ws.protection.password = PROTECTION_PASSWORD
    ws.protection.formatColumns = False  # False = allowed
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _info_sheet(
    ws: Worksheet, plan: Plan, period: Period, unit_name: str | None, extra_lines: Sequence[str] = ()
) -> None:
    """The "Thông tin" sheet: who, which period, deadline, reporter fields and instructions."""
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    _merged_line(ws, 1, _title(plan), 2, 92, TITLE_FONT)
    _merged_line(ws, 2, plan.agency.name, 2, 92, SUBTITLE_FONT)
    row = 4
    _put(ws, row, 1, L.LABEL_PERIOD, LABEL_FONT)
    _put(ws, row, 2, _period_text(period))
    row += 1
    if unit_name is not None:
        _put(ws, row, 1, L.LABEL_UNIT, LABEL_FONT)
        _put(ws, row, 2, unit_name)
        row += 1
    _put(ws, row, 1, "Hạn nộp", LABEL_FONT)
    _put(ws, row, 2, short_date(period.deadline))
    row += 1
    if unit_name is not None:
        _label_with_input(ws, row, L.LABEL_REPORTER)
        _label_with_input(ws, row + 1, L.LABEL_PHONE)
        row += 2
    row += 1
    for i, line in enumerate((*L.INSTRUCTIONS, *extra_lines, INPUT_NOTE)):
        _merged_line(ws, row + i, line, 2, 92, LABEL_FONT if i == 0 else BODY_FONT)
    _page_setup(ws, landscape=False)
    ws.sheet_view.showGridLines = False
    _protect(ws)


def _progress_block(ws: Worksheet, rows: Sequence[L.TemplateRow], header_row: int) -> None:
    """Header row with exactly ``PROGRESS_COLUMNS`` and one row per task, plus validations."""
    for j, name in enumerate(L.PROGRESS_COLUMNS, start=1):
        _put(ws, header_row, j, name, HEADER_FONT)
        cell = ws.cell(row=header_row, column=j)
        cell.alignment = HEADER_ALIGN
        cell.fill = HEADER_FILL
        cell.border = GRID
        ws.column_dimensions[get_column_letter(j)].width = COLUMN_WIDTHS[name]
    ws.row_dimensions[header_row].height = row_height([(n, COLUMN_WIDTHS[n]) for n in L.PROGRESS_COLUMNS])
    col = {name: j for j, name in enumerate(L.PROGRESS_COLUMNS, start=1)}
    for i, trow in enumerate(rows, start=1):
        r = header_row + i
        for name, value in ((L.COL_CODE, trow.code), (L.COL_TEXT, trow.text), (L.COL_ROLE, trow.role)):
            _put(ws, r, col[name], value)
            cell = ws.cell(row=r, column=col[name])
            cell.alignment = WRAP_TOP if name == L.COL_TEXT else CENTER_TOP
            cell.border = GRID
            cell.protection = LOCKED
        # Room for the pre-filled text, and at least three lines for the division's answer.
        ws.row_dimensions[r].height = row_height(
            [(trow.text, COLUMN_WIDTHS[L.COL_TEXT]), (trow.code, COLUMN_WIDTHS[L.COL_CODE])], min_lines=3
        )
        for name in L.INPUT_COLUMNS:
            _input_cell(ws, r, col[name], text=name not in (L.COL_PERCENT, L.COL_DONE_DATE))
            cell = ws.cell(row=r, column=col[name])
            cell.alignment = WRAP_TOP if name not in (L.COL_PERCENT, L.COL_DONE_DATE, L.COL_STATUS) else CENTER_TOP
            if name == L.COL_DONE_DATE:
                cell.number_format = DATE_FORMAT
            elif name == L.COL_PERCENT:
                cell.number_format = "General"
    if rows:
        _add_validations(ws, col, header_row + 1, header_row + len(rows))
    last = header_row + max(len(rows), 1)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(len(L.PROGRESS_COLUMNS))}{last}"
    _page_setup(ws, landscape=True)


def _add_validations(ws: Worksheet, col: dict[str, int], first: int, last: int) -> None:
    def area(name: str) -> str:
        letter = get_column_letter(col[name])
        return f"{letter}{first}:{letter}{last}"

    status = DataValidation(type="list", formula1='"' + ",".join(L.STATUSES) + '"', allow_blank=True)
    status.error = "Chọn một trạng thái trong danh sách: " + ", ".join(L.STATUSES) + "."
    percent = DataValidation(type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True)
    percent.error = "Nhập số từ 0 đến 100, không gõ dấu %."
    done = DataValidation(
        type="date", operator="between", formula1=str(DATE_MIN), formula2=str(DATE_MAX), allow_blank=True
    )
    done.error = "Nhập ngày dạng ngày/tháng/năm, VD: 14/03/2024."
    specs: list[tuple[str, DataValidation]] = [
        (L.COL_STATUS, status),
        (L.COL_PERCENT, percent),
        (L.COL_DONE_DATE, done),
    ]
    for name in (L.COL_RESULT, L.COL_DIFFICULTY, L.COL_PROPOSAL):
        specs.append((name, DataValidation(allow_blank=True)))  # "any value": only shows the input message
    for name, dv in specs:
        title, prompt = PROMPTS[name]
        dv.promptTitle = title[:32]
        dv.prompt = prompt[:255]
        dv.showInputMessage = True
        if dv.type:
            dv.errorTitle = "Giá trị không hợp lệ"
            dv.showErrorMessage = True
        dv.add(area(name))
        ws.add_data_validation(dv)


def _identity_sheet(wb: Workbook, entries: Sequence[tuple[str, str, str, list[L.TemplateRow]]]) -> None:
    """The very hidden ``_ddci`` sheet: one identity row per progress sheet (sheet, unit, period, …)."""
    ws = wb.create_sheet(L.IDENTITY_SHEET)
    for j, name in enumerate(L.IDENTITY_COLUMNS, start=1):
        write_text_cell(ws.cell(row=1, column=j), name)
    for i, (sheet, unit, period_code, rows) in enumerate(entries, start=2):
        triples = [(r.code, r.text, r.role) for r in rows]
        encoded = L.encode_rows(triples)
        if len(encoded) > 32_767:
            raise DdciError(
                f"Đơn vị {unit} có quá nhiều nhiệm vụ ({len(rows)}) để ghi vào một biểu mẫu; hãy chia nhỏ kế hoạch."
            )
        values = (sheet, unit, period_code, L.TEMPLATE_VERSION, L.fingerprint(triples), encoded)
        for j, value in enumerate(values, start=1):
            write_text_cell(ws.cell(row=i, column=j), value)
    ws.sheet_state = "veryHidden"
    _protect(ws)


def _protect_workbook(wb: Workbook) -> None:
    wb.security = WorkbookProtection(workbookPassword=PROTECTION_PASSWORD, lockStructure=True)


def _check_unit(plan: Plan, unit_code: str) -> str:
    unit = plan.unit(unit_code)
    if unit is None:
        raise DdciError(f"Không có đơn vị mã “{unit_code}” trong bảng Đơn vị của bảng tính chính.")
    return unit.name


def _properties(wb: Workbook, plan: Plan, period: Period, subject: str) -> None:
    wb.properties.title = f"Báo cáo DDCI {period.code} - {subject}"
    wb.properties.creator = "xl_addin"
    wb.properties.subject = plan.agency.name


def build_unit_template(plan: Plan, unit_code: str, period: Period) -> Workbook:
    """The per-unit template as an unsaved Workbook (Thông tin, Tiến độ, very hidden _ddci)."""
    unit_name = _check_unit(plan, unit_code)
    rows = L.template_rows(plan, unit_code)
    wb = Workbook()
    info = wb.active
    info.title = L.INFO_SHEET
    _info_sheet(info, plan, period, unit_name)
    ws = wb.create_sheet(L.PROGRESS_SHEET)
    _merged_line(ws, 1, _title(plan), len(L.PROGRESS_COLUMNS), 150, TITLE_FONT)
    _merged_line(ws, 2, f"{unit_name} - {L.LABEL_PERIOD.lower()} {_period_text(period)}", 5, 100, SUBTITLE_FONT)
    _progress_block(ws, rows, header_row=4)
    _protect(ws)
    _identity_sheet(wb, [(L.PROGRESS_SHEET, unit_code, period.code, rows)])
    _protect_workbook(wb)
    wb.active = 0
    _properties(wb, plan, period, unit_name)
    return wb


def write_unit_template(plan: Plan, unit_code: str, period: Period, path: Path) -> Path:
    """Write one division's template atomically; returns ``path``."""
    wb = build_unit_template(plan, unit_code, period)
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


_BAD_SHEET_CHARS = set("[]:*?/\\")


def _check_sheet_names(codes: Sequence[str]) -> None:
    reserved = {L.INFO_SHEET.casefold(), L.IDENTITY_SHEET.casefold()}
    seen: set[str] = set()
    for code in codes:
        key = code.casefold()
        if (
            not code
            or len(code) > 31
            or _BAD_SHEET_CHARS & set(code)
            or code[0] == "'"
            or code[-1] == "'"
            or key in reserved
            or key in seen
        ):
            raise DdciError(
                f"Mã đơn vị “{code}” không dùng được làm tên trang tính (tối đa 31 ký tự, không chứa "
                "[ ] : * ? / \\, không trùng nhau); hãy sửa mã trong bảng Đơn vị."
            )
        seen.add(key)


def build_shared_template(plan: Plan, period: Period) -> Workbook:
    """One workbook for all divisions: Thông tin + one progress sheet per reporting unit."""
    codes = plan.reporting_unit_codes
    if not codes:
        raise DdciError("Bảng Đơn vị không có đơn vị nào phải báo cáo.")
    _check_sheet_names(codes)
    wb = Workbook()
    info = wb.active
    info.title = L.INFO_SHEET
    unit_lines = [
        "Mỗi đơn vị điền vào trang tính mang mã của mình (họ tên, số điện thoại ở đầu trang):",
        *(f"   • {code}: {_check_unit(plan, code)}" for code in codes),
    ]
    _info_sheet(info, plan, period, None, unit_lines)
    entries = []
    for code in codes:
        name = _check_unit(plan, code)
        rows = L.template_rows(plan, code)
        ws = wb.create_sheet(code)
        _merged_line(
            ws,
            1,
            f"{_title(plan)} - {_period_text(period).upper()}",
            len(L.PROGRESS_COLUMNS),
            150,
            TITLE_FONT,
        )
        _put(ws, 2, 1, L.LABEL_UNIT, LABEL_FONT)
        _put(ws, 2, 2, name)
        _label_with_input(ws, 3, L.LABEL_REPORTER)
        _label_with_input(ws, 4, L.LABEL_PHONE)
        _progress_block(ws, rows, header_row=6)
        _protect(ws)
        entries.append((code, code, period.code, rows))
    _identity_sheet(wb, entries)
    _protect_workbook(wb)
    wb.active = 0
    _properties(wb, plan, period, "biểu mẫu chung")
    return wb


def write_shared_template(plan: Plan, period: Period, path: Path) -> Path:
    """Write the shared (all-divisions) template atomically; returns ``path``."""
    wb = build_shared_template(plan, period)
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def write_templates(
    plan: Plan,
    period: Period,
    out_dir: Path,
    *,
    shared: bool = False,
    progress: ProgressCallback | None = None,
) -> list[Path]:
    """Write the templates of ``period`` into ``out_dir``: one per reporting unit, or the shared one."""
    out_dir = Path(out_dir)
    if shared:
        if progress:
            progress("Đang tạo biểu mẫu chung", 0, 1)
        path = write_shared_template(plan, period, out_dir / SHARED_FILE_NAME)
        if progress:
            progress("Đã tạo biểu mẫu chung.", 1, 1)
        return [path]
    codes = plan.reporting_unit_codes
    total = len(codes)
    paths = []
    for i, code in enumerate(codes, start=1):
        if progress:
            progress(f"Đang tạo biểu mẫu {code}", i, total)
        paths.append(write_unit_template(plan, code, period, out_dir / L.template_file_name(code, period.code)))
    if progress:
        progress(f"Đã tạo {total} biểu mẫu.", total, total)
    return paths

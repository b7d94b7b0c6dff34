"""The rules that look at one sheet alone: identity, structure and every typed value.

Pure, and picklable: :class:`SheetRules` is bound to one run's plan, period, day and
history, and may run where each file is read (``read_inbox(check=rules)``), in one
process or two; ``intake.validate`` then adds the rules that compare files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from xl_addin.core.cells import FORMULA_ERRORS, column_letter
from xl_addin.core.contracts import Finding, Rule, Severity
from xl_addin.core.model import Period, Plan
from xl_addin.core.submissions import InboxFile, RawRow, ReportRow, SheetSubmission
from xl_addin.core.vnformat import fmt_number, short_date
from xl_addin.forms import layout as L
from xl_addin.intake.cell_values import clean, read_date, read_percent, read_text

__all__ = ["History", "SheetCheck", "SheetRules"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_clean = clean

History = dict[tuple[str, str], tuple[str, float | None, str]]  # (unit, task) → (status, percent, period)


class _PlanIndex:
    """Lookups built once per run instead of once per sheet.

    ``plan.tasks_for`` asks every task for its role of every unit, so calling it per
    sheet made validation quadratic in the number of units (6.4 s for 1,000 units,
    now linear); ``plan.unit`` and ``plan.unit_codes`` scan the unit list on each call.
    """

    def __init__(self, plan: Plan) -> None:
        self.units: dict[str, Any] = {}
        for unit in plan.units:
            self.units.setdefault(unit.code, unit)  # plan.unit() returns the first match
        self.rows: dict[str, list[L.TemplateRow]] = {}
        codes = plan.reporting_unit_codes
        for task in plan.tasks:  # plan order, as plan.tasks_for
            # One immutable row per (task, role), shared by every unit with that role: 1,000 units
            # made 30,000 equal rows (50–90 ms), in the main process before any file is read.
            shared = {role: L.TemplateRow(task.code, task.text, label) for role, label in L.ROLE_LABELS.items()}
            for code, role in task.units(codes).items():
                self.rows.setdefault(code, []).append(shared[role])
        self._hashes: dict[tuple[str, str, str], str] = {}
        self._expected: dict[str, list[tuple[str, str]]] = {}

    def template_rows(self, unit: str) -> list[L.TemplateRow]:
        """``L.template_rows(plan, unit)``, precomputed."""
        return self.rows.get(unit, [])

    def row_hash(self, code: str, text: str, role: str) -> str:
        """``L.row_hash``, memoised for the run: most units share most task rows."""
        key = (code, text, role)
        digest = self._hashes.get(key)
        if digest is None:
            digest = self._hashes[key] = L.row_hash(code, text, role)
        return digest

    def expected(self, unit: str) -> list[tuple[str, str]]:
        """(task code, row hash) of the unit's template rows as the plan stands now."""
        found = self._expected.get(unit)
        if found is None:
            found = self._expected[unit] = [
                (r.code, self.row_hash(r.code, r.text, r.role)) for r in self.template_rows(unit)
            ]
        return found


class _Collector:
    def __init__(self, file: InboxFile, sub: SheetSubmission | None = None) -> None:
        self.file, self.sub = file, sub
        self.items: list[Finding] = []

    def add(self, severity: Severity, rule: Rule, message: str, cell: str = "") -> None:
        sub = self.sub
        self.items.append(
            Finding(
                self.file.label,
                sub.unit if sub else "",
                sub.sheet if sub else "",
                cell,
                severity,
                rule,
                message,
            )
        )


@dataclass
class SheetCheck:
    """The per-sheet half of validation for one sheet: what the rules found and the rows they read.

    ``candidate`` is False for a sheet that is not a report (the header is there, nothing
    is filled in); its findings then say so only when the file holds that one sheet.
    """

    findings: list[Finding]
    rows: list[ReportRow]
    candidate: bool


class SheetRules:
    """Every rule that looks at one sheet alone, bound to one run's plan, period, day and history.

    The rules that compare sheets (one submission per unit, missing, late) need them all
    and stay in :func:`validate`; these need one file only, so ``read_inbox(check=rules)``
    applies them in the process that read the file. A reading process then sends back the
    checks instead of the raw rows (a third of the bytes, and no task text), and checking
    is shared between the processes like reading (``benchmarks/README.md``). The object is
    picklable and sent once to each reading process.
    """

    def __init__(
        self, plan: Plan, period: Period, *, today: dt.date | None = None, history: History | None = None
    ) -> None:
        self.plan, self.period = plan, period
        self.today = today or dt.date.today()
        self.history = history or {}
        self.index = _PlanIndex(plan)
        self.key = secrets.token_hex(8)  # marks the files these rules checked

    def check(self, file: InboxFile) -> list[SheetCheck]:
        """One :class:`SheetCheck` per sheet of ``file``, in order; ``file`` is not changed."""
        out = []
        for sub in file.sheets:
            c = _Collector(file, sub)
            if sub.header_row >= 0 and not _has_input(sub):
                # A blank sheet is not a report: in a shared workbook the unit simply has not filled
                # its sheet yet; a blank single-unit file is worth a word to the clerk.
                if len(file.sheets) == 1:
                    c.add(
                        WARNING,
                        Rule.EMPTY_REPORT,
                        "Tệp chưa điền nội dung nào (trạng thái, tỷ lệ, kết quả đều trống) nên được coi như chưa "
                        "nộp; hãy đề nghị đơn vị điền và gửi lại.",
                    )
                out.append(SheetCheck(c.items, [], False))
                continue
            rows = _check_sheet(self.plan, self.period, sub, c, self.today, self.history, self.index)
            out.append(SheetCheck(c.items, rows, True))
        return out

    def __call__(self, file: InboxFile) -> None:
        """Check ``file`` where it was read, keep the checks on it and release its raw rows.

        :func:`validate` needs only the checks afterwards; dropping the rows keeps the trip
        back from a reading process small.
        """
        file.checks = self.check(file)
        file.checked_by = self.key
        for sub in file.sheets:
            sub.rows = []

    def checks_for(self, file: InboxFile) -> list[SheetCheck]:
        if file.checked_by == self.key:
            return file.checks
        if file.checked_by:
            raise ValueError(f"{file.label} was checked by other rules, and its rows were released")
        return self.check(file)


def _has_input(sub: SheetSubmission) -> bool:
    return any(_clean(raw.values.get(col)) for raw in sub.rows for col in L.INPUT_COLUMNS)


def _check_sheet(
    plan: Plan,
    period: Period,
    sub: SheetSubmission,
    c: _Collector,
    today: dt.date,
    history: History,
    index: _PlanIndex | None = None,
) -> list[ReportRow]:
    index = index or _PlanIndex(plan)
    unit = index.units.get(sub.unit)
    if unit is None:
        c.add(
            ERROR,
            Rule.UNKNOWN_UNIT,
            f"Biểu mẫu ghi mã đơn vị “{sub.unit}” không có trong danh sách đơn vị; hãy dùng biểu mẫu mới nhất "
            "do Văn phòng Sở gửi.",
        )
        return []
    if sub.period != period.code:
        other = plan.period(sub.period)
        c.add(
            ERROR,
            Rule.WRONG_PERIOD,
            f"Tệp là báo cáo {other.name if other else sub.period}, không phải {period.name}; hãy điền vào biểu "
            f"mẫu của {period.name}.",
        )
        return []
    if sub.version != L.TEMPLATE_VERSION:
        c.add(
            WARNING,
            Rule.TEMPLATE_VERSION,
            f"Biểu mẫu phiên bản “{sub.version or '?'}” đã cũ (hiện hành: {L.TEMPLATE_VERSION}); lần sau hãy dùng "
            "biểu mẫu mới.",
        )
    if hashlib.sha256(sub.identity_rows.encode("utf-8")).hexdigest()[:16] != sub.fingerprint:
        c.add(
            ERROR,
            Rule.IDENTITY_TAMPERED,
            "Thông tin nhận dạng trong trang ẩn của biểu mẫu bị sửa; hãy dùng lại tệp biểu mẫu gốc.",
        )
        return []
    if sub.header_row < 0 or any(col not in sub.columns for col in L.PROGRESS_COLUMNS):
        missing = [col for col in L.PROGRESS_COLUMNS if col not in sub.columns]
        c.add(
            ERROR,
            Rule.HEADER_MISSING,
            f"Không tìm thấy đủ tiêu đề cột ({', '.join(missing)}) ở trang “{sub.sheet}”; không đổi tên hay xóa "
            "cột của biểu mẫu.",
        )
        return []
    if sub.junk_rows:
        c.add(
            WARNING,
            Rule.JUNK_ROWS,
            f"Trang có thêm khoảng {sub.junk_rows:,} dòng dữ liệu thừa bên dưới bảng; chỉ đọc "
            f"{L.MAX_DATA_ROWS:,} dòng đầu. Hãy xóa các dòng thừa.".replace(",", "."),
        )
    for ref, value in sorted(sub.error_cells.items()):
        c.add(
            ERROR, Rule.FORMULA_ERROR, f"Ô có giá trị lỗi công thức {value}; hãy sửa công thức hoặc nhập giá trị.", ref
        )
    expected_now = index.expected(sub.unit)
    expected = L.decode_rows(sub.identity_rows)
    if expected != expected_now:
        c.add(
            WARNING,
            Rule.PLAN_CHANGED,
            "Danh sách nhiệm vụ trong Kế hoạch đã thay đổi sau khi gửi biểu mẫu này; lần sau hãy dùng biểu mẫu mới.",
        )
    if not _check_structure(sub, expected, c, index.row_hash):
        return []
    return _check_values(plan, period, sub, c, today, history, index)


def _row_key(sub: SheetSubmission, row: RawRow, row_hash=L.row_hash) -> tuple[str, str]:
    code = _clean(row.values.get(L.COL_CODE))
    return code, row_hash(code, _clean(row.values.get(L.COL_TEXT)), _clean(row.values.get(L.COL_ROLE)))


def _check_structure(sub: SheetSubmission, expected: list[tuple[str, str]], c: _Collector, row_hash=L.row_hash) -> bool:
    """Compare the task rows with the fingerprinted ones; say which rows moved."""
    ok = True
    actual = [(row, *_row_key(sub, row, row_hash)) for row in sub.rows]
    expected_codes = [code for code, _ in expected]
    expected_hash = dict(expected)
    actual_codes = [code for _, code, _ in actual]
    present = set(actual_codes)
    for code in expected_codes:
        if code not in present:
            ok = False
            c.add(
                ERROR,
                Rule.ROW_DELETED,
                f"Dòng nhiệm vụ {code} đã bị xóa khỏi biểu mẫu; hãy dùng lại biểu mẫu gốc và điền lại dòng này.",
            )
    seen: set[str] = set()
    for row, code, digest in actual:
        if code not in expected_hash or code in seen:
            ok = False
            what = f"“{code}”" if code else "không có mã"
            c.add(
                ERROR,
                Rule.ROW_INSERTED,
                f"Dòng {row.row + 1} ({what}) không có trong biểu mẫu gốc; không thêm dòng nhiệm vụ, hãy ghi nội "
                "dung bổ sung vào cột “Kết quả thực hiện” của nhiệm vụ liên quan.",
                sub.cell(row.row, L.COL_CODE),
            )
        elif digest != expected_hash[code]:
            ok = False
            c.add(
                ERROR,
                Rule.ROW_EDITED,
                f"Nội dung hoặc vai trò của nhiệm vụ {code} (dòng {row.row + 1}) đã bị sửa so với biểu mẫu gốc; "
                "hãy trả lại nội dung gốc.",
                sub.cell(row.row, L.COL_TEXT),
            )
        seen.add(code)
    common = [code for code in actual_codes if code in expected_hash]
    common_set = set(common)
    order = [code for code in expected_codes if code in common_set]
    if common == order:
        return ok
    moved = [
        f"{code} (dòng {row.row + 1})"
        for (row, code, _), want in zip([a for a in actual if a[1] in expected_hash], order, strict=False)
        if code != want
    ]
    c.add(
        ERROR,
        Rule.ROWS_REORDERED,
        f"Thứ tự các dòng nhiệm vụ đã bị thay đổi: {', '.join(moved)}; hãy sắp xếp lại theo mã nhiệm vụ như "
        "biểu mẫu gốc.",
        sub.cell(sub.header_row + 1, L.COL_CODE),
    )
    return False


def _check_values(
    plan: Plan,
    period: Period,
    sub: SheetSubmission,
    c: _Collector,
    today: dt.date,
    history: History,
    index: _PlanIndex | None = None,
) -> list[ReportRow]:
    rows = []
    plan_start = plan.settings.plan_date or dt.date(plan.settings.plan_year, 1, 1)
    rows_now = index.template_rows(sub.unit) if index else L.template_rows(plan, sub.unit)
    role_by_code = {r.code: r.role for r in rows_now}
    letters = {col: column_letter(j) for col, j in sub.columns.items()}  # sub.cell(), without the per-call work
    items = c.items
    # Column names and lookups bound once: this loop runs for every task row of every file.
    COL_CODE, COL_STATUS, COL_PERCENT, COL_DONE_DATE = L.COL_CODE, L.COL_STATUS, L.COL_PERCENT, L.COL_DONE_DATE
    COL_RESULT, COL_DIFFICULTY, COL_PROPOSAL = L.COL_RESULT, L.COL_DIFFICULTY, L.COL_PROPOSAL
    STATUSES, DONE_STATUSES = L.STATUSES, L.DONE_STATUSES
    unit, period_code, file_label, sheet = sub.unit, period.code, sub.file_label, sub.sheet
    for raw in sub.rows:
        before = len(items)
        v = raw.values
        code = _clean(v.get(COL_CODE))
        ref = lambda col, _r=raw.row + 1: f"{letters[col]}{_r}" if col in letters else ""  # noqa: E731
        status = read_text(v.get(COL_STATUS), COL_STATUS, c.add, ref)
        status_typed = bool(status)
        if status in FORMULA_ERRORS:
            c.add(
                ERROR, Rule.FORMULA_ERROR, f"Ô có giá trị lỗi công thức {status}; hãy chọn trạng thái.", ref(COL_STATUS)
            )
            status = ""
        elif status and status not in STATUSES:
            match = next((s for s in STATUSES if s.casefold() == status.casefold()), None)
            if match:
                c.add(
                    WARNING,
                    Rule.STATUS_CASE,
                    f"Trạng thái “{status}” được đọc là “{match}”; hãy chọn trong danh sách.",
                    ref(COL_STATUS),
                )
                status = match
            else:
                c.add(
                    ERROR,
                    Rule.STATUS_INVALID,
                    f"Trạng thái “{status}” không có trong danh sách; hãy chọn một trong: {', '.join(STATUSES)}.",
                    ref(COL_STATUS),
                )
                status = ""
        percent = read_percent(v.get(COL_PERCENT), c.add, ref, COL_PERCENT)
        result = read_text(v.get(COL_RESULT), COL_RESULT, c.add, ref)
        difficulty = read_text(v.get(COL_DIFFICULTY), COL_DIFFICULTY, c.add, ref)
        proposal = read_text(v.get(COL_PROPOSAL), COL_PROPOSAL, c.add, ref)
        done_date, _ = read_date(v.get(COL_DONE_DATE), c.add, ref, COL_DONE_DATE)
        if result in FORMULA_ERRORS or difficulty in FORMULA_ERRORS or proposal in FORMULA_ERRORS:
            for col, text in ((COL_RESULT, result), (COL_DIFFICULTY, difficulty), (COL_PROPOSAL, proposal)):
                if text in FORMULA_ERRORS:
                    c.add(ERROR, Rule.FORMULA_ERROR, f"Ô có giá trị lỗi công thức {text}; hãy nhập nội dung.", ref(col))
        if not status_typed and (percent is not None or result):
            c.add(
                WARNING,
                Rule.STATUS_EMPTY,
                f"Nhiệm vụ {code} chưa chọn trạng thái; hãy chọn trong danh sách.",
                ref(COL_STATUS),
            )
        elif not status and not result and percent is None:
            c.add(
                WARNING,
                Rule.NOT_REPORTED,
                f"Nhiệm vụ {code} chưa được báo cáo (trạng thái, tỷ lệ, kết quả đều trống).",
                ref(COL_STATUS),
            )
        if status in DONE_STATUSES:
            if percent is None or percent < 100:
                shown = "trống" if percent is None else fmt_number(percent)
                c.add(
                    ERROR,
                    Rule.DONE_NOT_100,
                    f"Nhiệm vụ {code} ghi “{status}” nhưng tỷ lệ là {shown}; nhiệm vụ hoàn thành phải có tỷ lệ 100 "
                    "(hoặc chọn “Đang triển khai”).",
                    ref(COL_PERCENT),
                )
            if not result:
                c.add(
                    ERROR,
                    Rule.DONE_NO_RESULT,
                    f"Nhiệm vụ {code} ghi “{status}” nhưng chưa có kết quả thực hiện; hãy mô tả kết quả bằng câu "
                    "đầy đủ.",
                    ref(COL_RESULT),
                )
        if done_date:
            if done_date > today:
                c.add(
                    ERROR,
                    Rule.DATE_FUTURE,
                    f"Ngày hoàn thành {short_date(done_date)} ở tương lai; hãy sửa lại.",
                    ref(COL_DONE_DATE),
                )
            elif done_date < plan_start:
                c.add(
                    ERROR,
                    Rule.DATE_BEFORE_PLAN,
                    f"Ngày hoàn thành {short_date(done_date)} trước khi có Kế hoạch ({short_date(plan_start)}); "
                    "hãy sửa lại.",
                    ref(COL_DONE_DATE),
                )
        previous = history.get((unit, code))
        if previous:
            prev_status, prev_percent, prev_period = previous
            if prev_percent is not None and percent is not None and percent < prev_percent:
                c.add(
                    WARNING,
                    Rule.PERCENT_DROPPED,
                    f"Tỷ lệ nhiệm vụ {code} giảm từ {fmt_number(prev_percent)} (kỳ {prev_period}) xuống "
                    f"{fmt_number(percent)}; hãy kiểm tra lại hoặc giải thích trong cột Khó khăn.",
                    ref(COL_PERCENT),
                )
            if prev_status in DONE_STATUSES and status and status not in DONE_STATUSES:
                c.add(
                    WARNING,
                    Rule.TASK_REOPENED,
                    f"Nhiệm vụ {code} đã báo “{prev_status}” ở kỳ {prev_period} nay lại là “{status}”; hãy kiểm tra "
                    "lại.",
                    ref(COL_STATUS),
                )
        has_warning = len(items) > before
        role = role_by_code.get(code)
        rows.append(
            ReportRow(
                unit,
                period_code,
                code,
                role if role is not None else _clean(v.get(L.COL_ROLE)),
                status,
                percent,
                result,
                difficulty,
                proposal,
                done_date,
                file_label,
                sheet,
                raw.row + 1,
                has_warning,
            )
        )
    return rows

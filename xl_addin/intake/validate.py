"""Validation rules for unit submissions: every problem at once, never a silent fix.

Pure: inbox files already read by ``intake`` plus the plan, the period and the
previous period's accepted rows come in; findings, the accepted rows and each
unit's status go out. A value the rules can read in a non-standard way (``80%``
typed as text) is read *and* warned about; nothing is coerced silently.

The rules come in two halves: :class:`SheetRules` looks at one sheet alone and may
run where the file is read (``intake.read_inbox(check=...)``); :func:`validate` adds
the rules that compare files (one submission per unit, missing, late).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from xl_addin.core.cells import column_letter
from xl_addin.core.model import Period, Plan
from xl_addin.core.vnformat import clean_text as _clean_text
from xl_addin.core.vnformat import fmt_number, parse_vn_number, short_date
from xl_addin.files.safe_write import EXCEL_MAX_CELL_CHARS as EXCEL_CELL_LIMIT
from xl_addin.forms import layout as L
from xl_addin.intake.inbox import FORMULA_ERRORS, Finding, InboxFile, RawRow, SheetSubmission, gc_paused

ERROR, WARNING = "error", "warning"
_normalize = unicodedata.normalize


def _clean(value: object) -> str:
    """``vnformat.clean_text``, with a fast path for ``str`` (about ten calls per task row)."""
    if value.__class__ is str:
        return _normalize("NFC", value).strip()  # what clean_text does for a str, without two calls
    return _clean_text(value)


STATE_ON_TIME, STATE_LATE, STATE_MISSING, STATE_REJECTED = "on-time", "late", "missing", "rejected"
STATE_LABELS = {STATE_ON_TIME: "Đúng hạn", STATE_LATE: "Nộp muộn", STATE_MISSING: "Chưa nộp", STATE_REJECTED: "Có lỗi"}


class ReportRow(NamedTuple):
    """A task row that passed validation, traceable to its file, sheet and row.

    A NamedTuple rather than a frozen dataclass: one is made per task row of every file
    and, from a reading process, pickled and unpickled once more; a tuple does each in
    half to two thirds of the time.
    """

    unit: str
    period: str
    task_code: str
    role: str
    status: str
    percent: float | None
    result: str
    difficulty: str
    proposal: str
    done_date: dt.date | None
    file: str
    sheet: str
    row: int  # 1-based, as Excel shows it
    has_warning: bool


@dataclass(frozen=True)
class UnitStatus:
    unit: str
    name: str
    state: str
    file: str
    received: dt.datetime | None
    errors: int
    warnings: int
    reporter: str = ""
    phone: str = ""


@dataclass
class ValidationResult:
    period: Period
    findings: list[Finding]
    rows: list[ReportRow]
    units: list[UnitStatus]
    accepted: list[tuple[InboxFile, SheetSubmission]] = field(default_factory=list)
    files: list[InboxFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]


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
            found = self._expected[unit] = [(r.code, self.row_hash(r.code, r.text, r.role))
                                            for r in self.template_rows(unit)]
        return found


class _Collector:
    def __init__(self, file: InboxFile, sub: SheetSubmission | None = None) -> None:
        self.file, self.sub = file, sub
        self.items: list[Finding] = []

    def add(self, severity: str, rule: str, message: str, cell: str = "") -> None:
        sub = self.sub
        self.items.append(Finding(
            self.file.label, sub.unit if sub else "", sub.sheet if sub else "", cell, severity, rule, message,
        ))


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
                    c.add(WARNING, "empty-report",
                          "Tệp chưa điền nội dung nào (trạng thái, tỷ lệ, kết quả đều trống) nên được coi như chưa "
                          "nộp; hãy đề nghị đơn vị điền và gửi lại.")
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


def validate(
    plan: Plan,
    period: Period,
    files: list[InboxFile],
    *,
    today: dt.date | None = None,
    history: History | None = None,
    rules: SheetRules | None = None,
) -> ValidationResult:
    """Apply every rule to every sheet of every file; choose one submission per unit.

    ``rules`` are the :class:`SheetRules` already applied while reading
    (``read_inbox(..., check=rules)``); their day and history are then the ones used.
    """
    if rules is None:
        rules = SheetRules(plan, period, today=today, history=history)
    elif rules.period.code != period.code or today is not None or history is not None:
        raise ValueError("rules carry their own period, day and history; pass them to SheetRules only")
    with gc_paused():  # see intake.gc_paused: a quarter of the time for 1,000 submissions
        return _validate(plan, period, files, rules)


def _validate(plan: Plan, period: Period, files: list[InboxFile], rules: SheetRules) -> ValidationResult:
    findings: list[Finding] = []
    candidates: list[tuple[InboxFile, SheetSubmission, list[Finding], list[ReportRow]]] = []
    index = rules.index
    for file in files:
        findings += file.findings
        for sub, check in zip(file.sheets, rules.checks_for(file), strict=True):
            if check.candidate:
                candidates.append((file, sub, check.findings, check.rows))
            else:
                findings += check.findings

    by_unit: dict[str, list[tuple[InboxFile, SheetSubmission, list[Finding], list[ReportRow]]]] = {}
    for cand in candidates:
        file, sub, items, _ = cand
        findings += items
        if sub.unit in index.units and sub.period == period.code:
            by_unit.setdefault(sub.unit, []).append(cand)

    rows: list[ReportRow] = []
    accepted: list[tuple[InboxFile, SheetSubmission]] = []
    statuses: list[UnitStatus] = []
    deadline_end = dt.datetime.combine(period.deadline, dt.time.max)
    for unit in plan.units:
        cands = sorted(by_unit.get(unit.code, []), key=lambda c: c[0].modified, reverse=True)
        if not cands:
            if unit.reports:
                findings.append(Finding(
                    "", unit.code, "", "", WARNING, "missing",
                    f"{unit.name} chưa nộp báo cáo {period.name} (hạn {short_date(period.deadline)}); hãy nhắc đơn "
                    "vị gửi tệp và chép vào thư mục nop.",
                ))
                statuses.append(UnitStatus(unit.code, unit.name, STATE_MISSING, "", None, 0, 0))
            continue
        chosen, *others = cands
        file, sub, items, sub_rows = chosen
        for other in others:
            findings.append(Finding(
                other[0].label, unit.code, other[1].sheet, "", WARNING, "duplicate",
                f"{unit.name} có nhiều hơn một bản báo cáo {period.name}; dùng bản sửa đổi gần nhất "
                f"“{file.label}” ({file.modified:%d/%m/%Y %H:%M}), bỏ qua bản này.",
            ))
        file_errors = [f for f in file.findings if f.severity == ERROR]
        errors = [f for f in items if f.severity == ERROR] + file_errors
        warns = [f for f in items if f.severity == WARNING]
        late = file.modified > deadline_end
        if late:
            late_finding = Finding(
                file.label, unit.code, sub.sheet, "", WARNING, "late",
                f"{unit.name} nộp muộn: tệp nhận lúc {file.modified:%H:%M %d/%m/%Y}, hạn nộp hết ngày "
                f"{short_date(period.deadline)}.",
            )
            findings.append(late_finding)
            warns.append(late_finding)
        state = STATE_REJECTED if errors else (STATE_LATE if late else STATE_ON_TIME)
        statuses.append(UnitStatus(unit.code, unit.name, state, file.label, file.modified, len(errors), len(warns),
                                   sub.reporter, sub.phone))
        if not errors:
            rows += sub_rows
            accepted.append((file, sub))
    return ValidationResult(period, findings, rows, statuses, accepted, files)


def _has_input(sub: SheetSubmission) -> bool:
    return any(_clean(raw.values.get(col)) for raw in sub.rows for col in L.INPUT_COLUMNS)


def _check_sheet(
    plan: Plan, period: Period, sub: SheetSubmission, c: _Collector, today: dt.date, history: History,
    index: _PlanIndex | None = None,
) -> list[ReportRow]:
    index = index or _PlanIndex(plan)
    unit = index.units.get(sub.unit)
    if unit is None:
        c.add(ERROR, "unknown-unit",
              f"Biểu mẫu ghi mã đơn vị “{sub.unit}” không có trong danh sách đơn vị; hãy dùng biểu mẫu mới nhất "
              "do Văn phòng Sở gửi.")
        return []
    if sub.period != period.code:
        other = plan.period(sub.period)
        c.add(ERROR, "wrong-period",
              f"Tệp là báo cáo {other.name if other else sub.period}, không phải {period.name}; hãy điền vào biểu "
              f"mẫu của {period.name}.")
        return []
    if sub.version != L.TEMPLATE_VERSION:
        c.add(WARNING, "template-version",
              f"Biểu mẫu phiên bản “{sub.version or '?'}” đã cũ (hiện hành: {L.TEMPLATE_VERSION}); lần sau hãy dùng "
              "biểu mẫu mới.")
    if hashlib.sha256(sub.identity_rows.encode("utf-8")).hexdigest()[:16] != sub.fingerprint:
        c.add(ERROR, "identity-tampered",
              "Thông tin nhận dạng trong trang ẩn của biểu mẫu bị sửa; hãy dùng lại tệp biểu mẫu gốc.")
        return []
    if sub.header_row < 0 or any(col not in sub.columns for col in L.PROGRESS_COLUMNS):
        missing = [col for col in L.PROGRESS_COLUMNS if col not in sub.columns]
        c.add(ERROR, "header-missing",
              f"Không tìm thấy đủ tiêu đề cột ({', '.join(missing)}) ở trang “{sub.sheet}”; không đổi tên hay xóa "
              "cột của biểu mẫu.")
        return []
    if sub.junk_rows:
        c.add(WARNING, "junk-rows",
              f"Trang có thêm khoảng {sub.junk_rows:,} dòng dữ liệu thừa bên dưới bảng; chỉ đọc "
              f"{L.MAX_DATA_ROWS:,} dòng đầu. Hãy xóa các dòng thừa.".replace(",", "."))
    for ref, value in sorted(sub.error_cells.items()):
        c.add(ERROR, "formula-error",
              f"Ô có giá trị lỗi công thức {value}; hãy sửa công thức hoặc nhập giá trị.", ref)
    expected_now = index.expected(sub.unit)
    expected = L.decode_rows(sub.identity_rows)
    if expected != expected_now:
        c.add(WARNING, "plan-changed",
              "Danh sách nhiệm vụ trong Kế hoạch đã thay đổi sau khi gửi biểu mẫu này; lần sau hãy dùng biểu mẫu mới.")
    if not _check_structure(sub, expected, c, index.row_hash):
        return []
    return _check_values(plan, period, sub, c, today, history, index)


def _row_key(sub: SheetSubmission, row: RawRow, row_hash=L.row_hash) -> tuple[str, str]:
    code = _clean(row.values.get(L.COL_CODE))
    return code, row_hash(code, _clean(row.values.get(L.COL_TEXT)), _clean(row.values.get(L.COL_ROLE)))


def _check_structure(
    sub: SheetSubmission, expected: list[tuple[str, str]], c: _Collector, row_hash=L.row_hash
) -> bool:
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
            c.add(ERROR, "row-deleted",
                  f"Dòng nhiệm vụ {code} đã bị xóa khỏi biểu mẫu; hãy dùng lại biểu mẫu gốc và điền lại dòng này.")
    seen: set[str] = set()
    for row, code, digest in actual:
        if code not in expected_hash or code in seen:
            ok = False
            what = f"“{code}”" if code else "không có mã"
            c.add(ERROR, "row-inserted",
                  f"Dòng {row.row + 1} ({what}) không có trong biểu mẫu gốc; không thêm dòng nhiệm vụ, hãy ghi nội "
                  "dung bổ sung vào cột “Kết quả thực hiện” của nhiệm vụ liên quan.", sub.cell(row.row, L.COL_CODE))
        elif digest != expected_hash[code]:
            ok = False
            c.add(ERROR, "row-edited",
                  f"Nội dung hoặc vai trò của nhiệm vụ {code} (dòng {row.row + 1}) đã bị sửa so với biểu mẫu gốc; "
                  "hãy trả lại nội dung gốc.", sub.cell(row.row, L.COL_TEXT))
        seen.add(code)
    common = [code for code in actual_codes if code in expected_hash]
    common_set = set(common)
    order = [code for code in expected_codes if code in common_set]
    if common == order:
        return ok
    moved = [f"{code} (dòng {row.row + 1})" for (row, code, _), want in
             zip([a for a in actual if a[1] in expected_hash], order, strict=False) if code != want]
    c.add(ERROR, "rows-reordered",
          f"Thứ tự các dòng nhiệm vụ đã bị thay đổi: {', '.join(moved)}; hãy sắp xếp lại theo mã nhiệm vụ như "
          "biểu mẫu gốc.", sub.cell(sub.header_row + 1, L.COL_CODE))
    return False


def _percent(value: Any, add, cell, column: str) -> float | None:
    """The percentage typed, or None; ``cell(column)`` names the cell, only when a finding needs it."""
    if value is None or value == "":
        return None
    ref = cell(column)
    if isinstance(value, bool):
        add(ERROR, "percent-invalid", "Tỷ lệ hoàn thành phải là số từ 0 đến 100.", ref)
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _clean(value)
        if text in FORMULA_ERRORS:
            add(ERROR, "formula-error", f"Ô có giá trị lỗi công thức {text}; hãy nhập số từ 0 đến 100.", ref)
            return None
        try:
            number = parse_vn_number(text.rstrip("%").strip())
        except ValueError:
            add(ERROR, "percent-invalid",
                f"Tỷ lệ hoàn thành “{text}” không phải là số; hãy nhập số từ 0 đến 100 (không gõ chữ).", ref)
            return None
        add(WARNING, "percent-text",
            f"Tỷ lệ “{text}” được gõ dạng chữ; đã đọc là {fmt_number(number)}. Lần sau hãy nhập số, không gõ dấu %.",
            ref)
    if not 0 <= number <= 100:
        add(ERROR, "percent-range", f"Tỷ lệ hoàn thành {fmt_number(number)} nằm ngoài khoảng 0–100; hãy sửa lại.",
            ref)
        return None
    if 0 < number < 1:
        add(WARNING, "percent-fraction",
            f"Tỷ lệ {number:g} rất nhỏ: nếu ý là {fmt_number(number * 100)}% hãy nhập {fmt_number(number * 100)}.",
            ref)
    return number


def _done_date(value: Any, add, cell, column: str) -> tuple[dt.date | None, bool]:
    if value is None or value == "":
        return None, True
    ref = cell(column)
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, int | float) and 20_000 < value < 80_000:
        date = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        add(WARNING, "date-number", f"Ngày hoàn thành được nhập dạng số ({value:g}); đã đọc là {short_date(date)}.",
            ref)
        return date, True
    text = _clean(value)
    if text in FORMULA_ERRORS:
        add(ERROR, "formula-error", f"Ô có giá trị lỗi công thức {text}; hãy nhập ngày.", ref)
        return None, False
    for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date(), True
        except ValueError:
            continue
    add(ERROR, "date-invalid", f"“{text}” không phải là ngày; hãy nhập dạng ngày/tháng/năm, VD: 12/03/2024.", ref)
    return None, False


ENCODING_NAMES = {"tcvn3": "TCVN3 (ABC, phông .VnTime)", "vni": "VNI (phông VNI-Times)"}


@functools.lru_cache(maxsize=4096)
def _fix_short_text(text: str) -> tuple[str, str | None]:
    from xl_addin.intake.legacy_encoding import fix_text

    return fix_text(text)


def _fix_text(text: str) -> tuple[str, str | None]:
    """``legacy_encoding.fix_text``, cached for short texts.

    Statuses (``Hoàn thành`` is all Latin-1, so the detector scores it every time) and
    stock phrases repeat in every file; the cache is bounded (4,096 texts of ≤ 120
    characters) so it cannot hold on to a large inbox.
    """
    if len(text) <= 120:
        return _fix_short_text(text)
    from xl_addin.intake.legacy_encoding import fix_text

    return fix_text(text)


def _text(value: Any, column: str, c: _Collector, ref) -> str:
    """A text cell as NFC Unicode; legacy TCVN3/VNI text is converted with a warning naming the cell."""
    if value is None or value == "":
        return ""
    text = _clean(value)
    if not text:
        return text
    fixed, encoding = _fix_text(text)
    if encoding:
        c.add(WARNING, "legacy-encoding",
              f"Ô “{column}” được gõ bằng bảng mã cũ {ENCODING_NAMES.get(encoding, encoding)}; đã chuyển sang Unicode: "
              f"“{fixed[:60]}”. Lần sau hãy gõ bằng Unicode (Unikey: bảng mã Unicode, phông Times New Roman).",
              ref(column))
    if len(fixed) > EXCEL_CELL_LIMIT:
        c.add(WARNING, "cell-too-long",
              f"Ô “{column}” dài {len(fixed):,} ký tự, quá giới hạn {EXCEL_CELL_LIMIT:,} ký tự của Excel; bản tổng hợp "
              "chỉ giữ phần đầu. Hãy rút gọn nội dung.".replace(",", "."), ref(column))
    return fixed


def _check_values(
    plan: Plan, period: Period, sub: SheetSubmission, c: _Collector, today: dt.date, history: History,
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
        status = _text(v.get(COL_STATUS), COL_STATUS, c, ref)
        status_typed = bool(status)
        if status in FORMULA_ERRORS:
            c.add(ERROR, "formula-error", f"Ô có giá trị lỗi công thức {status}; hãy chọn trạng thái.",
                  ref(COL_STATUS))
            status = ""
        elif status and status not in STATUSES:
            match = next((s for s in STATUSES if s.casefold() == status.casefold()), None)
            if match:
                c.add(WARNING, "status-case", f"Trạng thái “{status}” được đọc là “{match}”; hãy chọn trong danh sách.",
                      ref(COL_STATUS))
                status = match
            else:
                c.add(ERROR, "status-invalid",
                      f"Trạng thái “{status}” không có trong danh sách; hãy chọn một trong: {', '.join(STATUSES)}.",
                      ref(COL_STATUS))
                status = ""
        percent = _percent(v.get(COL_PERCENT), c.add, ref, COL_PERCENT)
        result = _text(v.get(COL_RESULT), COL_RESULT, c, ref)
        difficulty = _text(v.get(COL_DIFFICULTY), COL_DIFFICULTY, c, ref)
        proposal = _text(v.get(COL_PROPOSAL), COL_PROPOSAL, c, ref)
        done_date, _ = _done_date(v.get(COL_DONE_DATE), c.add, ref, COL_DONE_DATE)
        if result in FORMULA_ERRORS or difficulty in FORMULA_ERRORS or proposal in FORMULA_ERRORS:
            for col, text in ((COL_RESULT, result), (COL_DIFFICULTY, difficulty), (COL_PROPOSAL, proposal)):
                if text in FORMULA_ERRORS:
                    c.add(ERROR, "formula-error", f"Ô có giá trị lỗi công thức {text}; hãy nhập nội dung.", ref(col))
        if not status_typed and (percent is not None or result):
            c.add(WARNING, "status-empty", f"Nhiệm vụ {code} chưa chọn trạng thái; hãy chọn trong danh sách.",
                  ref(COL_STATUS))
        elif not status and not result and percent is None:
            c.add(WARNING, "not-reported", f"Nhiệm vụ {code} chưa được báo cáo (trạng thái, tỷ lệ, kết quả đều trống).",
                  ref(COL_STATUS))
        if status in DONE_STATUSES:
            if percent is None or percent < 100:
                shown = "trống" if percent is None else fmt_number(percent)
                c.add(ERROR, "done-not-100",
                      f"Nhiệm vụ {code} ghi “{status}” nhưng tỷ lệ là {shown}; nhiệm vụ hoàn thành phải có tỷ lệ 100 "
                      "(hoặc chọn “Đang triển khai”).", ref(COL_PERCENT))
            if not result:
                c.add(ERROR, "done-no-result",
                      f"Nhiệm vụ {code} ghi “{status}” nhưng chưa có kết quả thực hiện; hãy mô tả kết quả bằng câu "
                      "đầy đủ.", ref(COL_RESULT))
        if done_date:
            if done_date > today:
                c.add(ERROR, "date-future", f"Ngày hoàn thành {short_date(done_date)} ở tương lai; hãy sửa lại.",
                      ref(COL_DONE_DATE))
            elif done_date < plan_start:
                c.add(ERROR, "date-before-plan",
                      f"Ngày hoàn thành {short_date(done_date)} trước khi có Kế hoạch ({short_date(plan_start)}); "
                      "hãy sửa lại.", ref(COL_DONE_DATE))
        previous = history.get((unit, code))
        if previous:
            prev_status, prev_percent, prev_period = previous
            if prev_percent is not None and percent is not None and percent < prev_percent:
                c.add(WARNING, "percent-dropped",
                      f"Tỷ lệ nhiệm vụ {code} giảm từ {fmt_number(prev_percent)} (kỳ {prev_period}) xuống "
                      f"{fmt_number(percent)}; hãy kiểm tra lại hoặc giải thích trong cột Khó khăn.",
                      ref(COL_PERCENT))
            if prev_status in DONE_STATUSES and status and status not in DONE_STATUSES:
                c.add(WARNING, "task-reopened",
                      f"Nhiệm vụ {code} đã báo “{prev_status}” ở kỳ {prev_period} nay lại là “{status}”; hãy kiểm tra "
                      "lại.", ref(COL_STATUS))
        has_warning = len(items) > before
        role = role_by_code.get(code)
        rows.append(ReportRow(
            unit, period_code, code, role if role is not None else _clean(v.get(L.COL_ROLE)),
            status, percent,
            result, difficulty, proposal, done_date, file_label, sheet, raw.row + 1, has_warning,
        ))
    return rows

"""The actions both front ends run: one function per user-visible job.

Each action takes a workbook port (live Excel or the file on disk), does its work
through the pure core and the writers, and returns a small result record. No
printing, no message boxes: ``cli.py`` and ``buttons.py`` present the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from xl_addin.core.changes import (
    IndicatorChange,
    compared_years,
    compute_changes,
    overall_sentence,
    results_to_enter,
)
from xl_addin.core.contracts import ReportKind, Severity, UnitState
from xl_addin.core.errors import DdciError, UsageError
from xl_addin.core.model import Period, Plan
from xl_addin.core.submissions import ValidationResult
from xl_addin.excel.ports import WorkbookPort, load_plan
from xl_addin.files.workspace import Workspace

if TYPE_CHECKING:  # pandas is imported only by the actions that consolidate
    from xl_addin.documents.period_picture import PeriodPicture
    from xl_addin.intake.check_cache import CheckCache
    from xl_addin.results.consolidate import Consolidation

# From this many accepted task rows (about 100 divisions) the consolidated workbook is written by a
# forked child while the archive is written here; below it, forking costs more than it saves.
FORK_MIN_ROWS = 3_000


@dataclass(frozen=True)
class InitResult:
    workspace: Workspace
    master: Path


def init_workspace(root: Path, plan: Plan | None = None) -> InitResult:
    """Create a workspace pre-filled with ``plan`` (the seed plan by default)."""
    from xl_addin.plan.seed import seed_plan
    from xl_addin.plan.writer import write_master

    ws = Workspace(Path(root))
    ws.create()
    write_master(plan or seed_plan(), ws.master)
    return InitResult(ws, ws.master)


@dataclass(frozen=True)
class ChangesResult:
    changes: list[IndicatorChange]
    base_year: int
    year: int
    overall: str | None
    output: Path | None = None
    warnings: list[str] = field(default_factory=list)
    to_enter: list[str] = field(default_factory=list)  # scores and ranks still to be typed in


def indicator_changes(port: WorkbookPort, *, write: bool = True) -> ChangesResult:
    """Compare every indicator between the two years and (optionally) write the workbook."""
    plan = load_plan(port)
    try:
        base_year, year = compared_years(plan)
    except ValueError as exc:
        raise DdciError(
            "Bảng Chỉ số cần số liệu của ít nhất hai năm (cột “Điểm YYYY”, “Hạng YYYY”) để so sánh; hãy nhập "
            "thêm số liệu hoặc đặt “Năm gốc so sánh” và “Năm đánh giá” trong bảng Cấu hình."
        ) from exc
    changes = compute_changes(plan, (base_year, year))
    warnings = [w for c in changes for w in c.warnings]
    output = None
    if write:
        from xl_addin.results.changes_book import write_changes

        port.progress("Đang ghi bảng biến động chỉ số…", 0, 0)
        output = write_changes(
            changes,
            port.workspace.reports / "bien_dong_chi_so.xlsx",
            f"BIẾN ĐỘNG CÁC CHỈ SỐ THÀNH PHẦN DDCI NĂM {year} SO VỚI NĂM {base_year} - {plan.agency.name.upper()}",
        )
    overall = overall_sentence(plan, base_year, year)
    return ChangesResult(changes, base_year, year, overall, output, warnings, results_to_enter(plan, changes))


def resolve_period(plan: Plan, code: str | None) -> Period:
    """The period named on the command line, or the workspace's current period."""
    from xl_addin.core.periods import parse_period

    wanted = code or plan.settings.current_period
    try:
        wanted = parse_period(wanted).code
    except ValueError as exc:
        raise UsageError(
            f"Mã kỳ “{wanted}” không đúng dạng; dùng 2024-03 (tháng), 2024-Q1 (quý), 2024-H1 (6 tháng) hoặc 2024 (năm)."
        ) from exc
    period = plan.period(wanted)
    if period is None:
        raise DdciError(
            f"Kỳ “{wanted}” không có trong bảng Kỳ báo cáo của bảng tính chính; hãy thêm dòng cho kỳ này hoặc chọn "
            "kỳ khác."
        )
    return period


@dataclass(frozen=True)
class TemplatesResult:
    period: Period
    files: list[Path]
    folder: Path


def make_templates(port: WorkbookPort, period_code: str | None = None, *, shared: bool = False) -> TemplatesResult:
    """Write one template per reporting unit (or the shared workbook) to ``bieu_mau/<period>/``."""
    from xl_addin.files.lock import WorkspaceLock
    from xl_addin.forms.writer import write_templates

    plan = load_plan(port)
    period = resolve_period(plan, period_code)
    folder = port.workspace.templates_out / period.code
    with WorkspaceLock(port.workspace.root):
        files = write_templates(plan, period, folder, shared=shared, progress=port.progress)
    return TemplatesResult(period, files, folder)


@dataclass
class ValidateOutcome:
    result: ValidationResult
    plan: Plan
    findings_file: Path | None = None
    returned: list[Path] = field(default_factory=list)
    reused: int = 0  # files whose results came from the check cache (unchanged since the last command)

    @property
    def has_errors(self) -> bool:
        return bool(self.result.errors)


def _summary(result: ValidationResult) -> dict[str, str]:
    import datetime as dt

    def count(state: UnitState) -> str:
        return str(sum(1 for u in result.units if u.state == state))

    return {
        "Kỳ báo cáo hiện tại": f"{result.period.code} ({result.period.name})",
        "Đã nộp": str(sum(1 for u in result.units if u.state != UnitState.MISSING)),
        "Nộp muộn": count(UnitState.LATE),
        "Chưa nộp": count(UnitState.MISSING),
        "Tệp có lỗi": count(UnitState.REJECTED),
        "Lần chạy gần nhất": f"{dt.datetime.now():%H:%M %d/%m/%Y}",
    }


def validate_submissions(
    port: WorkbookPort, period_code: str | None = None, *, today=None, write_outputs: bool = True
) -> ValidateOutcome:
    """Read and check every submission for the period; write the findings and returned copies."""
    outcome, cache = _checked(port, period_code, today)
    if write_outputs:
        from xl_addin.files.lock import WorkspaceLock

        with WorkspaceLock(port.workspace.root):
            _write_validation_outputs(port, outcome, cache)
            cache.flush()
        summary = _summary(outcome.result)
        summary["Kết quả gần nhất"] = (
            f"Kiểm tra: {len(outcome.result.errors)} lỗi, {len(outcome.result.warnings)} cảnh báo — "
            f"{outcome.findings_file}"
        )
        port.write_summary(summary)
    else:
        cache.flush()
    return outcome


def _checked(port: WorkbookPort, period_code: str | None, today) -> tuple[ValidateOutcome, CheckCache]:
    """Every submission read (or its unchanged results reused from the check cache) and checked.

    The cache is brought up to date here (the caller writes it, once, with ``cache.flush()``):
    it is the one state every command that reads the inbox shares, so ``consolidate`` or
    ``report`` right after ``validate`` reads no file twice (``intake.check_cache``).
    """
    from xl_addin.intake.check_cache import CheckCache
    from xl_addin.intake.inbox import read_inbox
    from xl_addin.intake.validate import SheetRules, validate

    plan = load_plan(port)
    period = resolve_period(plan, period_code)
    ws = port.workspace
    history = {}
    if ws.archive.exists():
        from xl_addin.results.archive import Archive

        with Archive(ws.archive) as archive:
            history = archive.previous_rows(period)
    rules = SheetRules(plan, period, today=today, history=history)  # applied where each file is read
    cache = CheckCache.for_period(ws.state, period.code, rules)
    files = read_inbox(ws.inbox, period.code, progress=port.progress, check=rules, reuse=cache.reuser(ws.inbox, rules))
    cache.update(files, rules)
    result = validate(plan, period, files, rules=rules)
    return ValidateOutcome(result, plan, reused=len(cache.reused)), cache


def _write_validation_outputs(port: WorkbookPort, outcome: ValidateOutcome, cache: CheckCache) -> None:
    """The findings workbook and a returned copy per rejected file; a copy already written for the same
    file and findings (and still there, untouched) is kept, not written again."""
    import hashlib
    import json

    from xl_addin.results.findings_book import write_findings

    result, ws = outcome.result, port.workspace
    code = result.period.code
    port.progress("Đang ghi danh sách lỗi…", 0, 0)
    outcome.findings_file = write_findings(
        [f.as_dict() for f in result.findings],
        ws.reports / f"kiem_tra_{code}.xlsx",
        f"KẾT QUẢ KIỂM TRA BÁO CÁO {result.period.name.upper()}",
    )
    by_file: dict[str, list[dict]] = {}
    for f in result.findings:
        if f.file:
            by_file.setdefault(f.file, []).append(f.as_dict())
    readable = {f.label: f for f in result.files if f.sheets}
    written = cache.extra.get("returned")
    written = written if isinstance(written, dict) else {}
    record: dict[str, list] = {}
    for label, items in by_file.items():
        source = readable.get(label)
        if source is None or not any(i["severity"] == Severity.ERROR for i in items):
            continue
        dest = ws.returned_copy(code, label)
        key = dest.relative_to(ws.root).as_posix()
        digest = hashlib.sha256(json.dumps([source.sha256, items], ensure_ascii=False).encode()).hexdigest()
        if _unchanged_output(dest, written.get(key), digest):
            record[key] = written[key]
            outcome.returned.append(dest)
            continue
        from xl_addin.results.returned_copy import write_returned_copy  # openpyxl: only when a copy is due

        try:
            outcome.returned.append(write_returned_copy(source.path, dest, items))
        except DdciError:
            continue  # a file openpyxl cannot open is already listed in the findings
        st = dest.stat()
        record[key] = [digest, st.st_size, st.st_mtime_ns]
    cache.keep("returned", record)


def _unchanged_output(dest: Path, known: object, digest: str) -> bool:
    """True when ``dest`` is the file this program wrote for ``digest`` and nobody changed it since."""
    if not (isinstance(known, list) and len(known) == 3 and known[0] == digest):
        return False
    try:
        st = dest.stat()
    except OSError:
        return False
    return [st.st_size, st.st_mtime_ns] == known[1:]


@dataclass
class ConsolidateOutcome:
    validation: ValidateOutcome
    consolidation: Consolidation
    output: Path
    archived_new: int
    archived_known: int


def consolidate_submissions(port: WorkbookPort, period_code: str | None = None, *, today=None) -> ConsolidateOutcome:
    """Validate, consolidate the accepted submissions, write ``tong_hop_<period>.xlsx`` and archive them.

    One pass: the findings and returned copies are brought up to date as ``validate`` would, files
    unchanged since the last command are not read again, and the dashboard is written once.
    """
    from xl_addin.files.beside import Beside
    from xl_addin.files.lock import WorkspaceLock
    from xl_addin.results.archive import Archive
    from xl_addin.results.consolidate import consolidate
    from xl_addin.results.consolidated_book import write_consolidated

    validation, cache = _checked(port, period_code, today)
    result, ws = validation.result, port.workspace
    port.progress("Đang tổng hợp…", 0, 0)
    cons = consolidate(validation.plan, result)
    with WorkspaceLock(ws.root):
        _write_validation_outputs(port, validation, cache)
        cache.flush()
        # The workbook first, then the archive, which commits only once the workbook is written. From
        # FORK_MIN_ROWS a forked child writes the workbook while this process fills the archive (files.beside).
        with Beside(
            write_consolidated,
            cons.tables(),
            ws.reports / f"tong_hop_{result.period.code}.xlsx",
            f"TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH DDCI {result.period.name.upper()}",
            fork=len(result.rows) >= FORK_MIN_ROWS,
        ) as book:
            with Archive(ws.archive) as archive:
                new, known = archive.record(
                    result.period, result.accepted, result.rows, result.units, before_commit=book.result
                )
            output = book.result()
    summary = _summary(result)
    summary["Kết quả gần nhất"] = f"Tổng hợp: {len(result.rows)} dòng từ {len(result.accepted)} đơn vị — {output}"
    port.write_summary(summary)
    return ConsolidateOutcome(validation, cons, output, new, known)


def _period_picture(ws: Workspace, plan: Plan, code: str) -> PeriodPicture:
    """What the archive holds about the months of a quarter, 6 months or a year (nothing: no data)."""
    from xl_addin.core.periods import make_period
    from xl_addin.documents.period_picture import month_codes, period_picture
    from xl_addin.results.archive import Archive

    if not ws.archive.exists():
        return period_picture(plan, code, [])
    months = month_codes(code)
    with Archive(ws.archive) as archive:
        rows = archive.current_rows(months)
        states = archive.unit_states(months)
        before = archive.latest_period_before("month", make_period(months[0]).end)
        earlier = archive.current_rows([before]) if before else []
    return period_picture(plan, code, rows, states, earlier)


@dataclass
class ReportOutcome:
    kind: str
    output: Path
    pdf: Path | None = None
    notes: list[str] = field(default_factory=list)


def _report_name(plan: Plan, kind: str, period_name: str) -> str:
    import re
    import unicodedata

    def slug(text: str) -> str:
        text = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")

    if kind == "ke-hoach":
        return f"Ke_hoach_nang_cao_DDCI_{plan.settings.plan_year}.docx"
    return f"Bao_cao_ket_qua_DDCI_{slug(period_name)}.docx"


def make_report(
    port: WorkbookPort,
    kind: str,
    period_code: str | None = None,
    *,
    out: Path | None = None,
    force: bool = False,
    pdf: bool = False,
    number: int | None = None,
    date=None,
    today=None,
) -> ReportOutcome:
    """Render the Kế hoạch or the periodic Báo cáo to ``bao_cao/`` (never overwriting silently)."""
    from xl_addin.core.errors import OutputExistsError
    from xl_addin.documents.context import plan_context, report_context
    from xl_addin.documents.preflight import preflight
    from xl_addin.documents.render import render_document
    from xl_addin.documents.template_files import choose_template
    from xl_addin.files.lock import WorkspaceLock
    from xl_addin.files.workspace import unique_path

    if kind not in ReportKind.__members__.values():
        raise DdciError(f"Loại văn bản “{kind}” không có; chọn “ke-hoach” (Kế hoạch) hoặc “bao-cao” (Báo cáo).")
    ws = port.workspace
    plan = load_plan(port)
    changes = indicator_changes(port, write=False)
    images: dict[str, Path] = {}
    tmpdir = None
    if kind == "ke-hoach":
        context = plan_context(plan, changes.changes, number=number, date=date)
        period_name = str(plan.settings.plan_year)
    else:
        import tempfile

        from xl_addin.core.periods import parse_period
        from xl_addin.documents.chart import score_chart_png
        from xl_addin.documents.period_context import add_period
        from xl_addin.documents.period_picture import period_result
        from xl_addin.results.consolidate import consolidate

        period = resolve_period(plan, period_code)
        picture = None
        if parse_period(period.code).kind == "month":
            # The same reading and rules as ``ddci validate`` (history included); nothing is written.
            result = validate_submissions(port, period_code, today=today, write_outputs=False).result
        else:  # a quarter, 6 months, a year: from the months consolidated into the archive
            picture = _period_picture(ws, plan, period.code)
            result = period_result(plan, period, picture)
        cons = consolidate(plan, result)
        names = {u.code: u.name for u in plan.units}
        context = report_context(
            plan,
            changes.changes,
            cons,
            number=number,
            date=date,
            submitted=sum(1 for u in result.units if u.state != UnitState.MISSING),
            late=[names[u.unit] for u in result.units if u.state == UnitState.LATE],
            missing=[names[u.unit] for u in result.units if u.state == UnitState.MISSING],
        )
        if picture is not None:
            add_period(context, plan, picture, cons.tasks)
        period_name = period.name
        tmpdir = tempfile.TemporaryDirectory(prefix="ddci-chart-")
        port.progress("Đang vẽ biểu đồ…", 0, 0)
        images["appendix.chart"] = score_chart_png(
            [c.name for c in changes.changes],
            changes.base_year,
            [c.score_base for c in changes.changes],
            changes.year,
            [c.score for c in changes.changes],
            Path(tmpdir.name) / "chart.png",
        )
    try:
        template = choose_template(ws.root, ReportKind(kind).template)
        notes = preflight(template, context, images=images)
        target = Path(out) if out else ws.reports / _report_name(plan, kind, period_name)
        if target.exists() and not force and out is not None:
            raise OutputExistsError(f"Tệp “{target}” đã có.")
        target = unique_path(target, force=force)
        port.progress("Đang tạo văn bản Word…", 0, 0)
        with WorkspaceLock(ws.root):
            output = render_document(template, context, target, images=images)
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()
    outcome = ReportOutcome(kind, output, notes=notes)
    if pdf:
        from xl_addin.documents.pdf import to_pdf

        port.progress("Đang chuyển sang PDF…", 0, 0)
        outcome.pdf = to_pdf(output, output.parent)
    return outcome

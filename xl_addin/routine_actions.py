"""The office's routine around the monthly report: send the templates, chase the units, start next year.

Each function is an action like those in :mod:`xl_addin.actions` (a port in, plain outcome out), and is
called by ``cli.py`` and ``buttons.py`` alike; the drafts, the outbox and the new workspace are built in
:mod:`xl_addin.routine`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from xl_addin.actions import resolve_period, validate_submissions
from xl_addin.core.errors import UsageError
from xl_addin.excel.ports import WorkbookPort, load_plan

if TYPE_CHECKING:
    from xl_addin.files.workspace import Workspace
    from xl_addin.routine.addresses import Recipients
    from xl_addin.routine.drafts import Draft, Letterhead
    from xl_addin.routine.new_workspace import NewYearOutcome
    from xl_addin.routine.outbox import OutboxOutcome


def send_templates(port: WorkbookPort, period_code: str | None = None, *, force: bool = False) -> OutboxOutcome:
    """One email draft per reporting unit with its template attached, and the Zalo list, in ``gui_di/<kỳ>/``."""
    from xl_addin.plan.reader import plan_from_tables
    from xl_addin.routine import outbox as O
    from xl_addin.routine.drafts import template_drafts

    tables = port.tables()
    plan = plan_from_tables(tables)
    period = resolve_period(plan, period_code)
    ws = port.workspace
    attachments = [O.template_attachment(ws, code, period.code) for code in plan.reporting_unit_codes]
    O.require(attachments)
    recipients, head = O.addressing(plan, tables)
    drafts = template_drafts(plan, period, recipients, {a.unit: a.path for a in attachments}, head)
    zalo = (f"zalo_{period.code}.txt", f"GỬI BIỂU MẪU BÁO CÁO TIẾN ĐỘ {period.name.upper()}")
    return _written(ws, drafts, ws.outbox / period.code, zalo, recipients, head, force=force)


def remind_units(
    port: WorkbookPort, period_code: str | None = None, *, force: bool = False, today=None
) -> OutboxOutcome:
    """After a validate: a draft for each unit that has not sent, sent late, or sent a file with errors."""
    import datetime as dt

    from xl_addin.routine import outbox as O
    from xl_addin.routine.reminders import reminder_drafts

    today = today or dt.date.today()
    validation = validate_submissions(port, period_code, today=today, write_outputs=False)
    result, plan, ws = validation.result, validation.plan, port.workspace
    attachments = O.reminder_attachments(ws, result)
    O.require(attachments)
    recipients, head = O.addressing(plan, port.tables())
    drafts = reminder_drafts(plan, result, recipients, {a.unit: a.path for a in attachments}, head, today)
    folder = ws.outbox / result.period.code / f"nhac_nop_{today.isoformat()}"
    zalo = (f"zalo_nhac_{result.period.code}.txt", f"NHẮC NỘP BÁO CÁO TIẾN ĐỘ {result.period.name.upper()}")
    outcome = _written(ws, drafts, folder, zalo, recipients, head, force=force)
    outcome.unrouted = O.unrouted_files(result)
    return outcome


def _written(
    ws: Workspace,
    drafts: list[Draft],
    folder: Path,
    zalo: tuple[str, str],
    recipients: Recipients,
    head: Letterhead,
    *,
    force: bool,
) -> OutboxOutcome:
    """The drafts and the Zalo list written under the workspace lock, and what the clerk is told about them."""
    from xl_addin.files.lock import WorkspaceLock
    from xl_addin.routine import outbox as O

    with WorkspaceLock(ws.root):
        files, zalo_path = O.write_outbox(drafts, folder, zalo, head.address, force=force)
    missing = recipients.without_address([d.unit for d in drafts])
    return O.OutboxOutcome(folder, drafts, files, zalo_path, recipients.warnings, missing)


def start_new_year(port: WorkbookPort, year: int, out: Path | None = None) -> NewYearOutcome:
    """Next plan year's workspace at ``out`` (default: beside this one); this workspace is only read."""
    from xl_addin.routine.new_workspace import archived_statuses, create_next_workspace, default_new_root
    from xl_addin.routine.new_year import finished_tasks, next_year_plan

    plan = load_plan(port)
    old = port.workspace
    if year != plan.settings.plan_year + 1:
        raise UsageError(
            f"Năm mới phải là {plan.settings.plan_year + 1}, năm liền sau Kế hoạch năm {plan.settings.plan_year} "
            f"của thư mục “{old.root}”; không tạo được Kế hoạch năm {year} từ thư mục này."
        )
    target = Path(out) if out is not None else default_new_root(old.root, plan.settings.plan_year, year)
    statuses = archived_statuses(old)
    finished = finished_tasks(plan, statuses) if statuses is not None else None
    port.progress(f"Đang tạo thư mục làm việc năm {year}…", 0, 0)
    return create_next_workspace(old, next_year_plan(plan, year, finished), target)

"""Validation rules for unit submissions: every problem at once, never a silent fix.

Pure: inbox files already read by ``intake.inbox`` plus the plan, the period and the
previous period's accepted rows come in; findings, the accepted rows and each
unit's status go out. A value the rules can read in a non-standard way (``80%``
typed as text) is read *and* warned about; nothing is coerced silently.

The rules come in two halves: ``intake.sheet_rules.SheetRules`` looks at one sheet alone
and may run where the file is read (``read_inbox(check=...)``); :func:`validate` adds
the rules that compare files (one submission per unit, missing, late).
"""

from __future__ import annotations

import datetime as dt

from xl_addin.core.contracts import Finding, Rule, Severity, UnitState
from xl_addin.core.gc_pause import gc_paused
from xl_addin.core.model import Period, Plan
from xl_addin.core.submissions import InboxFile, ReportRow, SheetSubmission, UnitStatus, ValidationResult
from xl_addin.core.vnformat import short_date
from xl_addin.intake.sheet_rules import History, SheetRules

__all__ = ["SheetRules", "validate"]

ERROR, WARNING = Severity.ERROR, Severity.WARNING


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
    with gc_paused():  # see core.gc_pause: a quarter of the time for 1,000 submissions
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
                findings.append(
                    Finding(
                        "",
                        unit.code,
                        "",
                        "",
                        WARNING,
                        Rule.MISSING,
                        f"{unit.name} chưa nộp báo cáo {period.name} (hạn {short_date(period.deadline)}); hãy nhắc đơn "
                        "vị gửi tệp và chép vào thư mục nop.",
                    )
                )
                statuses.append(UnitStatus(unit.code, unit.name, UnitState.MISSING, "", None, 0, 0))
            continue
        chosen, *others = cands
        file, sub, items, sub_rows = chosen
        for other in others:
            findings.append(
                Finding(
                    other[0].label,
                    unit.code,
                    other[1].sheet,
                    "",
                    WARNING,
                    Rule.DUPLICATE,
                    f"{unit.name} có nhiều hơn một bản báo cáo {period.name}; dùng bản sửa đổi gần nhất "
                    f"“{file.label}” ({file.modified:%d/%m/%Y %H:%M}), bỏ qua bản này.",
                )
            )
        file_errors = [f for f in file.findings if f.severity == ERROR]
        errors = [f for f in items if f.severity == ERROR] + file_errors
        warns = [f for f in items if f.severity == WARNING]
        late = file.modified > deadline_end
        if late:
            late_finding = Finding(
                file.label,
                unit.code,
                sub.sheet,
                "",
                WARNING,
                Rule.LATE,
                f"{unit.name} nộp muộn: tệp nhận lúc {file.modified:%H:%M %d/%m/%Y}, hạn nộp hết ngày "
                f"{short_date(period.deadline)}.",
            )
            findings.append(late_finding)
            warns.append(late_finding)
        state = UnitState.REJECTED if errors else (UnitState.LATE if late else UnitState.ON_TIME)
        statuses.append(
            UnitStatus(
                unit.code, unit.name, state, file.label, file.modified, len(errors), len(warns), sub.reporter, sub.phone
            )
        )
        if not errors:
            rows += sub_rows
            accepted.append((file, sub))
    return ValidationResult(period, findings, rows, statuses, accepted, files)

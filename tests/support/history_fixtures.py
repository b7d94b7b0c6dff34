"""A workspace with a history: the demo's March consolidated, then an April filled from new templates.

Built the way a clerk builds it: the demo fills and consolidates March; the March files are
filed away in ``nop/2024-03/``; April's templates are made, every unit fills its own (the
work moved on from March: ``demo_fill.next_month_answers``), Văn phòng Sở sends late, and
April is consolidated into the archive.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from xl_addin.actions import consolidate_submissions, init_workspace, make_templates
from xl_addin.excel.ports import FilePort, load_plan
from xl_addin.forms.layout import template_file_name
from xl_addin.tools.demo import REPORTERS, fill_demo_inbox
from xl_addin.tools.demo_fill import demo_answers, fill_submission, next_month_answers

APRIL_LATE_UNIT = "VP"


def march_workspace(root: Path) -> Path:
    """The demo workspace: March 2024 filled as ``ddci demo`` fills it, and consolidated.

    Without the demo's LibreOffice round trip of one file (the same values; ``test_reports``
    runs the whole demo): it costs a LibreOffice start, 2–3 s.
    """
    from unittest import mock

    init_workspace(root)
    port = FilePort(root)
    with mock.patch("xl_addin.tools.demo._resave_with_libreoffice", return_value=False):
        fill_demo_inbox(port)
    consolidate_submissions(port)
    return root


def add_april(root: Path) -> Path:
    """File March away, fill and consolidate April 2024 in the workspace ``march_workspace`` made."""
    port = FilePort(root)
    inbox = root / "nop"
    (inbox / "2024-03").mkdir(exist_ok=True)
    for path in inbox.glob("*.xlsx"):
        shutil.move(str(path), inbox / "2024-03" / path.name)
    plan = load_plan(port)
    march, april = plan.period("2024-03"), plan.period("2024-04")
    assert march is not None and april is not None
    templates = make_templates(port, april.code)
    (inbox / april.code).mkdir(exist_ok=True)
    on_time = dt.datetime.combine(april.end, dt.time(15, 0))
    for n, code in enumerate(plan.reporting_unit_codes):
        answers = next_month_answers(plan, code, demo_answers(plan, code, march, seed=n), april, seed=n)
        dest = inbox / april.code / f"{code}_bao_cao_{april.code}.xlsx"
        fill_submission(templates.folder / template_file_name(code, april.code), dest, answers, REPORTERS[code])
        when = on_time - dt.timedelta(hours=n)
        if code == APRIL_LATE_UNIT:
            when = dt.datetime.combine(april.deadline + dt.timedelta(days=2), dt.time(10, 0))
        os.utime(dest, (when.timestamp(), when.timestamp()))
    consolidate_submissions(port, april.code)
    return root

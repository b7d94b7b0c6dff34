"""What the archive gives back about past periods: plain records, no I/O.

``results.archive`` reads them out of SQLite; ``documents.period_picture`` makes the
quarter, 6-month or year picture out of them. Rows are those of each unit's current
(latest accepted, not superseded) submission; states are who sent what in a period, as
the consolidation of that period saw it (a file with errors was sent but not archived).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from xl_addin.core.contracts import UnitState


class ArchivedRow(NamedTuple):
    """One task row of a current archived submission."""

    period: str
    unit: str
    received_at: dt.datetime
    file_name: str
    sheet: str
    task_code: str
    role: str
    status: str
    percent: float | None
    result: str
    difficulty: str
    proposal: str
    done_date: dt.date | None
    row: int


class ArchivedState(NamedTuple):
    """A unit's state in one period, recorded when that period was consolidated."""

    period: str
    unit: str
    state: UnitState
    received_at: dt.datetime | None

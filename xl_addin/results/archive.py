"""History across periods in an embedded SQLite archive (``DIR/.ddci/archive.sqlite``).

Each accepted submission is stored with its unit, period, the sha256 of the file,
when it was received and its rows; the original file's bytes are kept by hash in the
archive itself (``kept_files``), in the same transaction as its rows: one commit makes
them durable together, where a file per submission cost a flush to disk each (0.4 s for
1,000 submissions). Archives written before kept them in ``.ddci/files/``; the next
consolidation brings those in too (checked against their hash), and the folder is left
as it was. Re-running is idempotent (same file, same row); a resubmission
supersedes the earlier one and both stay. Each consolidation also records every
unit's state in the period (on time, late, missing, sent with errors), which the
archived submissions alone cannot tell. Every write is one transaction, so a killed
run leaves the archive as it was before the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xl_addin.core.contracts import UnitState
from xl_addin.core.errors import DdciError
from xl_addin.core.history import ArchivedRow, ArchivedState
from xl_addin.core.model import Period
from xl_addin.core.periods import parse_period
from xl_addin.core.submissions import UnitStatus

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    unit TEXT NOT NULL,
    period TEXT NOT NULL,
    period_kind TEXT NOT NULL,
    period_end TEXT NOT NULL,
    sheet TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file_name TEXT NOT NULL,
    received_at TEXT NOT NULL,
    archived_at TEXT NOT NULL,
    reporter TEXT,
    phone TEXT,
    superseded_by INTEGER REFERENCES submissions(id),
    UNIQUE (unit, period, sha256, sheet)
);
CREATE TABLE IF NOT EXISTS report_rows (
    submission_id INTEGER NOT NULL REFERENCES submissions(id),
    task_code TEXT NOT NULL,
    role TEXT,
    status TEXT,
    percent REAL,
    result TEXT,
    difficulty TEXT,
    proposal TEXT,
    done_date TEXT,
    sheet_row INTEGER
);
CREATE TABLE IF NOT EXISTS unit_states (
    period TEXT NOT NULL,
    unit TEXT NOT NULL,
    state TEXT NOT NULL,
    received_at TEXT,
    file_name TEXT,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (period, unit)
);
CREATE TABLE IF NOT EXISTS kept_files (
    sha256 TEXT PRIMARY KEY,
    suffix TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS rows_by_submission ON report_rows(submission_id);
CREATE INDEX IF NOT EXISTS submissions_current ON submissions(unit, period) WHERE superseded_by IS NULL;
"""


class ArchiveError(DdciError):
    """A submission that could not be archived as it was checked."""


@dataclass(frozen=True)
class ArchivedSubmission:
    unit: str
    period: str
    file_name: str
    sha256: str
    received_at: dt.datetime
    current: bool


class Archive:
    """The SQLite archive of one workspace."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.files = self.path.parent / "files"  # where archives before kept_files kept the originals
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=10)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.db:
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def record(
        self,
        period: Period,
        accepted: Iterable[tuple],
        rows: Iterable,
        units: Iterable[UnitStatus] = (),
        *,
        before_commit: Callable[[], object] | None = None,
    ) -> tuple[int, int]:
        """Store accepted submissions and their rows, and every unit's state; returns (new, already archived).

        ``before_commit`` runs last inside the transaction: if it raises, nothing is recorded
        (``consolidate`` waits there for its workbook, so the period is archived only once that is written).
        """
        rows_by_sheet: dict[tuple[str, str], list] = {}
        for r in rows:
            rows_by_sheet.setdefault((r.file, r.sheet), []).append(r)
        kind = parse_period(period.code).kind
        now = dt.datetime.now().isoformat(timespec="seconds")
        new = old = 0
        copies: dict[str, Path] = {}
        known = {  # (unit, sha256, sheet) → (id, still current)
            (unit, sha, sheet): (sub_id, superseded is None)
            for sub_id, unit, sha, sheet, superseded in self.db.execute(
                "SELECT id, unit, sha256, sheet, superseded_by FROM submissions WHERE period=?", (period.code,)
            )
        }
        task_rows: list[tuple] = []
        with self.db:  # one transaction: all or nothing (a file that cannot be kept rolls the rows back)
            self.db.executemany(
                "INSERT OR REPLACE INTO unit_states VALUES (?,?,?,?,?,?)",
                [
                    (
                        period.code,
                        u.unit,
                        str(u.state),
                        u.received.isoformat(timespec="seconds") if u.received else None,
                        u.file,
                        now,
                    )
                    for u in units
                ],
            )
            for file, sub in accepted:
                found = known.get((sub.unit, file.sha256, sub.sheet))
                if found is not None:
                    old += 1
                    if not found[1]:  # sent again after a later version: the one archived before is current again
                        self._make_current(found[0], sub.unit, period.code)
                    continue
                cur = self.db.execute(
                    "INSERT INTO submissions (unit, period, period_kind, period_end, sheet, sha256, file_name,"
                    " received_at, archived_at, reporter, phone) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        sub.unit,
                        period.code,
                        kind,
                        period.end.isoformat(),
                        sub.sheet,
                        file.sha256,
                        file.label,
                        file.modified.isoformat(timespec="seconds"),
                        now,
                        sub.reporter,
                        sub.phone,
                    ),
                )
                new_id = cur.lastrowid
                assert new_id is not None  # an INSERT always sets it
                known[(sub.unit, file.sha256, sub.sheet)] = (new_id, True)
                self._make_current(new_id, sub.unit, period.code)
                task_rows += [
                    (
                        new_id,
                        r.task_code,
                        r.role,
                        r.status,
                        r.percent,
                        r.result,
                        r.difficulty,
                        r.proposal,
                        r.done_date.isoformat() if r.done_date else None,
                        r.row,
                    )
                    for r in rows_by_sheet.get((file.label, sub.sheet), [])
                ]
                copies.setdefault(file.sha256, file.path)
                new += 1
            self.db.executemany("INSERT INTO report_rows VALUES (?,?,?,?,?,?,?,?,?,?)", task_rows)
            self._keep_files(copies)
            if before_commit is not None:
                before_commit()
        return new, old

    def _make_current(self, sub_id: int, unit: str, period_code: str) -> None:
        """``sub_id`` becomes the unit's current submission of the period, superseding the one current before."""
        self.db.execute(
            "UPDATE submissions SET superseded_by=? WHERE unit=? AND period=? AND id<>? AND superseded_by IS NULL",
            (sub_id, unit, period_code, sub_id),
        )
        self.db.execute("UPDATE submissions SET superseded_by=NULL WHERE id=?", (sub_id,))

    def _keep_files(self, copies: dict[str, Path]) -> None:
        """Keep each new file's bytes by hash, in the open transaction.

        The bytes kept are checked against the hash the checks were made on: a file replaced
        since it was read stops the run (and rolls it back) rather than keeping other bytes.
        """
        kept = {sha for (sha,) in self.db.execute("SELECT sha256 FROM kept_files")}
        self._bring_in_old_folder(kept)
        for sha256, source in copies.items():
            suffix = source.suffix.lower()
            if sha256 in kept:
                continue
            try:
                data = source.read_bytes()
            except OSError as exc:
                raise ArchiveError(
                    f"Không đọc được tệp “{source.name}” để lưu trữ ({exc.strerror or exc}); "
                    "hãy đóng tệp nếu đang mở rồi chạy lại."
                ) from exc
            if hashlib.sha256(data).hexdigest() != sha256:
                raise ArchiveError(
                    f"Tệp “{source.name}” vừa bị thay đổi trong lúc tổng hợp; chưa lưu trữ gì. Hãy chạy lại "
                    "lệnh tổng hợp để kiểm tra bản mới."
                )
            self.db.execute("INSERT INTO kept_files VALUES (?,?,?)", (sha256, suffix, data))

    def _bring_in_old_folder(self, kept: set[str]) -> None:
        """Originals an older version kept in ``.ddci/files/<sha256>.<ext>``, into ``kept_files`` (once).

        Each is checked against the hash in its name; the folder itself is left as it was.
        """
        if not self.files.is_dir():
            return
        for path in sorted(self.files.iterdir()):
            sha256, dot, suffix = path.name.partition(".")
            if len(sha256) != 64 or not dot or sha256 in kept or not path.is_file():
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue  # still found there by original()
            if hashlib.sha256(data).hexdigest() == sha256:
                self.db.execute("INSERT INTO kept_files VALUES (?,?,?)", (sha256, f".{suffix.lower()}", data))
                kept.add(sha256)

    def original(self, sha256: str) -> tuple[bytes, str] | None:
        """The bytes and suffix (``.xlsx``) of the archived file with this hash, or None when it is not kept."""
        found = self.db.execute("SELECT content, suffix FROM kept_files WHERE sha256=?", (sha256,)).fetchone()
        if found:
            return bytes(found[0]), found[1]
        for path in sorted(self.files.glob(f"{sha256}.*")) if self.files.is_dir() else []:
            return path.read_bytes(), path.suffix.lower()
        return None

    def previous_rows(self, period: Period) -> dict[tuple[str, str], tuple[str, float | None, str]]:
        """(unit, task) → (status, percent, period) from the latest earlier period of the same kind."""
        found = self.latest_period_before(parse_period(period.code).kind, period.end)
        if not found:
            return {}
        out = {}
        for unit, task, status, percent in self.db.execute(
            "SELECT s.unit, r.task_code, r.status, r.percent FROM report_rows r JOIN submissions s "
            "ON s.id = r.submission_id WHERE s.period=? AND s.superseded_by IS NULL",
            (found,),
        ):
            out[(unit, task)] = (status or "", percent, found)
        return out

    def latest_statuses(self) -> dict[tuple[str, str], str]:
        """(unit, task) → the status in the latest period (by its end) the unit reported the task in."""
        out = {}
        for unit, task, status in self.db.execute(
            "SELECT s.unit, r.task_code, r.status FROM report_rows r JOIN submissions s ON s.id = r.submission_id "
            "WHERE s.superseded_by IS NULL ORDER BY s.period_end, s.id"
        ):
            out[(unit, task)] = status or ""
        return out

    def latest_period_before(self, kind: str, before: dt.date) -> str | None:
        """The code of the latest archived period of ``kind`` ending before ``before``."""
        found = self.db.execute(
            "SELECT period FROM submissions WHERE period_kind=? AND period_end<? AND superseded_by IS NULL "
            "ORDER BY period_end DESC LIMIT 1",
            (kind, before.isoformat()),
        ).fetchone()
        return found[0] if found else None

    def current_rows(self, periods: Sequence[str]) -> list[ArchivedRow]:
        """The task rows of every current submission of these periods, by period, unit and sheet row."""
        marks = ",".join("?" * len(periods))
        out = []
        for (
            period,
            unit,
            received,
            name,
            sheet,
            task,
            role,
            status,
            pct,
            result,
            diff,
            prop,
            done,
            row,
        ) in self.db.execute(
            "SELECT s.period, s.unit, s.received_at, s.file_name, s.sheet, r.task_code, r.role, r.status, r.percent, "
            "r.result, r.difficulty, r.proposal, r.done_date, r.sheet_row FROM report_rows r JOIN submissions s "
            f"ON s.id = r.submission_id WHERE s.period IN ({marks}) AND s.superseded_by IS NULL "
            "ORDER BY s.period_end, s.unit, r.sheet_row",
            tuple(periods),
        ):
            out.append(
                ArchivedRow(
                    period,
                    unit,
                    dt.datetime.fromisoformat(received),
                    name,
                    sheet,
                    task,
                    role or "",
                    status or "",
                    pct,
                    result or "",
                    diff or "",
                    prop or "",
                    dt.date.fromisoformat(done) if done else None,
                    row or 0,
                )
            )
        return out

    def unit_states(self, periods: Sequence[str]) -> list[ArchivedState]:
        """Every unit's recorded state in these periods (none for periods consolidated before states were kept)."""
        marks = ",".join("?" * len(periods))
        return [
            ArchivedState(period, unit, UnitState(state), dt.datetime.fromisoformat(received) if received else None)
            for period, unit, state, received in self.db.execute(
                f"SELECT period, unit, state, received_at FROM unit_states WHERE period IN ({marks}) "
                "ORDER BY period, unit",
                tuple(periods),
            )
        ]

    def submissions(self) -> list[ArchivedSubmission]:
        return [
            ArchivedSubmission(unit, period, name, sha, dt.datetime.fromisoformat(received), sup is None)
            for unit, period, name, sha, received, sup in self.db.execute(
                "SELECT unit, period, file_name, sha256, received_at, superseded_by FROM submissions "
                "ORDER BY period_end, period, unit, id"
            )
        ]

    def check(self) -> bool:
        return self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

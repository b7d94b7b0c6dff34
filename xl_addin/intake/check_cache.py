"""What the checks found in each submission, kept for the next command of the same period.

``ddci validate`` reads and checks every file; ``ddci consolidate`` and ``ddci report``
run right after it need exactly the same results. Each file's results (its per-sheet
checks, the rows they accepted, the file's own findings) are kept in
``DIR/.ddci/cache/<kỳ>.json``, keyed by the file's name and the sha256 of its bytes. A
later command reuses an entry only when

* the file has the same name, size and sha256 now (a changed or new file is always read
  again; hashing 1,000 files takes about 30 ms, reading them about 1.5 s);
* the run key is the same: this program's code, the plan (every table of the master
  workbook), the period, today's date and the previous period's archived rows (what the
  rules compare with). Any change drops the whole cache.

The cache is never trusted blindly: the first line carries a format mark, the run key and
the sha256 of the body; a file that is damaged, truncated, from another version or
inconsistent in any field is ignored (the files are then read as if it were not there),
never a crash. It holds nothing that is not in the inbox already, and is rewritten only
when something changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xl_addin.core.contracts import Finding, Rule, Severity
from xl_addin.core.submissions import InboxFile, ReportRow, SheetSubmission
from xl_addin.intake.sheet_rules import SheetCheck, SheetRules

__all__ = ["CheckCache", "code_version", "run_key"]

FORMAT = "ddci-check-cache 1"
MAX_BYTES = 512 * 2**20  # a cache file larger than this is not read
_PACKAGE = Path(__file__).resolve().parent.parent
_SAFE_NAME = re.compile(r"[^0-9A-Za-z_-]")
_code_version: str | None = None


def code_version() -> str:
    """A digest of this program: every module of the package and the reader's installed files.

    Any change of code (an upgrade, a fix in a rule) therefore drops every cache. Where the
    sources cannot be read (a frozen build), the package version stands for them.
    """
    global _code_version
    if _code_version is None:
        import python_calamine

        from xl_addin import __version__

        digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
        # The reader's installed files (size, time) stand for its version: a metadata lookup costs 40 ms.
        for path in sorted(Path(python_calamine.__file__).parent.iterdir()):
            with contextlib.suppress(OSError):
                if path.is_file():
                    st = path.stat()
                    digest.update(f"{path.name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
        for path in sorted(_PACKAGE.rglob("*.py")):
            try:
                digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
            except OSError:
                digest.update(b"unreadable")
        _code_version = digest.hexdigest()
    return _code_version


def run_key(rules: SheetRules) -> str:
    """Everything besides a file's bytes that its checks depend on, as one digest."""
    digest = hashlib.sha256(code_version().encode())
    for part in (rules.plan, rules.period, rules.today.isoformat(), sorted(rules.history.items())):
        digest.update(b"\0" + repr(part).encode("utf-8"))
    return digest.hexdigest()


# --- encoding ---------------------------------------------------------------------------------------------


def _encode_finding(f: Finding) -> list:
    return [f.file, f.unit, f.sheet, f.cell, str(f.severity), str(f.rule), f.message]


def _encode_rows(rows: list[ReportRow]) -> list:
    """[unit, period, file, sheet] once (every row of a sheet shares them), then each row's other fields."""
    if not rows:
        return []
    first = rows[0]
    return [
        [first.unit, first.period, first.file, first.sheet],
        *[[*r[2:9], r.done_date.isoformat() if r.done_date else None, r.row, r.has_warning] for r in rows],
    ]


def _encode(file: InboxFile) -> dict[str, Any]:
    return {
        "sha256": file.sha256,
        "size": file.size,
        "kind": file.kind,
        "findings": [_encode_finding(f) for f in file.findings],
        "sheets": [
            [
                s.sheet,
                s.unit,
                s.period,
                s.version,
                s.fingerprint,
                s.identity_rows,
                s.header_row,
                s.columns,
                s.reporter,
                s.phone,
                s.error_cells,
                s.junk_rows,
            ]
            for s in file.sheets
        ],
        "checks": [[c.candidate, [_encode_finding(f) for f in c.findings], _encode_rows(c.rows)] for c in file.checks],
    }


# --- decoding, every field checked ----------------------------------------------------------------------------


class _Bad(ValueError):
    """A cache entry that does not have the shape this program writes."""


def _str(value: object) -> str:
    if type(value) is not str:
        raise _Bad
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _Bad
    return value


def _str_dict(value: object, kind: type) -> dict:
    if type(value) is not dict or not all(type(v) is kind for v in value.values()):
        raise _Bad
    return value


_FINDING_SHAPE = (str,) * 7
_NONE = type(None)
_ROW_SHAPES = frozenset(
    (str, str, str, percent, str, str, str, done, int, bool) for percent in (float, _NONE) for done in (str, _NONE)
)


def _decode_finding(x: object, label: str) -> Finding:
    if type(x) is not list or tuple(map(type, x)) != _FINDING_SHAPE or x[0] != label:
        raise _Bad
    return Finding(x[0], x[1], x[2], x[3], Severity(x[4]), Rule(x[5]), x[6])


def _decode_rows(x: object, label: str) -> list[ReportRow]:
    if type(x) is not list:
        raise _Bad
    if not x:
        return []
    common = x[0]
    if type(common) is not list or tuple(map(type, common)) != (str,) * 4 or common[2] != label:
        raise _Bad
    unit, period, file, sheet = common
    out = []
    for r in x[1:]:
        if type(r) is not list or tuple(map(type, r)) not in _ROW_SHAPES:
            raise _Bad
        done = None if r[7] is None else dt.date.fromisoformat(r[7])
        out.append(ReportRow(unit, period, r[0], r[1], r[2], r[3], r[4], r[5], r[6], done, file, sheet, r[8], r[9]))
    return out


def _decode_sheet(x: object, path: Path, label: str) -> SheetSubmission:
    if type(x) is not list or len(x) != 12:
        raise _Bad
    sheet, unit, period, version, fingerprint, identity = (_str(v) for v in x[:6])
    return SheetSubmission(
        file=path,
        file_label=label,
        sheet=sheet,
        unit=unit,
        period=period,
        version=version,
        fingerprint=fingerprint,
        identity_rows=identity,
        header_row=_int(x[6]),
        columns=_str_dict(x[7], int),
        rows=[],
        reporter=_str(x[8]),
        phone=_str(x[9]),
        error_cells=_str_dict(x[10], str),
        junk_rows=_int(x[11]),
    )


def _decode_check(x: object, label: str) -> SheetCheck:
    if type(x) is not list or len(x) != 3 or type(x[0]) is not bool or type(x[1]) is not list:
        raise _Bad
    return SheetCheck([_decode_finding(f, label) for f in x[1]], _decode_rows(x[2], label), x[0])


def _decode(entry: dict, path: Path, label: str, st: os.stat_result, checked_by: str) -> InboxFile:
    sheets, checks, findings = entry["sheets"], entry["checks"], entry["findings"]
    if not (type(sheets) is type(checks) is type(findings) is list) or len(sheets) != len(checks):
        raise _Bad
    return InboxFile(
        path=path,
        label=label,
        size=st.st_size,
        modified=dt.datetime.fromtimestamp(st.st_mtime),
        sha256=_str(entry["sha256"]),
        kind=_str(entry["kind"]),
        sheets=[_decode_sheet(s, path, label) for s in sheets],
        findings=[_decode_finding(f, label) for f in findings],
        checks=[_decode_check(c, label) for c in checks],
        checked_by=checked_by,
    )


# --- the cache file -------------------------------------------------------------------------------------------


@dataclass
class CheckCache:
    """The cache of one period in one workspace, for one run key (see the module docstring)."""

    path: Path
    key: str
    entries: dict[str, Any] = field(default_factory=dict)  # label → encoded entry, as read
    extra: dict[str, Any] = field(default_factory=dict)  # other records kept with the entries (returned copies)
    reused: set[str] = field(default_factory=set)
    note: str = ""  # why an existing cache file was not used
    _dirty: bool = False

    @classmethod
    def for_period(cls, state: Path, period_code: str, rules: SheetRules) -> CheckCache:
        """The cache in ``state`` (``DIR/.ddci``) for this period and these rules; empty when none is usable."""
        cache = cls(Path(state) / "cache" / f"{_SAFE_NAME.sub('_', period_code)}.json", run_key(rules))
        cache._load()
        return cache

    def _load(self) -> None:
        try:
            with self.path.open("rb") as fh:
                head = fh.readline(512).decode("ascii").split()
                if len(head) != 4 or " ".join(head[:2]) != FORMAT:
                    self.note = "không đúng định dạng"
                    return
                if head[2] != self.key:
                    self.note = "đã cũ"  # other code, plan, period, day or history: nothing to reuse
                    return
                body = fh.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES or hashlib.sha256(body).hexdigest() != head[3]:
                self.note = "bị hỏng"
                return
            data = json.loads(body)
            if type(data) is not dict or type(data.get("files")) is not dict or type(data.get("extra")) is not dict:
                self.note = "bị hỏng"
                return
        except FileNotFoundError:
            return
        except (OSError, ValueError, UnicodeDecodeError):  # unreadable, truncated, not JSON
            self.note = "bị hỏng"
            return
        self.entries, self.extra = data["files"], data["extra"]

    def reuser(self, inbox: Path, rules: SheetRules) -> Callable[[Path], InboxFile | None]:
        """For ``read_inbox(reuse=...)``: a file's cached results when its bytes are unchanged, else None."""
        inbox = Path(inbox)

        def reuse(path: Path) -> InboxFile | None:
            label = path.relative_to(inbox).as_posix()
            entry = self.entries.get(label)
            if type(entry) is not dict:
                return None
            try:
                st = path.stat()
                if not stat.S_ISREG(st.st_mode) or st.st_size != entry.get("size"):
                    return None
                with path.open("rb") as fh:
                    data = fh.read(st.st_size + 1)
                if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
                    return None
                item = _decode(entry, path, label, st, rules.key)
            except (OSError, ValueError, TypeError, KeyError):  # _Bad, a bad enum value or date: read the file
                return None
            self.reused.add(label)
            return item

        return reuse

    def update(self, files: list[InboxFile], rules: SheetRules) -> None:
        """Hold the results of ``files`` (checked by ``rules``); written by :meth:`flush`.

        Entries of files no longer in the inbox are dropped; files not read (a lock file, an
        unreadable file) or checked by other rules are not kept.
        """
        entries: dict[str, Any] = {}
        for f in files:
            if f.sha256 and f.checked_by == rules.key:
                entries[f.label] = self.entries[f.label] if f.label in self.reused else _encode(f)
        if not (entries.keys() == self.reused == self.entries.keys()):
            self._dirty = True
        self.entries = entries

    def keep(self, name: str, value: Any) -> None:
        """Hold another record of this period's run with the entries (the returned copies written)."""
        if self.extra.get(name) != value:
            self.extra[name] = value
            self._dirty = True

    def flush(self) -> bool:
        """Write the cache if anything changed; False when nothing was written.

        Best effort: a cache that cannot be written only means the next command reads the
        files again. Atomic, so two commands writing at once leave one whole file.
        """
        if not (self._dirty or self.note):
            return False
        from xl_addin.files.atomic import atomic_write

        written = self._write(atomic_write)
        self._dirty = False
        return written

    def _write(self, atomic_write) -> bool:
        body = json.dumps({"files": self.entries, "extra": self.extra}, ensure_ascii=False, separators=(",", ":"))
        data = body.encode("utf-8")
        head = f"{FORMAT} {self.key} {hashlib.sha256(data).hexdigest()}\n".encode("ascii")
        try:
            with atomic_write(self.path) as tmp:
                tmp.write_bytes(head + data)
        except OSError:
            return False
        self.note = ""
        return True

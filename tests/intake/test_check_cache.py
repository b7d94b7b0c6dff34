"""The check cache: a file is read once per period, and the cache never changes a result.

``consolidate`` after ``validate`` reuses the checks of unchanged files (``intake.check_cache``).
These tests prove it gives exactly what reading every file gives, that a changed or new
file is read again, that a change of the plan (or the day, or the code) drops the cache,
and that a damaged or doctored cache file is ignored without a crash.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tests.support import submission_fixtures as F
from xl_addin.actions import consolidate_submissions, validate_submissions
from xl_addin.excel.ports import FilePort
from xl_addin.intake import check_cache

TODAY = dt.date(2024, 3, 20)


def _cache_file(ws: Path) -> Path:
    return ws / ".ddci" / "cache" / f"{F.PERIOD}.json"


def _check(ws: Path, today: dt.date = TODAY, *, write: bool = False):
    return validate_submissions(FilePort(ws), F.PERIOD, write_outputs=write, today=today)


def _key(outcome) -> tuple:
    """Everything a run found; ``checked_by`` differs by design (it names the run's rules)."""
    r = outcome.result
    files = [dataclasses.replace(f, checked_by="") for f in r.files]
    return r.findings, r.rows, r.units, [(f.label, s.sheet) for f, s in r.accepted], files


@pytest.fixture
def units_month(workspace: Path) -> Path:
    """The units' files of a month: clean, late, rejected and warned (what the cache file's own checks need)."""
    F.make_case(workspace, "percent-text")  # VP: read with a warning
    F.filled(workspace, unit="TNNKS", seed=3)
    F.received(F.filled(workspace, unit="QLDD", seed=4), dt.datetime(2024, 3, 25, 9, 0))  # late
    bad = F.filled(workspace, unit="TTRA", seed=5, dest=workspace / "nop" / "ttra.xlsx")
    F.received(F._edit(bad, F.CASES["done-not-100"]))  # rejected: a returned copy is due
    return workspace


@pytest.fixture
def month(units_month: Path, corpus: dict[str, Path]) -> Path:
    """An inbox as a month brings it: the units' files and the hostile corpus."""
    for src in corpus.values():
        if src.is_file():
            shutil.copy2(src, units_month / "nop" / src.name)
    return units_month


def test_second_run_reuses_every_file_and_finds_the_same(month: Path) -> None:
    first = _check(month)
    assert first.reused == 0 and _cache_file(month).is_file()
    second = _check(month)
    cached = len(json.loads(_cache_file(month).read_bytes().split(b"\n", 1)[1])["files"])
    assert cached >= 5 and second.reused == cached  # every file that was read is reused
    assert _key(second) == _key(first)
    assert first.result.errors and first.result.warnings and first.result.rows


def _grid(book: Path, sheet: str) -> list:
    return CalamineWorkbook.from_path(str(book)).get_sheet_by_name(sheet).to_python()


def test_consolidation_identical_with_and_without_cache(month: Path) -> None:
    cold = consolidate_submissions(FilePort(month), F.PERIOD, today=TODAY)
    assert cold.validation.reused == 0
    book = month / "bao_cao" / f"tong_hop_{F.PERIOD}.xlsx"
    cold_grid = {
        n: CalamineWorkbook.from_path(str(book)).get_sheet_by_name(n).to_python() for n in cold.consolidation.sheets()
    }
    warm = consolidate_submissions(FilePort(month), F.PERIOD, today=TODAY)
    assert warm.validation.reused > 0
    assert _key(warm.validation) == _key(cold.validation)
    for name, frame in cold.consolidation.sheets().items():
        pd.testing.assert_frame_equal(warm.consolidation.sheets()[name], frame)
        assert _grid(book, name) == cold_grid[name]


def test_changed_and_new_files_are_read_again(month: Path) -> None:
    _check(month)
    cached = _check(month).reused
    vp = month / "nop" / f"{F.UNIT}_{F.PERIOD}.xlsx"
    F.make_case(month, "status-invalid")  # the same name, other bytes
    F.filled(month, unit="TTQT", seed=9)  # a new file
    after = _check(month)
    assert after.reused == cached - 1
    assert "status-invalid" in {f.rule for f in after.result.findings if f.file == vp.name}
    assert "percent-text" not in {f.rule for f in after.result.findings if f.file == vp.name}
    assert any(f.label == f"TTQT_{F.PERIOD}.xlsx" and f.sheets for f in after.result.files)
    again = _check(month)  # both are cached now
    assert again.reused == cached + 1 and _key(again) == _key(after)


def test_same_size_other_bytes_is_read_again(month: Path) -> None:
    _check(month)
    cached = _check(month).reused
    path = month / "nop" / "TNNKS_2024-03.xlsx"
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # the end of the zip's directory: same size, no longer a readable workbook
    path.write_bytes(bytes(data))
    after = _check(month)
    assert after.reused == cached - 1
    assert not next(f for f in after.result.files if f.label == path.name).sheets


def test_plan_change_day_and_code_drop_the_cache(month: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _check(month, write=True)  # writes the dashboard into master.xlsx: that alone changes nothing
    assert _check(month).reused > 0
    assert _check(month, today=TODAY + dt.timedelta(days=1)).reused == 0  # the rules compare dates with today
    _check(month)
    monkeypatch.setattr(check_cache, "_code_version", "another build")
    assert _check(month).reused == 0
    monkeypatch.undo()
    _check(month)
    wb = load_workbook(month / "master.xlsx")
    ws = wb["Nhiệm vụ"]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 40:
                cell.value += " (sửa)"
                break
        else:
            continue
        break
    wb.save(month / "master.xlsx")
    changed = _check(month)
    assert changed.reused == 0
    assert "plan-changed" in {f.rule for f in changed.result.findings} - {f.rule for f in first.result.findings}


def _rewrite(path: Path, body: bytes, key: str | None = None, digest: str | None = None) -> None:
    head = path.read_bytes().split(b"\n", 1)[0].decode().split()
    head[2] = key or head[2]
    head[3] = digest or hashlib.sha256(body).hexdigest()
    path.write_bytes(" ".join(head).encode() + b"\n" + body)


def _doctored(path: Path, change) -> None:
    """Change the cache's data and sign it again as this program would: it must still be checked field by field."""
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    change(data)
    _rewrite(path, json.dumps(data, ensure_ascii=False).encode())


def _unknown_rule(data: dict) -> None:
    for name, entry in data["files"].items():
        entry["findings"].append([name, "", "", "", "error", "no-such-rule", "x"])


def _first_rows(data: dict) -> list:
    """The encoded rows of the first sheet that has some: [unit, period, file, sheet], then one list per row."""
    return next(c[2] for e in data["files"].values() for c in e["checks"] if c[2])


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_bytes(p.read_bytes()[:-40] + b"X" + p.read_bytes()[-39:]),  # one byte changed
        lambda p: p.write_bytes(b"\x00\xff garbage"),
        lambda p: p.write_bytes(b""),
        lambda p: _rewrite(p, b"[1, 2, 3]"),  # signed, but not the shape this program writes
        lambda p: _rewrite(p, b"{not json"),
        lambda p: _doctored(p, lambda d: _first_rows(d)[1].__setitem__(3, "100")),  # percent as text
        lambda p: _doctored(p, lambda d: _first_rows(d)[1].__setitem__(7, "31/02/2024")),  # no such date
        lambda p: _doctored(p, lambda d: _first_rows(d)[0].__setitem__(2, "other.xlsx")),  # another file's row
        lambda p: _doctored(
            p,
            lambda d: [
                e["findings"].append([n, "", "", "", "error", "no-such-rule", "x"]) for n, e in d["files"].items()
            ],
        ),
        lambda p: _doctored(p, lambda d: [e.__setitem__("checks", "x") for e in d["files"].values()]),
        lambda p: (p.unlink(), p.mkdir()),  # a folder where the file was
    ],
    ids=[
        "truncated",
        "byte-changed",
        "garbage",
        "empty",
        "wrong-shape",
        "not-json",
        "percent-text",
        "bad-date",
        "other-file",
        "unknown-rule",
        "checks-not-list",
        "folder",
    ],
)
def test_damaged_cache_is_ignored(units_month: Path, damage) -> None:
    month = units_month  # the damage is to the cache file: the hostile files add nothing here
    truth = _check(month)
    damage(_cache_file(month))
    after = _check(month)
    assert _key(after) == _key(truth)
    assert after.reused < len(truth.result.files)
    if _cache_file(month).is_file():  # written again, whole: the next run reuses it
        assert _check(month).reused > 0


def test_doctored_entry_is_dropped_alone(month: Path) -> None:
    """One entry that does not check out is read again; the others are still reused."""
    truth = _check(month)
    path = _cache_file(month)
    data = json.loads(path.read_bytes().split(b"\n", 1)[1])
    label = next(n for n, e in data["files"].items() if any(c[2] for c in e["checks"]))
    next(c for c in data["files"][label]["checks"] if c[2])[2][1][9] = "yes"  # has_warning must be a bool
    _rewrite(path, json.dumps(data, ensure_ascii=False).encode())
    after = _check(month)
    assert after.reused == len(data["files"]) - 1
    assert _key(after) == _key(truth)


def test_returned_copy_written_once_for_the_same_findings(month: Path) -> None:
    first = _check(month, write=True)
    (copy,) = [p for p in first.returned if p.name == "ttra.xlsx"]
    stamp = copy.stat().st_mtime_ns
    second = _check(month, write=True)
    assert copy in second.returned and copy.stat().st_mtime_ns == stamp  # not written again
    copy.unlink()
    third = _check(month, write=True)
    assert copy in third.returned and copy.is_file()  # deleted by hand: written again
    F._edit(month / "nop" / "ttra.xlsx", F.CASES["status-invalid"])  # other findings: written again
    before = copy.stat().st_mtime_ns
    _check(month, write=True)
    assert copy.stat().st_mtime_ns != before
    messages = [r[4] for r in load_workbook(copy)["Lỗi cần sửa"].iter_rows(min_row=5, values_only=True)]
    assert any("Xong rồi" in str(m) for m in messages)

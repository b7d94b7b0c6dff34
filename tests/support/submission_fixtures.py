"""Generate unit submissions, one per failure mode, from the real templates (no binaries committed).

``make_case(workspace, case)`` fills the unit's template as a division would and then
breaks it in one way; ``python -m tests.submission_fixtures DIR`` writes them all for
a look in Excel or LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from xl_addin.actions import init_workspace, make_templates
from xl_addin.excel.ports import FilePort, load_plan
from xl_addin.forms import layout as L
from xl_addin.tools.demo_fill import demo_answers, fill_submission, find_header_row

PERIOD = "2024-03"
UNIT = "VP"
ON_TIME = dt.datetime(2024, 3, 14, 10, 0)


def received(path: Path, when: dt.datetime = ON_TIME) -> Path:
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


# Built files by what determines their bytes (the master's content, unit, period, seed or case):
# most tests start from the same seed workspace, and writing a template or filling one through
# openpyxl costs a quarter to half a second each time.
_BUILT: dict[tuple[str, ...], bytes] = {}


def _master_key(ws_root: Path) -> str:
    return hashlib.sha256((ws_root / "master.xlsx").read_bytes()).hexdigest()


def _templates(ws_root: Path, period: str) -> Path:
    """``bieu_mau/<period>/``, written once per master content and copied after that."""
    folder = ws_root / "bieu_mau" / period
    key = ("templates", _master_key(ws_root), period)
    cached = {k[3]: v for k, v in _BUILT.items() if k[:3] == key}
    if cached:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in cached.items():
            if not (folder / name).exists():
                (folder / name).write_bytes(data)
        return folder
    make_templates(FilePort(ws_root), period)
    for path in folder.glob("*.xlsx"):
        _BUILT[(*key, path.name)] = path.read_bytes()
    return folder


def filled(ws_root: Path, unit: str = UNIT, dest: Path | None = None, period: str = PERIOD, seed: int = 1) -> Path:
    """A clean, complete submission for ``unit`` in the inbox."""
    dest = dest or ws_root / "nop" / f"{unit}_{period}.xlsx"
    template = _templates(ws_root, period) / L.template_file_name(unit, period)
    key = ("filled", _master_key(ws_root), unit, period, str(seed))
    if key in _BUILT:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_BUILT[key])
        return received(dest)
    plan = load_plan(FilePort(ws_root))
    answers = demo_answers(plan, unit, plan.period(period), seed=seed)
    fill_submission(template, dest, answers, ("Nguyễn Văn A", "0912 000 111"))
    _BUILT[key] = dest.read_bytes()
    return received(dest)


def _edit(path: Path, change: Callable) -> Path:
    wb = load_workbook(path)
    ws = wb[L.PROGRESS_SHEET]
    header, cols = find_header_row(ws)
    change(wb, ws, header, cols)
    wb.save(path)
    return received(path)


def _set(ws, header: int, cols: dict[str, int], k: int, column: str, value, as_text: bool = False) -> None:
    cell = ws.cell(row=header + 1 + k, column=cols[column])
    cell.value = value
    if as_text:
        cell.data_type = "s"


def _identity(wb, key: str, value: str) -> None:
    ws = wb[L.IDENTITY_SHEET]
    header = [c.value for c in ws[1]]
    ws.cell(row=2, column=header.index(key) + 1).value = value


CASES: dict[str, Callable[[object, object, int, dict], None]] = {
    "status-invalid": lambda wb, ws, h, c: _set(ws, h, c, 0, L.COL_STATUS, "Xong rồi"),
    "percent-range": lambda wb, ws, h, c: _set(ws, h, c, 0, L.COL_PERCENT, 150),
    "percent-invalid": lambda wb, ws, h, c: _set(ws, h, c, 0, L.COL_PERCENT, "khoảng tám mươi", True),
    "percent-text": lambda wb, ws, h, c: (
        _set(ws, h, c, 0, L.COL_STATUS, L.STATUS_IN_PROGRESS),
        _set(ws, h, c, 0, L.COL_PERCENT, "80%", True),
    ),
    "done-not-100": lambda wb, ws, h, c: (
        _set(ws, h, c, 0, L.COL_STATUS, L.STATUS_DONE),
        _set(ws, h, c, 0, L.COL_PERCENT, 90),
        _set(ws, h, c, 0, L.COL_RESULT, "Đã đăng tải đủ thông tin."),
    ),
    "done-no-result": lambda wb, ws, h, c: (
        _set(ws, h, c, 0, L.COL_STATUS, L.STATUS_DONE),
        _set(ws, h, c, 0, L.COL_PERCENT, 100),
        _set(ws, h, c, 0, L.COL_RESULT, None),
    ),
    "date-future": lambda wb, ws, h, c: _set(ws, h, c, 0, L.COL_DONE_DATE, dt.date.today() + dt.timedelta(days=30)),
    "date-before-plan": lambda wb, ws, h, c: _set(ws, h, c, 0, L.COL_DONE_DATE, dt.date(2023, 6, 1)),
    "formula-error": lambda wb, ws, h, c: _error_cell(ws, h, c),
    "row-deleted": lambda wb, ws, h, c: ws.delete_rows(h + 2),
    "row-inserted": lambda wb, ws, h, c: (
        ws.insert_rows(h + 2),
        _set(ws, h, c, 1, L.COL_CODE, "9.9"),
        _set(ws, h, c, 1, L.COL_TEXT, "Nhiệm vụ tự thêm"),
    ),
    "rows-reordered": lambda wb, ws, h, c: _swap(ws, h, c),
    "row-edited": lambda wb, ws, h, c: _set(ws, h, c, 2, L.COL_TEXT, "Nội dung đã bị sửa"),
    "unknown-unit": lambda wb, ws, h, c: _identity(wb, "unit", "PHONG_LA"),
    "wrong-period": lambda wb, ws, h, c: _identity(wb, "period", "2024-02"),
    "template-version": lambda wb, ws, h, c: _identity(wb, "version", "0"),
    "identity-missing": lambda wb, ws, h, c: wb.remove(wb[L.IDENTITY_SHEET]),
}


def _error_cell(ws, header: int, cols: dict[str, int]) -> None:
    cell = ws.cell(row=header + 1, column=cols[L.COL_PERCENT])
    cell.value = "#DIV/0!"
    cell.data_type = "e"


def _swap(ws, header: int, cols: dict[str, int]) -> None:
    a, b = header + 1, header + 2
    for col in range(1, ws.max_column + 1):
        x, y = ws.cell(row=a, column=col), ws.cell(row=b, column=col)
        x.value, y.value = y.value, x.value


def make_case(ws_root: Path, case: str, unit: str = UNIT) -> Path:
    """A submission of ``unit`` in the inbox, broken in the way ``case`` names."""
    key = ("case", _master_key(ws_root), case, unit, dt.date.today().isoformat())
    dest = filled(ws_root, unit=unit)
    if key in _BUILT:
        dest.write_bytes(_BUILT[key])
        return received(dest)
    path = _edit(dest, CASES[case])
    _BUILT[key] = path.read_bytes()
    return path


def raw_file(ws_root: Path, name: str, data: bytes) -> Path:
    path = ws_root / "nop" / name
    path.write_bytes(data)
    return received(path)


def truncated(ws_root: Path) -> Path:
    good = filled(ws_root, dest=ws_root / "good.xlsx")
    data = good.read_bytes()
    good.unlink()
    return raw_file(ws_root, "cat_do.xlsx", data[: len(data) // 2])


def macro_enabled(ws_root: Path) -> Path:
    """A filled submission saved as .xlsm with a (never run) VBA part."""
    import zipfile

    src = filled(ws_root, dest=ws_root / "src.xlsx")
    dest = ws_root / "nop" / f"{UNIT}_{PERIOD}.xlsm"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 508)
    src.unlink()
    return received(dest)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-submissions")
    for case in CASES:
        root = out / case
        shutil.rmtree(root, ignore_errors=True)
        init_workspace(root)
        print(make_case(root, case))


def with_junk_rows(path: Path, rows: int = 100_000) -> Path:
    """Append ``rows`` rows of junk below the task table by rewriting the sheet XML (fast, no openpyxl)."""
    import re
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        workbook = zin.read("xl/workbook.xml").decode()
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml" and "Tiến độ" in workbook:
                text = data.decode()
                last = max(int(n) for n in re.findall(r'<row r="(\d+)"', text))
                junk = "".join(
                    f'<row r="{last + k}"><c r="A{last + k}" t="inlineStr"><is><t>rác {k}</t></is></c></row>'
                    for k in range(1, rows + 1)
                )
                text = text.replace("</sheetData>", junk + "</sheetData>")
                text = re.sub(r'<dimension ref="[^"]+"/>', "", text)
                data = text.encode()
            zout.writestr(item, data)
    tmp.replace(path)
    return received(path)


def set_result(path: Path, k: int, value: str) -> Path:
    """Type ``value`` into the result cell of task row ``k`` (0-based) of a filled submission."""

    def change(wb, ws, header, cols):
        _set(ws, header, cols, k, L.COL_RESULT, value, as_text=True)

    return _edit(path, change)


def replace_in_sheets(path: Path, marker: str, text: str) -> Path:
    """Swap ``marker`` for ``text`` in the sheet XML (to write what openpyxl refuses: cells over 32,767 chars)."""
    import zipfile
    from xml.sax.saxutils import escape

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/"):
                data = data.replace(marker.encode(), escape(text).encode())
            zout.writestr(item, data)
    tmp.replace(path)
    return received(path)

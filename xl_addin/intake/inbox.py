"""Intake: find every submission in the inbox and read it, without ever changing it.

Each file is first inspected without parsing (``filesafety``: lock files, zip
bombs, password-protected files, DTDs), then read with python-calamine, every
division sheet in it; a workbook up to 8 MB is read from disk once, and hashed and
parsed from the bytes that were inspected. A caller may pass the per-sheet rules
(``check=validate.SheetRules``) to run where each file is read, in one or two
processes. A file that cannot be read becomes a finding, never a crash. The inbox
is opened read-only: nothing here writes, moves or deletes a file in it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from xl_addin.core.cells import cell_ref
from xl_addin.core.vnformat import clean_text, nfc
from xl_addin.forms import layout as L

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
SYSTEM_FILES = {"desktop.ini", "thumbs.db", ".ds_store"}  # written by Windows/macOS, never a submission
FORMULA_ERRORS = frozenset((
    "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!", "#GETTING_DATA",
))


@dataclass(frozen=True)
class Finding:
    """One problem: where it is, how bad, which rule, and a Vietnamese message saying how to fix it."""

    file: str
    unit: str
    sheet: str
    cell: str
    severity: str  # "error" | "warning"
    rule: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file, "unit": self.unit, "sheet": self.sheet, "cell": self.cell,
            "severity": self.severity, "rule": self.rule, "message": self.message,
        }


class RawRow(NamedTuple):
    """One task row as typed (str values NFC), with its 0-based sheet row.

    A NamedTuple rather than a frozen dataclass: one is made per task row of every file,
    and a tuple is built in half the time.
    """

    row: int
    values: dict[str, Any]


@dataclass
class SheetSubmission:
    """One division's report: a progress sheet and the identity it carries."""

    file: Path
    file_label: str
    sheet: str
    unit: str
    period: str
    version: str
    fingerprint: str
    identity_rows: str
    header_row: int = -1
    columns: dict[str, int] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    reporter: str = ""
    phone: str = ""
    error_cells: dict[str, str] = field(default_factory=dict)
    junk_rows: int = 0

    def cell(self, row: int, column: str) -> str:
        return cell_ref(row, self.columns[column]) if column in self.columns else ""


@dataclass
class InboxFile:
    """A file found in the inbox, with what reading it produced."""

    path: Path
    label: str  # path relative to the inbox, for messages
    size: int
    modified: dt.datetime
    sha256: str = ""
    kind: str = ""
    sheets: list[SheetSubmission] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Set by a ``check`` run where the file was read (``validate.SheetRules``): one check per
    # sheet, and the key of the rules that made them; the raw rows are then released.
    checks: list[Any] = field(default_factory=list)
    checked_by: str = ""


def list_inbox(inbox: Path, period_code: str | None = None) -> list[Path]:
    """Candidate files in ``nop/`` and ``nop/<period>/`` (lock files and folders named .xlsx are skipped later)."""
    folders = [inbox]
    if period_code and (inbox / period_code).is_dir():
        folders.append(inbox / period_code)
    out: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        # Everything but OS litter: a stray .doc or .pdf gets a finding instead of being ignored.
        out += sorted(p for p in folder.iterdir()
                      if p.name.lower() not in SYSTEM_FILES and not (p.is_dir() and p.suffix.lower() not in SUFFIXES))
    return out


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk step that creates no reference cycles.

    Reading, checking and consolidating a large inbox allocate tens of thousands of
    rows; each allocation burst triggered collections over every object of the process
    (a quarter of ``validate``'s time for 1,000 submissions). Reference counting still
    frees everything; the collector resumes, as it was, when the step ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


PARALLEL_MIN_FILES = 200  # below this, starting a second process (~0.3 s with spawn on Windows) does not pay


CheckFn = Callable[[InboxFile], None]


def read_inbox(
    inbox: Path, period_code: str | None = None, progress=None, *, workers: int | None = None,
    check: CheckFn | None = None,
) -> list[InboxFile]:
    """Inspect and read every candidate file; problems become findings on the file.

    ``check`` (picklable; ``validate.SheetRules``) is applied to each file right after it
    is read, in the process that read it, so checking is shared between processes too.
    ``workers`` processes read the files (same results, same order). The default uses
    two on a multi-core machine from ``PARALLEL_MIN_FILES`` files (``benchmarks/README.md``;
    ``DDCI_READ_WORKERS=1`` turns it off).
    """
    paths = list_inbox(inbox, period_code)
    n_workers = _worker_count(workers, len(paths))
    if n_workers > 1:
        try:
            with gc_paused():
                return _read_parallel(inbox, paths, n_workers, progress, check)
        except (OSError, ImportError, RuntimeError):  # no usable processes here (BrokenProcessPool is a
            pass  # RuntimeError): read in this process; a genuine error of a file recurs below
    files = []
    with gc_paused():
        for n, path in enumerate(paths, start=1):
            if progress:
                progress("Đang kiểm tra tệp", n, len(paths))
            item = _read_one(inbox, path)
            if item is not None:
                if check is not None:
                    check(item)
                files.append(item)
    return files


def _worker_count(workers: int | None, n_files: int) -> int:
    import os

    if workers is None:
        env = os.environ.get("DDCI_READ_WORKERS", "")
        if env.isdigit():
            workers = int(env)
        elif n_files >= PARALLEL_MIN_FILES:
            workers = min(2, os.cpu_count() or 1)
        else:
            workers = 1
    return max(1, min(workers, n_files))


def _read_parallel(
    inbox: Path, paths: list[Path], workers: int, progress, check: CheckFn | None = None
) -> list[InboxFile]:
    """Read blocks of files in ``workers - 1`` helper processes and in this process, results in order.

    Every block is queued for the helpers; this process reads blocks from the end of the
    queue (cancelling them there) until it meets the helpers, so the split adapts when one
    core is busier or a helper is slow to start. A helper that cannot start at all (a
    frozen app, an embedded interpreter) breaks the pool instead of hanging it, and its
    blocks are then read here.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    block = 8
    blocks = [paths[i:i + block] for i in range(0, len(paths), block)]
    results: list[list[InboxFile | None] | None] = [None] * len(blocks)
    done = 0

    def tick(k: int) -> None:
        nonlocal done
        done += len(blocks[k])
        if progress:
            progress("Đang kiểm tra tệp", done, len(paths))

    # The check travels once per helper (initializer), not with every block.
    pool = ProcessPoolExecutor(max_workers=workers - 1, initializer=_set_helper_check, initargs=(check,))
    try:
        futures = [pool.submit(_read_block, inbox, b) for b in blocks]
        for k in range(len(blocks) - 1, -1, -1):
            if not futures[k].cancel():
                break  # the helpers have reached this block; they have the ones before it
            results[k] = _read_block(inbox, blocks[k], check)
            tick(k)
        for k, future in enumerate(futures):
            if results[k] is not None:
                continue
            try:
                results[k] = future.result()
            except BrokenProcessPool:
                results[k] = _read_block(inbox, blocks[k], check)
            tick(k)
    finally:
        # Every result is in (or the run is failing): the helpers exit on their own, unwaited
        # (waiting for a 200 MB process to exit cost 5–40 ms).
        pool.shutdown(wait=False, cancel_futures=True)
    return [item for items in results if items for item in items if item is not None]


_helper_check: CheckFn | None = None  # in a helper process: the check its blocks get


def _set_helper_check(check: CheckFn | None) -> None:
    global _helper_check
    _helper_check = check


def _read_block(inbox: Path, paths: list[Path], check: CheckFn | None = None) -> list[InboxFile | None]:
    """Read (and check) a block of files; in a helper process the check is the one it was started with."""
    check = check or _helper_check
    with gc_paused():
        items = [_read_one(inbox, path) for path in paths]
        if check is not None:
            for item in items:
                if item is not None:
                    check(item)
    return items


def _read_one(inbox: Path, path: Path) -> InboxFile | None:
    """One candidate file, inspected then read; None when it is to be skipped (lock files …)."""
    from xl_addin.intake.safety import inspect_file

    label = path.relative_to(inbox).as_posix()
    check = inspect_file(path)
    if check.action == "skip":
        return None
    stat = path.stat()
    item = InboxFile(path, label, stat.st_size, dt.datetime.fromtimestamp(stat.st_mtime), kind=check.kind)
    for rule, message in check.warnings:
        item.findings.append(Finding(label, "", "", "", "warning", rule, message))
    if check.action == "reject":
        item.findings.append(Finding(label, "", "", "", "error", check.rule or "unreadable", check.message or ""))
        return item
    # A workbook inspected in memory is hashed and parsed from those very bytes: one read of the
    # disk, and no window in which what is read differs from what was checked.
    item.sha256 = check.sha256 or _sha256(path)
    _read_workbook(item, check.error_cell_parts, check.data)
    return item


def _read_workbook(item: InboxFile, error_parts: tuple[str, ...] | None = None, data: bytes | None = None) -> None:
    """Read one inspected workbook (from ``data`` when given); ``error_parts`` as in :func:`_formula_errors`."""
    import python_calamine as pc

    try:
        wb = (pc.CalamineWorkbook.from_filelike(io.BytesIO(data)) if data is not None
              else pc.CalamineWorkbook.from_path(str(item.path)))
    except Exception as exc:  # calamine raises several types for damaged files
        item.findings.append(Finding(
            item.label, "", "", "", "error", "unreadable",
            f"Không đọc được tệp ({type(exc).__name__}): tệp bị hỏng hoặc không đúng định dạng. Hãy mở tệp bằng "
            "Excel, lưu lại dạng .xlsx (Excel Workbook) và gửi lại.",
        ))
        return
    try:
        names = [nfc(n) for n in wb.sheet_names]
        if L.IDENTITY_SHEET not in names:
            legacy = item.kind == "xls"
            item.findings.append(Finding(
                item.label, "", "", "", "error", "identity-missing",
                ("Tệp .xls (Excel 97-2003) không phải biểu mẫu của Văn phòng Sở. " if legacy else
                 "Tệp không có thông tin nhận dạng của biểu mẫu (có thể đã chép sang tệp mới hoặc xóa trang ẩn). ")
                + "Hãy điền vào đúng tệp biểu mẫu đã được gửi (bieu_mau) rồi gửi lại.",
            ))
            return
        identities = _identity_rows(wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python())
        if not identities:
            item.findings.append(Finding(item.label, "", L.IDENTITY_SHEET, "", "error", "identity-missing",
                                         "Thông tin nhận dạng của biểu mẫu bị xóa; hãy dùng lại tệp biểu mẫu gốc."))
            return
        source = io.BytesIO(data) if data is not None else item.path
        errors = _formula_errors(source, error_parts) if item.kind in ("xlsx", "xlsm") else {}
        info_values = _label_values(wb.get_sheet_by_name(L.INFO_SHEET).to_python(skip_empty_area=False,
                                                                                 nrows=L.HEADER_SEARCH_ROWS)
                                    ) if L.INFO_SHEET in names else {}
        for ident in identities:
            sheet = ident.get("sheet", "")
            sub = SheetSubmission(
                item.path, item.label, sheet, ident.get("unit", ""), ident.get("period", ""),
                ident.get("version", ""), ident.get("fingerprint", ""), ident.get("rows", ""),
            )
            if sheet not in names:
                item.findings.append(Finding(
                    item.label, sub.unit, sheet, "", "error", "sheet-missing",
                    f"Không tìm thấy trang “{sheet}” của đơn vị {sub.unit}; có thể trang đã bị xóa hoặc đổi tên. "
                    "Hãy dùng lại tệp biểu mẫu gốc.",
                ))
                continue
            _read_progress_sheet(wb, sub, errors.get(sheet, {}), info_values)
            item.sheets.append(sub)
    except Exception as exc:  # a damaged sheet must not stop the run
        item.findings.append(Finding(
            item.label, "", "", "", "error", "unreadable",
            f"Không đọc được nội dung tệp ({type(exc).__name__}). Hãy mở bằng Excel, lưu lại dạng .xlsx và gửi lại.",
        ))
    finally:
        wb.close()


def _identity_rows(rows: list[list[Any]]) -> list[dict[str, str]]:
    if not rows:
        return []
    header = [clean_text(h) for h in rows[0]]
    if "sheet" not in header or "unit" not in header:
        return []
    return [
        {h: clean_text(v) for h, v in zip(header, row, strict=False)}
        for row in rows[1:] if any(clean_text(v) for v in row)
    ]


def _label_values(rows: list[list[Any]]) -> dict[str, str]:
    """Values written to the right of label cells (``Người báo cáo:`` → name)."""
    wanted = (L.LABEL_REPORTER, L.LABEL_PHONE)
    out: dict[str, str] = {}
    for row in rows:
        for j, value in enumerate(row):
            if value.__class__ is not str or not value:
                continue
            label = clean_text(value).rstrip(":").strip()
            if label in wanted and label not in out:
                out[label] = next((clean_text(v) for v in row[j + 1:] if clean_text(v)), "")
    return out


def _read_progress_sheet(wb, sub: SheetSubmission, error_cells: dict[str, str], info: dict[str, str]) -> None:
    sheet = wb.get_sheet_by_name(sub.sheet)
    limit = L.HEADER_SEARCH_ROWS + L.MAX_DATA_ROWS
    rows = sheet.to_python(skip_empty_area=False, nrows=limit + 1)
    header_at = -1
    for i, row in enumerate(rows[: L.HEADER_SEARCH_ROWS]):
        labels = [clean_text(v) for v in row]
        if L.COL_CODE in labels and L.COL_STATUS in labels:
            header_at = i
            sub.columns = {label: j for j, label in enumerate(labels) if label in L.PROGRESS_COLUMNS}
            break
    above = _label_values(rows[: max(header_at, 0)])
    sub.reporter = above.get(L.LABEL_REPORTER) or info.get(L.LABEL_REPORTER, "")
    sub.phone = above.get(L.LABEL_PHONE) or info.get(L.LABEL_PHONE, "")
    sub.error_cells = error_cells
    if header_at < 0:
        return
    sub.header_row = header_at
    body = rows[header_at + 1:]
    if len(rows) > limit:
        sub.junk_rows = max(sheet.height - limit, 1)
        body = body[: L.MAX_DATA_ROWS]
    code_col = sub.columns[L.COL_CODE]
    last = 0
    for k in range(len(body) - 1, -1, -1):  # from the end: the last filled row is usually the last row
        if any(clean_text(v) for v in body[k]):
            last = k + 1
            break
    # One pass per row with the column list and the normaliser bound locally: this loop
    # runs for every task row of every file (30,000 rows for 1,000 divisions).
    columns = tuple(sub.columns.items())
    normalize = unicodedata.normalize
    for k, row in enumerate(body[:last]):
        width = len(row)
        values = {}
        for name, j in columns:
            v = row[j] if j < width else ""
            values[name] = normalize("NFC", v) if isinstance(v, str) else v
        if not any(clean_text(v) for v in values.values()) and not clean_text(row[code_col] if code_col < width
                                                                              else ""):
            continue
        sub.rows.append(RawRow(header_at + 1 + k, values))


_CELL_ERROR = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>', re.S)


def _formula_errors(path: Path | io.BytesIO, error_parts: tuple[str, ...] | None = None) -> dict[str, dict[str, str]]:
    """Cells holding an Excel error value (``#DIV/0!``), by sheet name.

    python-calamine reads error cells as empty strings, which would hide them; a
    regex over the sheet XML (only when ``t="e"`` occurs at all) finds them cheaply.
    ``error_parts`` is ``FileCheck.error_cell_parts``: the worksheet parts in which
    ``filesafety`` saw ``t="e"`` while verifying their CRC. Only those are inflated
    again, and none when it is empty; None scans every worksheet part.
    """
    out: dict[str, dict[str, str]] = {}
    if error_parts is not None and not error_parts:
        return out
    try:
        with zipfile.ZipFile(path) as zf:
            parts = [i for i in zf.infolist() if i.filename.startswith("xl/worksheets/sheet")
                     and i.filename.endswith(".xml") and (error_parts is None or i.filename in error_parts)]
            hits = {}
            for info in parts:
                part = info.filename
                data = _inflate(zf, info)
                if b't="e"' in data:
                    found = _CELL_ERROR.findall(data)
                    hits[part] = {ref.decode(): val.decode("utf-8", "replace") for ref, val in found}
            if not hits:
                return out
            for name, part in _sheet_parts(zf).items():
                if part in hits:
                    out[name] = hits[part]
    except (zipfile.BadZipFile, OSError, KeyError):
        return out
    return out


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """``zf.read(info)`` without ``ZipExtFile``: a third of the cost of scanning a sheet.

    The member was CRC-checked by ``filesafety`` a moment ago; the CRC is checked again
    here and anything unusual (other compression, a local header that does not match)
    goes through ``zf.read``, so a damaged part raises exactly as before.
    """
    fp = zf.fp
    if fp is None or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED) or info.flag_bits & 0x1:
        return zf.read(info)
    fp.seek(info.header_offset)
    head = fp.read(30)
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        return zf.read(info)
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    fp.seek(name_len + extra_len, 1)
    raw = fp.read(info.compress_size)
    try:
        data = zlib.decompress(raw, -15) if info.compress_type == zipfile.ZIP_DEFLATED else raw
    except zlib.error:
        return zf.read(info)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        return zf.read(info)
    return data


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part, from workbook.xml and its relationships (regex: no DTDs resolved)."""
    wb_xml = zf.read("xl/workbook.xml").decode("utf-8", "replace")
    rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    targets = {}
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        rid = re.search(r'Id="([^"]+)"', tag)
        target = re.search(r'Target="([^"]+)"', tag)
        if rid and target:
            t = target.group(1).lstrip("/")
            targets[rid.group(1)] = t if t.startswith("xl/") else f"xl/{t}"
    out = {}
    for sheet in re.finditer(r"<sheet\b[^>]*>", wb_xml):
        tag = sheet.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        rid = re.search(r'r:id="([^"]+)"', tag) or re.search(r'\bid="([^"]+)"', tag)
        if name and rid and rid.group(1) in targets:
            out[nfc(_unescape(name.group(1)))] = targets[rid.group(1)]
    return out


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace(
        "&apos;", "'")


def iter_sheets(files: list[InboxFile]) -> Iterator[tuple[InboxFile, SheetSubmission]]:
    for f in files:
        for s in f.sheets:
            yield f, s

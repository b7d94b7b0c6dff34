"""Read one inspected workbook with python-calamine: its identity, its progress sheets, its error cells.

Problems become findings on the file, never exceptions: a damaged sheet must not
stop the run. That includes a Rust panic inside python-calamine, which reaches Python as
``pyo3_runtime.PanicException``, a ``BaseException``: whatever a reader raises (only
``KeyboardInterrupt``, ``SystemExit`` and ``GeneratorExit`` pass) becomes one finding naming
the file, as plain data that crosses a process boundary. A password the reader meets is
``password-protected``, memory it cannot get is ``too-large``. Error cells (``#DIV/0!``) are
found in the sheet XML, because python-calamine reads them as empty strings.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from xl_addin.core.contracts import Finding, Rule, Severity
from xl_addin.core.submissions import InboxFile, RawRow, SheetSubmission
from xl_addin.core.vnformat import clean_text, nfc
from xl_addin.files.ooxml import read_member, sheet_parts
from xl_addin.forms import layout as L
from xl_addin.intake.verdicts import MSG_PASSWORD, msg_too_large_memory, msg_unreadable

__all__ = ["PASS_THROUGH", "file_finding", "read_workbook", "reader_failure"]

PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit)  # what a reader failure never swallows
_log = logging.getLogger(__name__)


def file_finding(item: InboxFile, rule: Rule, message: str, severity: Severity = Severity.ERROR) -> None:
    """Add a finding about the whole file (no unit, sheet or cell) to ``item``."""
    item.findings.append(Finding(item.label, "", "", "", severity, rule, message))


def reader_failure(item: InboxFile, exc: BaseException, *, opening: bool = True) -> None:
    """The finding for whatever a reader raised on ``item``: a password, too little memory, or unreadable."""
    name = type(exc).__name__
    _log.warning("reading %s failed: %s: %s", item.label, name, str(exc)[:300])
    if name == "PasswordError":  # python_calamine.PasswordError: encrypted, whatever the container said
        file_finding(item, Rule.PASSWORD_PROTECTED, MSG_PASSWORD)
    elif isinstance(exc, MemoryError):
        file_finding(item, Rule.TOO_LARGE, msg_too_large_memory())
    else:
        file_finding(item, Rule.UNREADABLE, msg_unreadable(name, opening=opening))


def read_workbook(item: InboxFile, error_parts: tuple[str, ...] | None = None, data: bytes | None = None) -> None:
    """Read one inspected workbook into ``item`` (from ``data`` when given); problems become its findings.

    ``error_parts`` as in :func:`_formula_errors`.
    """
    import python_calamine as pc

    try:
        wb = (
            pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
            if data is not None
            else pc.CalamineWorkbook.from_path(str(item.path))
        )
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # calamine raises several types for damaged files, and may panic
        reader_failure(item, exc)
        return
    try:
        _read_sheets(wb, item, error_parts, data)
    except PASS_THROUGH:
        raise
    except BaseException as exc:  # a damaged sheet must not stop the run
        reader_failure(item, exc, opening=False)
    finally:
        wb.close()


def _read_sheets(wb, item: InboxFile, error_parts: tuple[str, ...] | None, data: bytes | None) -> None:
    names = [nfc(n) for n in wb.sheet_names]
    if L.IDENTITY_SHEET not in names:
        legacy = item.kind == "xls"
        file_finding(
            item,
            Rule.IDENTITY_MISSING,
            (
                "Tệp .xls (Excel 97-2003) không phải biểu mẫu của Văn phòng Sở. "
                if legacy
                else "Tệp không có thông tin nhận dạng của biểu mẫu (có thể đã chép sang tệp mới hoặc xóa trang ẩn). "
            )
            + "Hãy điền vào đúng tệp biểu mẫu đã được gửi (bieu_mau) rồi gửi lại.",
        )
        return
    identities = _identity_rows(wb.get_sheet_by_name(L.IDENTITY_SHEET).to_python())
    if not identities:
        item.findings.append(
            Finding(
                item.label,
                "",
                L.IDENTITY_SHEET,
                "",
                Severity.ERROR,
                Rule.IDENTITY_MISSING,
                "Thông tin nhận dạng của biểu mẫu bị xóa; hãy dùng lại tệp biểu mẫu gốc.",
            )
        )
        return
    source = io.BytesIO(data) if data is not None else item.path
    errors = _formula_errors(source, error_parts, data) if item.kind in ("xlsx", "xlsm") else {}
    info_values = (
        _label_values(wb.get_sheet_by_name(L.INFO_SHEET).to_python(skip_empty_area=False, nrows=L.HEADER_SEARCH_ROWS))
        if L.INFO_SHEET in names
        else {}
    )
    for ident in identities:
        sheet = ident.get("sheet", "")
        sub = SheetSubmission(
            item.path,
            item.label,
            sheet,
            ident.get("unit", ""),
            ident.get("period", ""),
            ident.get("version", ""),
            ident.get("fingerprint", ""),
            ident.get("rows", ""),
        )
        if sheet not in names:
            item.findings.append(
                Finding(
                    item.label,
                    sub.unit,
                    sheet,
                    "",
                    Severity.ERROR,
                    Rule.SHEET_MISSING,
                    f"Không tìm thấy trang “{sheet}” của đơn vị {sub.unit}; có thể trang đã bị xóa hoặc đổi tên. "
                    "Hãy dùng lại tệp biểu mẫu gốc.",
                )
            )
            continue
        _read_progress_sheet(wb, sub, errors.get(sheet, {}), info_values)
        item.sheets.append(sub)


def _identity_rows(rows: list[list[Any]]) -> list[dict[str, str]]:
    if not rows:
        return []
    header = [clean_text(h) for h in rows[0]]
    if "sheet" not in header or "unit" not in header:
        return []
    return [
        {h: clean_text(v) for h, v in zip(header, row, strict=False)}
        for row in rows[1:]
        if any(clean_text(v) for v in row)
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
                out[label] = next((clean_text(v) for v in row[j + 1 :] if clean_text(v)), "")
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
    body = rows[header_at + 1 :]
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
        if not any(clean_text(v) for v in values.values()) and not clean_text(
            row[code_col] if code_col < width else ""
        ):
            continue
        sub.rows.append(RawRow(header_at + 1 + k, values))


_CELL_ERROR = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>.*?</f>|<f[^>]*/>)?<v>([^<]*)</v>', re.S)


def _formula_errors(
    path: Path | io.BytesIO, error_parts: tuple[str, ...] | None = None, data: bytes | None = None
) -> dict[str, dict[str, str]]:
    """Cells holding an Excel error value (``#DIV/0!``), by sheet name.

    python-calamine reads error cells as empty strings, which would hide them; a
    regex over the sheet XML (only when ``t="e"`` occurs at all) finds them cheaply.
    ``error_parts`` is ``FileContent.error_cell_parts``: the worksheet parts in which
    ``intake.zipcheck`` saw ``t="e"`` while verifying their CRC. Only those are inflated
    again, and none when it is empty; None scans every worksheet part.
    """
    out: dict[str, dict[str, str]] = {}
    if error_parts is not None and not error_parts:
        return out
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in sheet_parts(zf).items():
                if error_parts is not None and part not in error_parts:
                    continue
                xml = read_member(zf, zf.getinfo(part), data)
                if b't="e"' in xml:
                    found = _CELL_ERROR.findall(xml)
                    out[name] = {ref.decode(): val.decode("utf-8", "replace") for ref, val in found}
    except (zipfile.BadZipFile, OSError, KeyError):
        return out
    return out

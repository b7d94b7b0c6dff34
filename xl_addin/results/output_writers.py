"""Workbooks that go out after intake: the findings list, returned copies, the consolidation.

* ``write_findings``: every problem found in the submitted files, as a filterable
  Excel Table (errors red, warnings yellow) the clerk works through.
* ``write_returned_copy``: a copy of one division's file with the bad cells marked
  (fill + comment) and a first sheet listing every problem, to send back. The inbox
  file itself is never written.
* ``write_consolidated``: the consolidated tables (pandas DataFrames) as Excel
  Tables plus a native bar chart. 30,000 rows must take seconds, not minutes:
  openpyxl's cell-by-cell writer needs ~8 s for 30k × 15 cells even in write-only
  mode, so the data rows are streamed as sheet XML directly (see ``_FastSheet``)
  while openpyxl still draws everything else (styles, header, table, chart, print
  setup).

All text goes through ``safe_write.write_text_cell``: text from a submission such as
``=HYPERLINK(...)`` stays text in every workbook written here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.cells import row_height
from xl_addin.core.contracts import Severity
from xl_addin.core.errors import DdciError
from xl_addin.core.vnformat import nfc
from xl_addin.files.safe_write import atomic_write, write_text_cell

if TYPE_CHECKING:  # pandas is only needed by write_consolidated; validate must start fast without it
    import pandas as pd

FONT_NAME = "Times New Roman"
TITLE_FONT = Font(name=FONT_NAME, bold=True, size=14)
SUBTITLE_FONT = Font(name=FONT_NAME, italic=True, size=12)
HEADER_FONT = Font(name=FONT_NAME, bold=True, size=12)
BODY_FONT = Font(name=FONT_NAME, size=12)
ERROR_FILL = PatternFill("solid", fgColor="FFFFC7CE")  # light red, Excel's "Bad"
ERROR_FONT = Font(name=FONT_NAME, size=12, color="FF9C0006")
WARNING_FILL = PatternFill("solid", fgColor="FFFFEB9C")  # light yellow, Excel's "Neutral"
WARNING_FONT = Font(name=FONT_NAME, size=12, color="FF9C5700")
FLAG_FILL = PatternFill("solid", fgColor="FFFFF2CC")  # rows with "Có cảnh báo"
HEADER_FILL = PatternFill("solid", fgColor="FFD9E1F2")
THIN = Side(style="thin", color="FF808080")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
TABLE_STYLE = "TableStyleLight9"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
DECIMAL_FORMAT = "0.0#"  # 37.5 → 37,5 and 57.14 → 57,14 in a Vietnamese-locale Excel

FINDING_COLUMNS = ("Tệp", "Đơn vị", "Trang", "Ô", "Mức độ", "Quy tắc", "Nội dung")
FINDING_KEYS = ("file", "unit", "sheet", "cell", "severity", "rule", "message")
FINDING_WIDTHS = (30, 24, 14, 8, 11, 20, 70)
FINDINGS_SHEET = "Kiểm tra"
FINDINGS_TABLE = "KiemTra"

RETURN_SHEET = "Lỗi cần sửa"
COMMENT_AUTHOR = "Văn phòng Sở"
MAX_CELLS_PER_FINDING = 200  # a finding on a huge range marks its first cells only

FLAG_COLUMN = "Có cảnh báo"
COUNT_COLUMNS = ("Hoàn thành", "Đang triển khai", "Chưa triển khai")
YES, NO = "Có", "Không"


def findings_file_name(period_code: str) -> str:
    """``kiem_tra_2024-03.xlsx`` (written under ``bao_cao/``)."""
    return f"kiem_tra_{period_code}.xlsx"


def _text(cell: Any, value: object) -> None:
    """Any value as literal text; characters XML cannot hold are dropped (openpyxl would raise)."""
    write_text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _severity_label(severity: str) -> str:
    key = (severity or "").strip().lower()
    return Severity(key).label if key in Severity.__members__.values() else (severity or "").strip()


def _is_error(severity: str) -> bool:
    return (severity or "").strip().lower() in ("error", "lỗi")


def _is_warning(severity: str) -> bool:
    return (severity or "").strip().lower() in ("warning", "cảnh báo")


def _page_setup(ws: Worksheet, header_row: int) -> None:
    ws.freeze_panes = f"A{header_row + 1}"  # a string: ws.cell() would create an (empty) data row
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _title_rows(ws: Worksheet, title: str, subtitle: str) -> None:
    _text(ws.cell(row=1, column=1), title)
    ws.cell(row=1, column=1).font = TITLE_FONT
    if subtitle:
        _text(ws.cell(row=2, column=1), subtitle)
        ws.cell(row=2, column=1).font = SUBTITLE_FONT


def _merge_title(ws: Worksheet, title: str, widths: Sequence[float]) -> None:
    """Spread the title over the table width (wrapped) so neither screen nor print cuts it off."""
    if len(widths) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = row_height([(title, sum(widths))], point_size=14)


def _header(ws: Worksheet, row: int, names: Sequence[str], widths: Sequence[float]) -> None:
    for j, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=j)
        _text(cell, name)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGN
        cell.border = GRID
        ws.column_dimensions[get_column_letter(j)].width = width


def _body_row(ws: Worksheet, row: int, values: Sequence[str], widths: Sequence[float]) -> None:
    """One table row of plain, wrapped, bordered text, tall enough for its longest cell."""
    for j, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=j)
        _text(cell, value)
        cell.font = BODY_FONT
        cell.alignment = WRAP_TOP
        cell.border = GRID
    ws.row_dimensions[row].height = row_height(zip(values, widths, strict=True))


def _str(value: object) -> str:
    return "" if value is None else nfc(str(value))


# --- findings ---------------------------------------------------------------------------------------------


def write_findings(findings: list[dict], path: Path, title: str) -> Path:
    """Write the findings list as one filterable Excel Table; errors red, warnings yellow."""
    wb = Workbook()
    ws = wb.active
    ws.title = FINDINGS_SHEET
    errors = sum(1 for f in findings if _is_error(_str(f.get("severity"))))
    warnings = sum(1 for f in findings if _is_warning(_str(f.get("severity"))))
    files = len({_str(f.get("file")) for f in findings if f.get("file")})
    _title_rows(ws, title, f"Tổng cộng: {errors} lỗi, {warnings} cảnh báo trong {files} tệp.")
    header_row = 4
    _header(ws, header_row, FINDING_COLUMNS, FINDING_WIDTHS)
    rows = [[_str(f.get(k)) for k in FINDING_KEYS] for f in findings]
    if not rows:
        rows = [["", "", "", "", "", "", "Không phát hiện lỗi hay cảnh báo nào."]]
    sev_col = FINDING_KEYS.index("severity")
    for i, values in enumerate(rows, start=header_row + 1):
        severity = values[sev_col]
        values[sev_col] = _severity_label(severity)
        _body_row(ws, i, values, FINDING_WIDTHS)
        sev_cell = ws.cell(row=i, column=sev_col + 1)
        if _is_error(severity):
            sev_cell.fill, sev_cell.font = ERROR_FILL, ERROR_FONT
        elif _is_warning(severity):
            sev_cell.fill, sev_cell.font = WARNING_FILL, WARNING_FONT
    last = header_row + len(rows)
    ref = f"A{header_row}:{get_column_letter(len(FINDING_COLUMNS))}{last}"
    table = Table(displayName=FINDINGS_TABLE, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=False)
    table._initialise_columns()  # also adds the autoFilter (filter buttons)
    for col, name in zip(table.tableColumns, FINDING_COLUMNS, strict=True):
        col.name = nfc(name)
    ws.add_table(table)
    _page_setup(ws, header_row)
    wb.properties.title = nfc(title)
    wb.properties.creator = "xl_addin"
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


# --- returned copy ----------------------------------------------------------------------------------------


def _same_file(finding_file: str, source: Path) -> bool:
    """A finding belongs to ``source`` when it names no file or names this file (any folder)."""
    if not finding_file:
        return True
    name = PurePosixPath(finding_file.replace("\\", "/")).name
    return nfc(name).casefold() == nfc(source.name).casefold()


def _find_sheet(wb: Any, name: str) -> Worksheet | None:
    if not name:
        return None
    candidates = [ws for ws in wb.worksheets if ws.title == name]
    if not candidates:
        key = nfc(name).strip().casefold()
        candidates = [ws for ws in wb.worksheets if nfc(ws.title).strip().casefold() == key]
    return candidates[0] if candidates else None


def _cell_coords(ref: str) -> list[tuple[int, int]]:
    """``D7``, ``$D$7`` or ``D7:E9`` → (row, column) pairs; [] when not a usable address."""
    text = (ref or "").replace("$", "").strip().upper()
    if not text or "!" in text:
        text = text.rsplit("!", 1)[-1]
    try:
        min_col, min_row, max_col, max_row = range_boundaries(text)
    except (ValueError, TypeError):
        return []
    if None in (min_col, min_row, max_col, max_row):
        return []
    if max_row > 1_048_576 or max_col > 16_384 or min_row < 1 or min_col < 1:
        return []
    out = []
    for r in range(min_row, max_row + 1):
        for c in range(min_col, max_col + 1):
            out.append((r, c))
            if len(out) >= MAX_CELLS_PER_FINDING:
                return out
    return out


def _anchor(ws: Worksheet, row: int, col: int) -> tuple[int, int]:
    """The top-left cell of the merged range holding (row, col): merged cells take no comment."""
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return rng.min_row, rng.min_col
    return row, col


@dataclass
class _Mark:
    errors: bool = False
    lines: list[str] = field(default_factory=list)


def _comment(text: str) -> Comment:
    lines = text.count("\n") + 1 + len(text) // 45
    comment = Comment(ILLEGAL_CHARACTERS_RE.sub("", text)[:32_000], COMMENT_AUTHOR)
    comment.width = 320
    comment.height = min(60 + 18 * lines, 600)
    return comment


def write_returned_copy(source: Path, dest: Path, findings: list[dict]) -> Path:
    """Copy a division's submission to ``dest`` with its problems marked, to send back.

    Cell findings: red fill (errors) or yellow fill (warnings only) and a comment by
    "Văn phòng Sở". Every finding of the file is also listed on a new first sheet
    "Lỗi cần sửa" (the only place for findings without a usable cell). Sheet
    protection, hidden sheets and the identity sheet are kept as they were.
    ``source`` is only read.
    """
    source, dest = Path(source), Path(dest)
    if dest.resolve() == source.resolve():
        raise DdciError(f"Không được ghi đè tệp gốc {source.name}; hãy chọn nơi lưu bản trả lại khác.")
    try:
        wb = load_workbook(source)
    except Exception as exc:  # openpyxl raises many kinds on damaged or foreign files
        raise DdciError(
            f"Không mở được tệp “{source.name}” ({type(exc).__name__}): tệp bị hỏng hoặc không phải bảng "
            "tính .xlsx. Hãy đề nghị đơn vị mở bằng Excel, lưu lại dạng .xlsx rồi gửi lại."
        ) from exc
    mine = [f for f in findings if _same_file(_str(f.get("file")), source)]
    marks: dict[tuple[str, int, int], _Mark] = {}
    located: list[tuple[dict, Worksheet | None, tuple[int, int] | None]] = []
    for f in mine:
        ws = _find_sheet(wb, _str(f.get("sheet")))
        coords = _cell_coords(_str(f.get("cell"))) if ws is not None else []
        located.append((f, ws, coords[0] if coords else None))
        if ws is None:
            continue
        line = f"{_severity_label(_str(f.get('severity')))}: {_str(f.get('message'))}".strip()
        for row, col in coords:
            key = (ws.title, *_anchor(ws, row, col))
            mark = marks.setdefault(key, _Mark())
            mark.errors |= not _is_warning(_str(f.get("severity")))
            if line not in mark.lines:
                mark.lines.append(line)
    for (title, row, col), mark in marks.items():
        cell = wb[title].cell(row=row, column=col)
        cell.fill = ERROR_FILL if mark.errors else WARNING_FILL
        text = "\n".join(mark.lines)
        old = cell.comment
        if old is not None and old.author != COMMENT_AUTHOR and old.text:
            text = f"{old.text}\n---\n{text}"
        cell.comment = _comment(text)
    _problem_sheet(wb, source.name, located)
    try:
        with atomic_write(dest) as tmp:
            wb.save(tmp)
    except DdciError:
        raise
    except Exception as exc:
        raise DdciError(f"Không lưu được bản trả lại của tệp “{source.name}” ({type(exc).__name__}: {exc}).") from exc
    return dest


def _problem_sheet(wb: Any, file_name: str, located: list[tuple[dict, Worksheet | None, Any]]) -> None:
    """The first sheet "Lỗi cần sửa": every problem of the file, with a link to its cell when known."""
    if RETURN_SHEET in wb.sheetnames:  # a copy returned before and sent in again
        wb.remove(wb[RETURN_SHEET])
    ws = wb.create_sheet(RETURN_SHEET, 0)
    errors = sum(1 for f, _, _ in located if not _is_warning(_str(f.get("severity"))))
    _title_rows(
        ws,
        f"CÁC LỖI CẦN SỬA TRONG TỆP {file_name}",
        (
            f"Có {errors} lỗi, {len(located) - errors} cảnh báo. Ô có lỗi được tô đỏ (cảnh báo tô vàng) và "
            "có ghi chú; sửa xong hãy lưu tệp và gửi lại Văn phòng Sở."
        ),
    )
    header_row = 4
    names = ("STT", "Mức độ", "Trang", "Ô", "Nội dung cần sửa", "Quy tắc")
    widths = (6, 11, 16, 8, 80, 18)
    _header(ws, header_row, names, widths)
    rows = located or [({"message": "Không có lỗi."}, None, None)]
    for i, (f, target, coord) in enumerate(rows, start=1):
        r = header_row + i
        severity = _str(f.get("severity"))
        cell_ref = _str(f.get("cell")) if coord else ""
        values = (
            str(i) if located else "",
            _severity_label(severity),
            _str(f.get("sheet")),
            cell_ref,
            _str(f.get("message")),
            _str(f.get("rule")),
        )
        _body_row(ws, r, values, widths)
        if _is_error(severity):
            ws.cell(row=r, column=2).fill = ERROR_FILL
        elif _is_warning(severity):
            ws.cell(row=r, column=2).fill = WARNING_FILL
        if target is not None and coord and target.sheet_state == "visible":
            row, col = _anchor(target, *coord)
            title = target.title.replace("'", "''")
            link = ws.cell(row=r, column=4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{title}'!{get_column_letter(col)}{row}")
            link.font = Font(name=FONT_NAME, size=12, color="FF0563C1", underline="single")
    _page_setup(ws, header_row)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0


# --- consolidated -----------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_ONE_LINE = row_height([("", 10)])
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _ascii_name(text: str) -> str:
    """``Theo chỉ số`` → ``Theo_chi_so``: table names must be plain identifiers."""
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")


def _sheet_name(key: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARS.sub("-", nfc(str(key))).strip().strip("'")[:31] or "Bảng"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.casefold())
    return name


def _header_names(columns: Sequence[object]) -> list[str]:
    """Unique, non-empty, single-line header texts (Excel table column names must be)."""
    out: list[str] = []
    seen: set[str] = set()
    for i, col in enumerate(columns, start=1):
        base = ILLEGAL_CHARACTERS_RE.sub("", nfc(str(col))).replace("\n", " ").replace("\r", " ").strip()
        base = base or f"Cột {i}"
        name, n = base, 2
        while name.casefold() in seen:
            name, n = f"{base} ({n})", n + 1
        seen.add(name.casefold())
        out.append(name)
    return out


def _plain(value: object) -> object:
    """pandas/numpy scalars → plain Python; missing values → None."""
    import pandas as pd

    if value is None:
        return None
    if isinstance(value, str):
        return value
    if value is pd.NaT:
        return None
    try:
        if pd.isna(value):  # type: ignore[arg-type]
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if hasattr(value, "item") and not isinstance(value, (dt.date, dt.datetime)):
        try:
            return value.item()
        except (ValueError, TypeError):
            return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _serial(value: dt.date) -> float:
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400_000_000
    return float((value - _EXCEL_EPOCH.date()).days)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _column_kind(series: pd.Series) -> str:
    import pandas as pd

    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "date"
    if pd.api.types.is_numeric_dtype(series):
        if pd.api.types.is_float_dtype(series):
            values = series.dropna()
            if len(values) and bool((values != values.round()).any()):
                return "decimal"  # shown with one or two decimals instead of 15 digits
        return "number"
    sample = [v for v in series.head(200).tolist() if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if sample and all(isinstance(v, dt.date) for v in sample):
        return "date"
    return "text"


def _width_and_wrap(name: str, series: pd.Series, kind: str) -> tuple[float, bool]:
    """Column width (Excel units) from the header and a sample; long text wraps at 50."""
    head = len(name) + 2
    if kind == "date":
        return max(head * 0.8, 12), False
    if kind in ("number", "decimal", "bool"):
        return min(max(head * 0.8, 10), 20), False
    lengths = sorted(len(str(v)) for v in series.head(500).tolist() if v is not None)
    if not lengths:
        return max(head, 10), False
    typical = lengths[int(len(lengths) * 0.9)] if len(lengths) > 1 else lengths[0]
    if typical > 45 or lengths[-1] > 80:
        return max(50.0, min(head, 60)), True
    return min(max(head * 0.9, typical * 1.1 + 2, 8), 50), False


@dataclass
class _FastSheet:
    """Data rows of one sheet, written later as raw ``<row>`` XML into openpyxl's output.

    ``styles[j][kind][flagged]`` is the cell-format index openpyxl registered for
    column ``j``, value kind (text/number/date/datetime) and row fill.
    """

    title: str
    frame: pd.DataFrame
    first_row: int
    styles: list[dict[str, tuple[int, int]]]
    flag_col: int | None
    wrap_widths: dict[int, float] = field(default_factory=dict)  # wrapped column → width

    def rows_xml(self) -> str:
        scratch = Cell(None)  # write_text_cell target: every string goes through it
        letters = [get_column_letter(j) for j in range(1, len(self.styles) + 1)]
        parts: list[str] = []
        columns = [self.frame.iloc[:, j].tolist() for j in range(self.frame.shape[1])]
        for i, values in enumerate(zip(*columns, strict=True)):
            r = self.first_row + i
            flagged = 0
            if self.flag_col is not None:
                flag = _plain(values[self.flag_col])
                flagged = 1 if flag is True or (isinstance(flag, (int, float)) and flag == 1) else 0
            cells = []
            wrapped: list[tuple[str, float]] = []
            for j, raw in enumerate(values):
                value = _plain(raw)
                ref = f"{letters[j]}{r}"
                styles = self.styles[j]
                if isinstance(value, bool):
                    value = YES if value else NO
                if value is None or value == "":
                    if flagged:
                        cells.append(f'<c r="{ref}" s="{styles["text"][1]}"/>')
                    continue
                if isinstance(value, (int, float)):
                    if isinstance(value, float) and not math.isfinite(value):
                        continue
                    cells.append(f'<c r="{ref}" s="{styles["number"][flagged]}"><v>{value!r}</v></c>')
                elif isinstance(value, dt.date):
                    is_dt = isinstance(value, dt.datetime) and value.time() != dt.time(0)
                    s = styles["datetime" if is_dt else "date"][flagged]
                    cells.append(f'<c r="{ref}" s="{s}"><v>{_serial(value)!r}</v></c>')
                else:
                    _text(scratch, value if isinstance(value, str) else str(value))
                    if j in self.wrap_widths:
                        wrapped.append((scratch.value, self.wrap_widths[j]))
                    text = _xml_escape(scratch.value)
                    cells.append(
                        f'<c r="{ref}" s="{styles["text"][flagged]}" t="inlineStr">'
                        f'<is><t xml:space="preserve">{text}</t></is></c>'
                    )
            height = row_height(wrapped) if wrapped else 0
            if height > _ONE_LINE:  # LibreOffice does not size rows to wrapped text itself
                parts.append(f'<row r="{r}" ht="{height}" customHeight="1">{"".join(cells)}</row>')
            else:
                parts.append(f'<row r="{r}">{"".join(cells)}</row>')
        return "".join(parts)


def _register_styles(style_ws: Worksheet, kind: str, wrap: bool) -> dict[str, tuple[int, int]]:
    """Cell-format indexes for one column: plain and flagged, per value kind.

    Each format is drawn on a fresh scratch cell: openpyxl keeps the cell's own style
    array in its registry, so restyling a used cell would change a registered format.
    """
    out: dict[str, tuple[int, int]] = {}
    for value_kind, fmt in (
        ("text", "@" if kind == "text" else "General"),
        ("number", DECIMAL_FORMAT if kind == "decimal" else "General"),
        ("date", DATE_FORMAT),
        ("datetime", DATETIME_FORMAT),
    ):
        ids = []
        for flagged in (False, True):
            cell = style_ws.cell(row=style_ws.max_row + 1, column=1)
            cell.font = BODY_FONT
            cell.alignment = WRAP_TOP if wrap else TOP
            cell.number_format = fmt
            if flagged:
                cell.fill = FLAG_FILL
            ids.append(cell.style_id)
        out[value_kind] = (ids[0], ids[1])
    return out


def _bar_chart(ws: Worksheet, header_row: int, last_row: int, names: list[str]) -> bool:
    """A stacked horizontal bar chart of the task counts per indicator; False when nothing to draw."""
    series_cols = [names.index(n) + 1 for n in COUNT_COLUMNS if n in names]
    if not series_cols or last_row <= header_row:
        return False
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "Tình hình thực hiện nhiệm vụ theo chỉ số"
    chart.y_axis.title = "Số nhiệm vụ"
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for col in series_cols:
        chart.add_data(Reference(ws, min_col=col, min_row=header_row, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=last_row))
    chart.width = 24
    chart.height = min(max(8.0, 1.2 * (last_row - header_row) + 4), 20.0)
    ws.add_chart(chart, f"A{last_row + 3}")  # below the table: prints on the same pages, fit to width
    return True


def write_consolidated(
    tables: dict[str, pd.DataFrame], path: Path, title: str, chart_sheet: str = "Theo chỉ số"
) -> Path:
    """Write each DataFrame as a sheet holding one Excel Table; a bar chart on ``chart_sheet``.

    Numbers stay numbers, dates are shown dd/mm/yyyy, booleans become "Có"/"Không",
    every string is literal text. Rows whose "Có cảnh báo" is true are shaded yellow.
    The DataFrame index is not written (``reset_index()`` first to keep it). Data rows
    are streamed as XML after openpyxl saved the rest (see the module docstring).
    """
    if not tables:
        raise DdciError("Không có bảng tổng hợp nào để ghi.")
    wb = Workbook()
    style_ws = wb.active  # scratch sheet that registers the cell formats, removed before saving
    style_ws.title = "_styles"
    used: set[str] = set()
    fast: list[_FastSheet] = []
    header_row = 3
    for n, (key, frame) in enumerate(tables.items(), start=1):
        name = _sheet_name(key, used)
        ws = wb.create_sheet(name)
        names = _header_names(list(frame.columns))
        kinds = [_column_kind(frame.iloc[:, j]) for j in range(frame.shape[1])]
        layout = [_width_and_wrap(names[j], frame.iloc[:, j], kinds[j]) for j in range(frame.shape[1])]
        _title_rows(ws, title, name)
        if names:
            _header(ws, header_row, names, [w for w, _ in layout])
            _merge_title(ws, title, [w for w, _ in layout])
        styles = [_register_styles(style_ws, kinds[j], layout[j][1]) for j in range(frame.shape[1])]
        flag_col = names.index(FLAG_COLUMN) if FLAG_COLUMN in names else None
        last_row = header_row + max(len(frame), 1)
        if names:
            ref = f"A{header_row}:{get_column_letter(len(names))}{last_row}"
            table = Table(displayName=f"Bang{n}_{_ascii_name(name)}"[:250], ref=ref)
            table.tableColumns = [TableColumn(id=j, name=nm) for j, nm in enumerate(names, start=1)]
            table.autoFilter = AutoFilter(ref=ref)
            table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
            ws.add_table(table)
        _page_setup(ws, header_row)
        if key == chart_sheet or name == chart_sheet:
            _bar_chart(ws, header_row, header_row + len(frame), names)
        if ws.max_row > header_row:  # nothing may sit where the streamed rows go (duplicate <row> = corrupt)
            ws.delete_rows(header_row + 1, ws.max_row - header_row)
        wrap_widths = {j: w for j, (w, wrap) in enumerate(layout) if wrap}
        fast.append(_FastSheet(name, frame, header_row + 1, styles, flag_col, wrap_widths))
    wb.remove(style_ws)
    wb.active = 0
    wb.properties.title = nfc(title)
    wb.properties.creator = "xl_addin"
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
        _inject_rows(tmp, fast)
    return Path(path)


_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def _sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → part name inside the package (read from workbook.xml and its rels)."""
    book = ElementTree.fromstring(zf.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out[sheet.get("name", "")] = part
    return out


_DIMENSION_RE = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _inject_rows(package: Path, sheets: list[_FastSheet]) -> None:
    """Put each sheet's data rows into the saved package, right before ``</sheetData>``."""
    work = package.with_name(package.name + ".rows")
    try:
        with (
            zipfile.ZipFile(package) as src,
            zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst,
        ):
            parts = _sheet_parts(src)
            by_part = {parts[s.title]: s for s in sheets if s.title in parts and len(s.frame)}
            for info in src.infolist():
                data = src.read(info.filename)
                sheet = by_part.get(info.filename)
                if sheet is not None:
                    rows = sheet.rows_xml().encode("utf-8", "replace")
                    last = sheet.first_row + len(sheet.frame) - 1
                    ncols = max(len(sheet.styles), 1)
                    data = _DIMENSION_RE.sub(
                        f'<dimension ref="A1:{get_column_letter(ncols)}{last}"/>'.encode(), data, 1
                    )
                    if b"</sheetData>" in data:
                        data = data.replace(b"</sheetData>", rows + b"</sheetData>", 1)
                    else:
                        data = data.replace(b"<sheetData/>", b"<sheetData>" + rows + b"</sheetData>", 1)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=3)
        os.replace(work, package)
    finally:
        if work.exists():
            work.unlink()

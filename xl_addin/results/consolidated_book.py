"""The consolidated workbook (``bao_cao/tong_hop_<kỳ>.xlsx``): the consolidation's DataFrames as Excel Tables.

30,000 rows must take seconds, not minutes: openpyxl's cell-by-cell writer needs ~8 s
for 30k × 15 cells even in write-only mode, so the data rows are streamed as sheet XML
directly (see ``_FastSheet``) while openpyxl still draws everything else (styles,
header, table, chart, print setup). Every string stays literal text
(``files.cell_text``): ``=HYPERLINK(...)`` typed in a submission is never a formula here.
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
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from xl_addin.core.errors import DdciError
from xl_addin.core.vnformat import nfc
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import write_text_cell
from xl_addin.files.ooxml import sheet_parts, xml_escape
from xl_addin.files.xlsx_style import (
    BODY_FONT,
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_FORMAT,
    FLAG_FILL,
    TABLE_STYLE,
    TOP,
    WRAP_TOP,
    a4,
    header_row,
    row_height,
    title_rows,
)

if TYPE_CHECKING:  # pandas is only needed here; validate must start fast without it
    import pandas as pd

__all__ = ["write_consolidated"]

FLAG_COLUMN = "Có cảnh báo"
COUNT_COLUMNS = ("Hoàn thành", "Đang triển khai", "Chưa triển khai")
YES, NO = "Có", "Không"


def _text(cell: Cell, value: object) -> None:
    """Any value as literal text; characters XML cannot hold are dropped (openpyxl would raise)."""
    write_text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _merge_title(ws: Worksheet, title: str, widths: Sequence[float]) -> None:
    """Spread the title over the table width (wrapped) so neither screen nor print cuts it off."""
    if len(widths) > 1:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(widths))
    ws.cell(row=1, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[1].height = row_height([(title, sum(widths))], point_size=14)


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
        if pd.isna(value):
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
                    text = xml_escape(scratch.value)
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
    top = 3
    for n, (key, frame) in enumerate(tables.items(), start=1):
        name = _sheet_name(key, used)
        ws = wb.create_sheet(name)
        names = _header_names(list(frame.columns))
        kinds = [_column_kind(frame.iloc[:, j]) for j in range(frame.shape[1])]
        layout = [_width_and_wrap(names[j], frame.iloc[:, j], kinds[j]) for j in range(frame.shape[1])]
        title_rows(ws, title, name)
        if names:
            header_row(ws, top, names, [w for w, _ in layout])
            _merge_title(ws, title, [w for w, _ in layout])
        styles = [_register_styles(style_ws, kinds[j], layout[j][1]) for j in range(frame.shape[1])]
        flag_col = names.index(FLAG_COLUMN) if FLAG_COLUMN in names else None
        last_row = top + max(len(frame), 1)
        if names:
            ref = f"A{top}:{get_column_letter(len(names))}{last_row}"
            table = Table(displayName=f"Bang{n}_{_ascii_name(name)}"[:250], ref=ref)
            table.tableColumns = [TableColumn(id=j, name=nm) for j, nm in enumerate(names, start=1)]
            table.autoFilter = AutoFilter(ref=ref)
            table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
            ws.add_table(table)
        a4(ws, landscape=True, header_row=top)
        if key == chart_sheet or name == chart_sheet:
            _bar_chart(ws, top, top + len(frame), names)
        if ws.max_row > top:  # nothing may sit where the streamed rows go (duplicate <row> = corrupt)
            ws.delete_rows(top + 1, ws.max_row - top)
        wrap_widths = {j: w for j, (w, wrap) in enumerate(layout) if wrap}
        fast.append(_FastSheet(name, frame, top + 1, styles, flag_col, wrap_widths))
    wb.remove(style_ws)
    wb.active = 0
    wb.properties.title = nfc(title)
    wb.properties.creator = "xl_addin"
    with atomic_write(Path(path)) as tmp:
        wb.save(tmp)
        _inject_rows(tmp, fast)
    return Path(path)


_DIMENSION_RE = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _inject_rows(package: Path, sheets: list[_FastSheet]) -> None:
    """Put each sheet's data rows into the saved package, right before ``</sheetData>``."""
    work = package.with_name(package.name + ".rows")
    try:
        with (
            zipfile.ZipFile(package) as src,
            zipfile.ZipFile(work, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst,
        ):
            parts = sheet_parts(src)
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

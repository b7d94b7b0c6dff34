"""The consolidated workbook (``bao_cao/tong_hop_<kỳ>.xlsx``): the consolidation's tables as Excel Tables.

30,000 rows must take a fraction of a second: the package is written by
``files.xlsx_stream`` (no openpyxl), from plain columns (``consolidate.Table``, no pandas;
a DataFrame is taken too), and the data rows are made column by column, each
distinct value of a column turned into cell XML once (a task's text, a unit's name, a
status repeat in thousands of rows) and stored once in the shared-string table. Every
string stays literal text (``files.cell_text.inert_text``): ``=HYPERLINK(...)`` typed in
a submission is never a formula here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xl_addin.core.cells import column_letter
from xl_addin.core.errors import DdciError
from xl_addin.core.vnformat import nfc
from xl_addin.files.cell_text import inert_text
from xl_addin.files.house_style import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_FORMAT,
    FLAG_RGB,
    HEADER_RGB,
    TITLE_SIZE,
    height_for_lines,
    row_height,
    text_lines,
)
from xl_addin.files.xlsx_stream import Book, CellStyle, Chart, Sheet, Table, excel_serial, row_xml

if TYPE_CHECKING:  # pandas only for DataFrames given by a caller (already loaded then)
    import pandas as pd

    from xl_addin.results.consolidate import Table as ConsolidationTable

__all__ = ["write_consolidated"]

FLAG_COLUMN = "Có cảnh báo"
COUNT_COLUMNS = ("Hoàn thành", "Đang triển khai", "Chưa triển khai")
YES, NO = "Có", "Không"
CHART_TITLE = "Tình hình thực hiện nhiệm vụ theo chỉ số"
TOP_ROW = 3  # the header row; the title and the sheet name above it

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_PLAIN_TYPES = frozenset((str, int, bool, type(None), dt.date, dt.datetime))  # exactly: NaT is a datetime

TITLE = CellStyle(size=TITLE_SIZE, bold=True, wrap=True)
SUBTITLE = CellStyle(italic=True, vertical=None)
HEADER = CellStyle(bold=True, fill=HEADER_RGB, border=True, wrap=True, vertical="center", horizontal="center")

# A cell: the XML after ``<c r="A12`` for a plain row and for a flagged row (an empty cell is
# written as one, styled), and the lines its text takes in a wrapped column (0 elsewhere).
Entry = tuple[str, str, int]


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
        base = inert_text(nfc(str(col))).replace("\n", " ").replace("\r", " ").strip()
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


def _value_kind(values: list) -> str:
    """``_column_kind`` for a column of plain Python values (a ``consolidate.Table``); set operations in C."""
    if any(type(v) is str for v in values[:200]):
        return "text"  # most columns: decided on the first values
    types = set(map(type, values)) - {type(None)}
    if not types:
        return "text"
    if types == {bool}:
        return "bool"
    if types <= {int, float}:
        try:
            distinct = set(values)
        except TypeError:
            return "number"
        fractional = any(type(v) is float and v == v and v % 1 != 0 for v in distinct)  # NaN is not a value
        return "decimal" if fractional else "number"
    if all(issubclass(t, dt.date) for t in types):
        return "date"
    return "text"


def _columns(data: pd.DataFrame | ConsolidationTable) -> tuple[list[object], list[list], list[str]]:
    """Headers, columns of values and column kinds, from a DataFrame or a plain table."""
    if hasattr(data, "iloc"):  # a DataFrame: pandas is loaded already
        frame: Any = data
        series = [frame.iloc[:, j] for j in range(frame.shape[1])]
        return list(frame.columns), [s.tolist() for s in series], [_column_kind(s) for s in series]
    values = list(data.columns.values())
    return list(data.columns), values, [_value_kind(v) for v in values]


def _width_and_wrap(name: str, values: list, kind: str) -> tuple[float, bool]:
    """Column width (Excel units) from the header and a sample; long text wraps at 50."""
    head = len(name) + 2
    if kind == "date":
        return max(head * 0.8, 12), False
    if kind in ("number", "decimal", "bool"):
        return min(max(head * 0.8, 10), 20), False
    lengths = sorted(len(str(v)) for v in values[:500] if v is not None)
    if not lengths:
        return max(head, 10), False
    typical = lengths[int(len(lengths) * 0.9)] if len(lengths) > 1 else lengths[0]
    if typical > 45 or lengths[-1] > 80:
        return max(50.0, min(head, 60)), True
    return min(max(head * 0.9, typical * 1.1 + 2, 8), 50), False


def _styles(book: Book, kind: str, wrap: bool) -> dict[str, tuple[int, int]]:
    """Cell-format indexes for one column: plain and flagged, per value kind (text/number/date/datetime)."""
    out: dict[str, tuple[int, int]] = {}
    for value_kind, fmt in (
        ("text", "@" if kind == "text" else "General"),
        ("number", DECIMAL_FORMAT if kind == "decimal" else "General"),
        ("date", DATE_FORMAT),
        ("datetime", DATETIME_FORMAT),
    ):
        plain = CellStyle(num_fmt=fmt, wrap=wrap)
        out[value_kind] = (book.style(plain), book.style(CellStyle(num_fmt=fmt, wrap=wrap, fill=FLAG_RGB)))
    return out


def _entry_maker(book: Book, styles: dict[str, tuple[int, int]], wrap_width: float | None):
    """The function turning one value of a column into its :data:`Entry` (called once per distinct value)."""
    t0, t1 = styles["text"]
    empty: Entry = (f'" s="{t0}"/>', f'" s="{t1}"/>', 0)  # written too: every row then has the same cells

    def make(raw: object) -> Entry:
        if type(raw) is float:
            value: object = None if raw != raw else raw  # NaN → None
        else:
            value = raw if type(raw) in _PLAIN_TYPES else _plain(raw)
        if isinstance(value, bool):
            value = YES if value else NO
        if value is None or (isinstance(value, str) and not value):
            return empty
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                return empty
            n0, n1 = styles["number"]
            v = f"<v>{value!r}</v></c>"
            return (f'" s="{n0}">{v}', f'" s="{n1}">{v}', 0)
        if isinstance(value, dt.date):
            is_dt = isinstance(value, dt.datetime) and value.time() != dt.time(0)
            d0, d1 = styles["datetime" if is_dt else "date"]
            v = f"<v>{excel_serial(value)!r}</v></c>"
            return (f'" s="{d0}">{v}', f'" s="{d1}">{v}', 0)
        text = inert_text(value if isinstance(value, str) else str(value))
        if not text:
            return empty
        v = f'" t="s"><v>{book.shared(text)}</v></c>'
        return (f'" s="{t0}{v}', f'" s="{t1}{v}', text_lines(text, wrap_width) if wrap_width else 0)

    return make


def _column_entries(values: list, make) -> list[Entry]:
    """Every value's :data:`Entry`, each distinct value converted once, in order of first use."""
    try:
        distinct = dict.fromkeys(values)  # in C; NaN objects stay apart (each is its own key)
    except TypeError:  # an unhashable value
        return [make(v) for v in values]
    numbers = (int, float, decimal.Decimal)
    numeric = {t for t in map(type, distinct) if issubclass(t, numbers) or "numpy" in t.__module__}
    if len(numeric) > 1:
        return [make(v) for v in values]  # 1, 1.0 and True are one key but not one cell
    table = {v: make(v) for v in distinct}
    return list(map(table.__getitem__, values))


def _flags(values: list) -> list[int]:
    flags = []
    for raw in values:
        flag = raw if type(raw) is bool else _plain(raw)
        flags.append(1 if flag is True or (isinstance(flag, (int, float)) and flag == 1) else 0)
    return flags


def _data_rows(
    book: Book, values: list[list], styles: list[dict[str, tuple[int, int]]], flag_col: int | None, wraps: dict
) -> Iterator[str]:
    """The data rows' XML, from row ``TOP_ROW + 1``; rows with wrapped long text get a height."""
    n = len(values[0]) if values else 0
    if not n:
        return
    columns = [_column_entries(v, _entry_maker(book, styles[j], wraps.get(j))) for j, v in enumerate(values)]
    flags = _flags(values[flag_col]) if flag_col is not None else [0] * n
    # One format per row instead of a concatenation per cell: '<c r="A{0}{1}<c r="B{0}{2}…'.
    cells = "".join(f'<c r="{column_letter(j)}{{0}}{{{j + 1}}}' for j in range(len(columns))).format
    plain = [[e[0] for e in col] for col in columns]
    lines = [max(t) for t in zip(*[[e[2] for e in columns[j]] for j in sorted(wraps)], strict=True)] or [0] * n
    heights: dict[int, float] = {}
    first = TOP_ROW + 1
    for i, tails in enumerate(zip(*plain, strict=True)):
        r = first + i
        if flags[i]:
            tails = tuple(col[i][1] for col in columns)
        if lines[i] > 1:  # LibreOffice does not size rows to wrapped text itself
            height = heights.get(lines[i]) or heights.setdefault(lines[i], height_for_lines(lines[i]))
            yield f'<row r="{r}" ht="{height}" customHeight="1">{cells(r, *tails)}</row>'
        else:
            yield f'<row r="{r}">{cells(r, *tails)}</row>'


def _sheet_rows(
    book: Book, title: str, name: str, names: list[str], widths: list[float], body: Iterator[str]
) -> Iterator[str]:
    """Title, sheet name, header, then the data rows."""
    height = row_height([(title, sum(widths))], point_size=TITLE_SIZE) if names else None
    yield row_xml(1, [book.text_cell("A1", book.style(TITLE), title)], height)
    yield row_xml(2, [book.text_cell("A2", book.style(SUBTITLE), name)])
    if names:
        header = book.style(HEADER)
        yield row_xml(TOP_ROW, [book.text_cell(f"{column_letter(j)}{TOP_ROW}", header, n) for j, n in enumerate(names)])
    yield from body


def _chart(name: str, names: list[str], rows: int) -> Chart | None:
    """The stacked bar chart of the task counts per indicator, below the table; None when nothing to draw."""
    series = [names.index(n) + 1 for n in COUNT_COLUMNS if n in names]
    if not series or rows < 1:
        return None
    last = TOP_ROW + rows
    return Chart(
        title=CHART_TITLE,
        axis_title="Số nhiệm vụ",
        series=series,
        categories=1,
        header_row=TOP_ROW,
        last_row=last,
        anchor_row=last + 3,  # below the table: prints on the same pages, fit to width
        width_cm=24,
        height_cm=min(max(8.0, 1.2 * rows + 4), 20.0),
    )


def write_consolidated(
    tables: Mapping[str, pd.DataFrame | ConsolidationTable], path: Path, title: str, chart_sheet: str = "Theo chỉ số"
) -> Path:
    """Write each table (a ``consolidate.Table`` or a DataFrame) as a sheet holding one Excel Table;
    a bar chart on ``chart_sheet``.

    Numbers stay numbers, dates are shown dd/mm/yyyy, booleans become "Có"/"Không",
    every string is literal text. Rows whose "Có cảnh báo" is true are shaded yellow.
    A DataFrame's index is not written (``reset_index()`` first to keep it). Headers are
    frozen and repeat on every printed A4 page.
    """
    if not tables:
        raise DdciError("Không có bảng tổng hợp nào để ghi.")
    book = Book(title)
    used: set[str] = set()
    sheets: list[Sheet] = []
    for n, (key, data) in enumerate(tables.items(), start=1):
        name = _sheet_name(key, used)
        headers, values, kinds = _columns(data)
        rows = len(values[0]) if values else 0
        names = _header_names(headers)
        layout = [_width_and_wrap(names[j], v, kinds[j]) for j, v in enumerate(values)]
        widths = [w for w, _ in layout]
        styles = [_styles(book, kinds[j], layout[j][1]) for j in range(len(values))]
        flag_col = names.index(FLAG_COLUMN) if FLAG_COLUMN in names else None
        wraps = {j: w for j, (w, wrap) in enumerate(layout) if wrap}
        last_row = TOP_ROW + max(rows, 1)
        table = None
        if names:
            ref = f"A{TOP_ROW}:{column_letter(len(names) - 1)}{last_row}"
            table = Table(f"Bang{n}_{_ascii_name(name)}"[:250], ref, names)
        body = _data_rows(book, values, styles, flag_col, wraps)
        sheets.append(
            Sheet(
                name=name,
                widths=widths,
                rows=_sheet_rows(book, title, name, names, widths, body),
                last_row=last_row,
                header_row=TOP_ROW,
                merges=[f"A1:{column_letter(len(widths) - 1)}1"] if len(widths) > 1 else [],
                table=table,
                chart=_chart(name, names, rows) if chart_sheet in (key, name) else None,
                selected=n == 1,
            )
        )
    return book.save(Path(path), sheets)

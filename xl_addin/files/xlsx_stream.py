"""An .xlsx package written directly: rows streamed into the zip, at the speed of the format.

The findings list and the consolidation can hold tens of thousands of rows. openpyxl
builds a Python object per cell (about 8 s for 30,000 rows × 16 cells) and costs 0.3 s
to import; this module writes the same package parts itself, in one pass: each sheet's
rows are generated and deflated as they come, text goes into one shared-string table
(a task's text is written once, not once per unit), and the styles, tables, frozen
headers, A4 print setup and the bar chart are small fixed parts. Text cells are shared
strings (``t="s"``), which no spreadsheet evaluates as a formula
(``files.cell_text.inert_text``). ``benchmarks/README.md`` has the measurements, and why
XlsxWriter was not taken.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xl_addin.core.cells import column_letter
from xl_addin.core.vnformat import nfc
from xl_addin.files.atomic import atomic_write
from xl_addin.files.cell_text import inert_text
from xl_addin.files.house_style import BODY_SIZE, FONT_NAME, GRID_RGB, PAGE_MARGIN, TABLE_STYLE
from xl_addin.files.ooxml import xml_escape as xml_text

__all__ = ["Book", "CellStyle", "Chart", "Sheet", "Table", "excel_serial", "row_xml", "xml_attr"]

COMPRESS_LEVEL = 1  # zlib level: 1 is about twice as fast as 6 for 10–15 % more bytes
ROWS_PER_CHUNK = 2_000  # rows joined and deflated together

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006"
_REL = f"{_REL_BASE}/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_BUILTIN_FORMATS = {"General": 0, "0": 1, "0.00": 2, "@": 49}
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_SERIES_RGB = ("4F81BD", "C0504D", "9BBB59", "8064A2", "4BACC6", "F79646")  # the Office theme's accents
# The Office colour scheme and the smallest format scheme the schema allows: table styles and
# charts take their colours from it in Excel and LibreOffice.
_FILL = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
_THEME = (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>'
    '<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1>'
    '<a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2>'
    '<a:srgbClr val="EEECE1"/></a:lt2>'
    + "".join(f'<a:accent{k}><a:srgbClr val="{rgb}"/></a:accent{k}>' for k, rgb in enumerate(_SERIES_RGB, 1))
    + '<a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>'
    '<a:fontScheme name="Office"><a:majorFont><a:latin typeface="Cambria"/><a:ea typeface=""/><a:cs typeface=""/>'
    '</a:majorFont><a:minorFont><a:latin typeface="Calibri"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont>'
    f'</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>{_FILL * 3}</a:fillStyleLst><a:lnStyleLst>'
    + "".join(f'<a:ln w="{w}">{_FILL}</a:ln>' for w in (9525, 25400, 38100))
    + "</a:lnStyleLst><a:effectStyleLst>"
    + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
    + f"</a:effectStyleLst><a:bgFillStyleLst>{_FILL * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
    "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
)


def xml_attr(text: str) -> str:
    """Text for a double-quoted XML attribute value."""
    return xml_text(text).replace('"', "&quot;")


def excel_serial(value: dt.date) -> float:
    """A date or datetime as Excel's day number (1900 date system)."""
    if isinstance(value, dt.datetime):
        delta = value.replace(tzinfo=None) - _EXCEL_EPOCH
        return delta.days + delta.seconds / 86_400 + delta.microseconds / 86_400_000_000
    return float((value - _EXCEL_EPOCH.date()).days)


@dataclass(frozen=True)
class CellStyle:
    """One cell format in the house style: Times New Roman, optional fill, grid, number format, alignment."""

    size: float = BODY_SIZE
    bold: bool = False
    italic: bool = False
    color: str | None = None  # font colour, ARGB
    fill: str | None = None  # solid fill, ARGB
    border: bool = False  # thin grey grid on four sides
    num_fmt: str = "General"
    wrap: bool = False
    vertical: str | None = "top"
    horizontal: str | None = None


class _Styles:
    """``xl/styles.xml``: every :class:`CellStyle` used, registered once; index 0 is Excel's default."""

    def __init__(self) -> None:
        self.fonts: dict[tuple, int] = {}
        self.fills: dict[str, int] = {}
        self.formats: dict[str, int] = {}
        self.xfs: dict[CellStyle, int] = {}
        self._xf_xml: list[str] = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>']

    def id(self, style: CellStyle) -> int:
        found = self.xfs.get(style)
        if found is not None:
            return found
        font = self.fonts.setdefault((style.size, style.bold, style.italic, style.color), len(self.fonts) + 1)
        fill = self.fills.setdefault(style.fill, len(self.fills) + 2) if style.fill else 0
        fmt = _BUILTIN_FORMATS.get(style.num_fmt)
        if fmt is None:
            fmt = self.formats.setdefault(style.num_fmt, 164 + len(self.formats))
        align = "".join(
            f' {name}="{value}"'
            for name, value in (("horizontal", style.horizontal), ("vertical", style.vertical))
            if value
        ) + (' wrapText="1"' if style.wrap else "")
        self._xf_xml.append(
            f'<xf numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{1 if style.border else 0}" xfId="0" '
            f'applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">'
            f"<alignment{align}/></xf>"
        )
        self.xfs[style] = len(self._xf_xml) - 1
        return self.xfs[style]

    def xml(self) -> str:
        formats = "".join(f'<numFmt numFmtId="{i}" formatCode="{xml_attr(code)}"/>' for code, i in self.formats.items())
        fonts = ['<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>']
        for size, bold, italic, color in self.fonts:
            fonts.append(
                "<font>"
                + ("<b/>" if bold else "")
                + ("<i/>" if italic else "")
                + f'<sz val="{size:g}"/>'
                + (f'<color rgb="{color}"/>' if color else "")
                + f'<name val="{FONT_NAME}"/><family val="1"/></font>'
            )
        fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>']
        fills += [
            f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>'
            for rgb in self.fills
        ]
        side = f'style="thin"><color rgb="{GRID_RGB}"/>'
        grid = "<border>" + "".join(f"<{edge} {side}</{edge}>" for edge in ("left", "right", "top", "bottom"))
        grid += "<diagonal/></border>"
        return (
            f'{_DECL}<styleSheet xmlns="{_MAIN}">'
            + (f'<numFmts count="{len(self.formats)}">{formats}</numFmts>' if self.formats else "")
            + f'<fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            + f'<fills count="{len(fills)}">{"".join(fills)}</fills>'
            + f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>{grid}</borders>'
            + '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            + f'<cellXfs count="{len(self._xf_xml)}">{"".join(self._xf_xml)}</cellXfs>'
            + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            + '<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium9" '
            + 'defaultPivotStyle="PivotStyleLight16"/></styleSheet>'
        )


class _Strings:
    """``xl/sharedStrings.xml``: each distinct text once, in order of first use."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.count = 0

    def add(self, text: str) -> int:
        self.count += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def chunks(self) -> Iterable[str]:
        yield f'{_DECL}<sst xmlns="{_MAIN}" count="{self.count}" uniqueCount="{len(self.index)}">'
        batch: list[str] = []
        for text in self.index:
            batch.append(f'<si><t xml:space="preserve">{xml_text(text)}</t></si>')
            if len(batch) >= ROWS_PER_CHUNK:
                yield "".join(batch)
                batch = []
        yield "".join(batch) + "</sst>"


@dataclass(frozen=True)
class Table:
    """An Excel Table (filter buttons, banded rows) over ``ref``; ``columns`` are its header texts."""

    name: str
    ref: str
    columns: Sequence[str]
    stripes: bool = True


@dataclass(frozen=True)
class Chart:
    """A stacked horizontal bar chart: one series per column in ``series``, categories from ``categories``.

    Columns are 1-based; the series names are in ``header_row``, the data below it to ``last_row``.
    """

    title: str
    axis_title: str
    series: Sequence[int]
    categories: int
    header_row: int
    last_row: int
    anchor_row: int  # 1-based row of the chart's top-left corner, in column A
    width_cm: float
    height_cm: float


@dataclass
class Sheet:
    """One worksheet: its rows as ``<row>`` XML (generated while the file is written) and its fixed parts."""

    name: str
    widths: Sequence[float]
    rows: Iterable[str]
    last_row: int
    header_row: int | None = None  # frozen below, repeated on every printed page
    landscape: bool = True
    merges: Sequence[str] = ()
    table: Table | None = None
    chart: Chart | None = None
    selected: bool = False


def row_xml(r: int, cells: Sequence[str], height: float | None = None) -> str:
    attrs = f' ht="{height}" customHeight="1"' if height else ""
    return f'<row r="{r}"{attrs}>{"".join(cells)}</row>'


@dataclass
class Book:
    """A workbook being written: register styles, make cells, then :meth:`save` the sheets.

    ``title`` goes into the document properties.
    """

    title: str
    styles: _Styles = field(default_factory=_Styles)
    strings: _Strings = field(default_factory=_Strings)

    def style(self, style: CellStyle) -> int:
        return self.styles.id(style)

    def text_cell(self, ref: str, style: int, value: object) -> str:
        """A shared-string cell holding ``value`` as inert text; an empty text gives a styled empty cell."""
        text = inert_text("" if value is None else str(value))
        if not text:
            return f'<c r="{ref}" s="{style}"/>'
        return f'<c r="{ref}" s="{style}" t="s"><v>{self.strings.add(text)}</v></c>'

    def shared(self, value: str) -> int:
        """The shared-string index of ``value`` (already made inert with ``inert_text``)."""
        return self.strings.add(value)

    def save(self, path: Path, sheets: Sequence[Sheet]) -> Path:
        """Write the package to ``path`` atomically (a failed write leaves the old file as it was)."""
        path = Path(path)
        with (
            atomic_write(path) as tmp,
            zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as zf,
        ):
            overrides: list[tuple[str, str]] = []
            charts = 0
            for n, sheet in enumerate(sheets, start=1):
                rels: list[tuple[str, str, str]] = []
                if sheet.chart is not None:
                    charts += 1
                    rels.append(("rIdDr", "drawing", f"../drawings/drawing{charts}.xml"))
                    _write_chart(zf, charts, sheet.name, sheet.chart)
                    overrides += [
                        (f"/xl/drawings/drawing{charts}.xml", f"{_CT}.drawing+xml"),
                        (f"/xl/charts/chart{charts}.xml", f"{_CT}.drawingml.chart+xml"),
                    ]
                if sheet.table is not None:
                    rels.append(("rIdTb", "table", f"../tables/table{n}.xml"))
                    zf.writestr(f"xl/tables/table{n}.xml", _table_xml(n, sheet.table))
                    overrides.append((f"/xl/tables/table{n}.xml", f"{_CT}.spreadsheetml.table+xml"))
                with zf.open(f"xl/worksheets/sheet{n}.xml", "w") as fh:
                    fh.write(_sheet_head(sheet).encode("utf-8"))
                    batch: list[str] = []
                    for row in sheet.rows:
                        batch.append(row)
                        if len(batch) >= ROWS_PER_CHUNK:
                            fh.write("".join(batch).encode("utf-8"))
                            batch = []
                    fh.write(("".join(batch) + _sheet_tail(sheet, rels)).encode("utf-8"))
                if rels:
                    zf.writestr(f"xl/worksheets/_rels/sheet{n}.xml.rels", _rels_xml(rels))
                overrides.append((f"/xl/worksheets/sheet{n}.xml", f"{_CT}.spreadsheetml.worksheet+xml"))
            with zf.open("xl/sharedStrings.xml", "w") as fh:
                for chunk in self.strings.chunks():
                    fh.write(chunk.encode("utf-8"))
            zf.writestr("xl/styles.xml", self.styles.xml())
            zf.writestr("xl/workbook.xml", _workbook_xml(sheets))
            wb_rels = [(f"rId{n}", "worksheet", f"worksheets/sheet{n}.xml") for n in range(1, len(sheets) + 1)]
            wb_rels += [
                ("rIdSt", "styles", "styles.xml"),
                ("rIdSs", "sharedStrings", "sharedStrings.xml"),
                ("rIdTh", "theme", "theme/theme1.xml"),
            ]
            zf.writestr("xl/theme/theme1.xml", _DECL + _THEME)
            zf.writestr("xl/_rels/workbook.xml.rels", _rels_xml(wb_rels))
            _write_package_parts(zf, self.title, overrides)
        return path


def _sheet_head(sheet: Sheet) -> str:
    last_col = column_letter(max(len(sheet.widths), 1) - 1)
    view = '<sheetView workbookViewId="0"' + (' tabSelected="1">' if sheet.selected else ">")
    if sheet.header_row:
        below = f"A{sheet.header_row + 1}"
        view += (
            f'<pane ySplit="{sheet.header_row}" topLeftCell="{below}" activePane="bottomLeft" state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/>'
        )
    cols = "".join(
        f'<col min="{j}" max="{j}" width="{round(w, 2):g}" customWidth="1"/>' for j, w in enumerate(sheet.widths, 1)
    )
    return (
        f'{_DECL}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last_col}{max(sheet.last_row, 1)}"/><sheetViews>{view}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{cols}</cols>" if cols else "") + "<sheetData>"
    )


def _sheet_tail(sheet: Sheet, rels: list[tuple[str, str, str]]) -> str:
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in sheet.merges)
    m = PAGE_MARGIN
    tail = "</sheetData>" + (f'<mergeCells count="{len(sheet.merges)}">{merges}</mergeCells>' if merges else "")
    tail += (
        f'<pageMargins left="{m}" right="{m}" top="1" bottom="1" header="0.5" footer="0.5"/>'
        f'<pageSetup paperSize="9" orientation="{"landscape" if sheet.landscape else "portrait"}" '
        'fitToWidth="1" fitToHeight="0"/>'
    )
    kinds = {kind: rid for rid, kind, _ in rels}
    if "drawing" in kinds:
        tail += f'<drawing r:id="{kinds["drawing"]}"/>'
    if "table" in kinds:
        tail += f'<tableParts count="1"><tablePart r:id="{kinds["table"]}"/></tableParts>'
    return tail + "</worksheet>"


def _table_xml(n: int, table: Table) -> str:
    columns = "".join(f'<tableColumn id="{j}" name="{xml_attr(name)}"/>' for j, name in enumerate(table.columns, 1))
    return (
        f'{_DECL}<table xmlns="{_MAIN}" id="{n}" name="{table.name}" displayName="{table.name}" ref="{table.ref}" '
        f'totalsRowShown="0"><autoFilter ref="{table.ref}"/><tableColumns count="{len(table.columns)}">{columns}'
        f'</tableColumns><tableStyleInfo name="{TABLE_STYLE}" showFirstColumn="0" showLastColumn="0" '
        f'showRowStripes="{int(table.stripes)}" showColumnStripes="0"/></table>'
    )


def _rels_xml(rels: Iterable[tuple[str, str, str]]) -> str:
    """A relationships part from (id, type, target); a type without ``://`` is an officeDocument one."""
    items = "".join(
        f'<Relationship Id="{rid}" Type="{kind if "://" in kind else f"{_REL}/{kind}"}" Target="{target}"/>'
        for rid, kind, target in rels
    )
    return f'{_DECL}<Relationships xmlns="{_PKG_REL}">{items}</Relationships>'


def _quoted(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _workbook_xml(sheets: Sequence[Sheet]) -> str:
    items = "".join(
        f'<sheet name="{xml_attr(s.name)}" sheetId="{n}" r:id="rId{n}"/>' for n, s in enumerate(sheets, start=1)
    )
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{n}">'
        f"{xml_text(_quoted(s.name))}!${s.header_row}:${s.header_row}</definedName>"
        for n, s in enumerate(sheets)
        if s.header_row
    )
    active = next((n for n, s in enumerate(sheets) if s.selected), 0)
    return (
        f'{_DECL}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><workbookPr/><bookViews>'
        f'<workbookView activeTab="{active}"/></bookViews><sheets>{items}</sheets>'
        + (f"<definedNames>{titles}</definedNames>" if titles else "")
        + '<calcPr calcId="191029"/></workbook>'
    )


def _rich(text: str) -> str:
    return (
        "<c:tx><c:rich><a:bodyPr/><a:p><a:pPr><a:defRPr/></a:pPr>"
        f'<a:r><a:t>{xml_text(text)}</a:t></a:r></a:p></c:rich></c:tx><c:overlay val="0"/>'
    )


def _write_chart(zf: zipfile.ZipFile, n: int, sheet_name: str, chart: Chart) -> None:
    sheet = xml_text(_quoted(sheet_name))
    first, last = chart.header_row + 1, chart.last_row
    cat = column_letter(chart.categories - 1)
    series = []
    for k, col in enumerate(chart.series):
        letter = column_letter(col - 1)
        fill = f'<c:spPr><a:solidFill><a:srgbClr val="{_SERIES_RGB[k % len(_SERIES_RGB)]}"/></a:solidFill></c:spPr>'
        series.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/><c:tx><c:strRef><c:f>{sheet}!${letter}${chart.header_row}'
            f'</c:f></c:strRef></c:tx>{fill}<c:invertIfNegative val="0"/><c:cat><c:strRef><c:f>{sheet}!${cat}${first}:'
            f"${cat}${last}</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>{sheet}!${letter}${first}:${letter}${last}"
            "</c:f></c:numRef></c:val></c:ser>"
        )
    ticks = '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    body = (
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{_REL}"><c:roundedCorners val="0"/><c:chart><c:title>{_rich(chart.title)}</c:title>'
        '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/>'
        '<c:grouping val="stacked"/><c:varyColors val="0"/>'
        + "".join(series)
        + '<c:gapWidth val="150"/><c:overlap val="100"/><c:axId val="10"/><c:axId val="100"/></c:barChart>'
        '<c:catAx><c:axId val="10"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        f'<c:axPos val="l"/>{ticks}<c:crossAx val="100"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="100"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:majorGridlines><c:spPr><a:ln w="9525"><a:solidFill><a:srgbClr val="BFBFBF"/>'
        f"</a:solidFill></a:ln></c:spPr></c:majorGridlines><c:title>{_rich(chart.axis_title)}</c:title>"
        f'<c:numFmt formatCode="General" sourceLinked="1"/>{ticks}<c:crossAx val="10"/>'
        '<c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:legend><c:legendPos val="r"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
        '<c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )
    zf.writestr(f"xl/charts/chart{n}.xml", _DECL + body)
    emu = 360_000  # per cm
    drawing = (
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:oneCellAnchor><xdr:from>'
        f"<xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{chart.anchor_row - 1}</xdr:row>"
        f'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="{round(chart.width_cm * emu)}" '
        f'cy="{round(chart.height_cm * emu)}"/><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
        f'<xdr:cNvPr id="{n + 1}" name="Chart {n}"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData '
        'uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart '
        f'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{_REL}" r:id="rIdCh"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>"
    )
    zf.writestr(f"xl/drawings/drawing{n}.xml", _DECL + drawing)
    zf.writestr(f"xl/drawings/_rels/drawing{n}.xml.rels", _rels_xml([("rIdCh", "chart", f"../charts/chart{n}.xml")]))


def _write_package_parts(zf: zipfile.ZipFile, title: str, overrides: list[tuple[str, str]]) -> None:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    zf.writestr(
        "docProps/core.xml",
        f"{_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{xml_text(nfc(title))}</dc:title><dc:creator>xl_addin</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>',
    )
    zf.writestr(
        "docProps/app.xml",
        f'{_DECL}<Properties xmlns="{_REL_BASE}/extended-properties"><Application>xl_addin</Application></Properties>',
    )
    zf.writestr(
        "_rels/.rels",
        _rels_xml(
            [
                ("rId1", f"{_REL}/officeDocument", "xl/workbook.xml"),
                ("rId2", f"{_PKG_REL}/metadata/core-properties", "docProps/core.xml"),
                ("rId3", f"{_REL}/extended-properties", "docProps/app.xml"),
            ]
        ),
    )
    parts = [
        ("/xl/workbook.xml", f"{_CT}.spreadsheetml.sheet.main+xml"),
        ("/xl/styles.xml", f"{_CT}.spreadsheetml.styles+xml"),
        ("/xl/sharedStrings.xml", f"{_CT}.spreadsheetml.sharedStrings+xml"),
        ("/xl/theme/theme1.xml", f"{_CT}.theme+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", f"{_CT}.extended-properties+xml"),
        *overrides,
    ]
    items = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    zf.writestr(
        "[Content_Types].xml",
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>',
    )

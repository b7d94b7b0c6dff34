"""Build the two default Word templates (Kế hoạch, Báo cáo) in the Nghị định 30/2020/NĐ-CP layout.

Why the templates are generated instead of hand-made:

* The ND30 rules (A4, margins 20/20/30/15 mm, Times New Roman 13-14 pt, bold/italic per
  element, rule lengths, page numbers in the top margin but not on page 1) are easy to get
  subtly wrong in Word. Writing them down here, as code, keeps them reviewable and testable,
  and lets ``render.choose_template`` rebuild a default when the packaged file is missing.
* The layout lives in named **paragraph styles** ("ND30 Nội dung" = Normal, "ND30 Mục",
  "ND30 Khoản", "ND30 Nơi nhận", …) and in two borderless fixed-width tables (header and
  signature), not in direct formatting. Office staff can restyle a template in Word by
  editing a style once; python-docx would otherwise have to set the font on every run,
  which is also three times slower.
* Every style used, and ``docDefaults``, names Times New Roman on all four ``w:rFonts``
  slots (ascii, hAnsi, eastAsia, cs) and drops the theme-font attributes: python-docx's
  default template maps text to Calibri / MS Mincho through the theme otherwise.
* python-docx starts from US Letter; the section is set to A4 explicitly.
* Data enters through docxtpl (Jinja) tags. Repeated paragraphs use ``{%p for %}`` and table
  rows ``{%tr for %}`` so a 200-row appendix renders in a fraction of a second (filling
  tables through ``table.cell()`` is ~100× slower). Tag paragraphs use the grey "ND30 Thẻ
  lệnh" style so they stand out in Word; docxtpl deletes them when rendering.
* Short rules under the agency name, the Tiêu ngữ and the trích yếu are empty paragraphs
  with a bottom border whose length is fixed by equal left/right indents: exact, editable in
  Word, and rendered identically by LibreOffice (drawn shapes are not).
* The Báo cáo appendix is a separate landscape section whose page numbers restart at 1
  (ND30 numbers each Phụ lục separately); its first page, like page 1 of the document,
  shows no number (``titlePg`` with an empty first-page header).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from xl_addin.files.atomic import atomic_write

__all__ = [
    "BAO_CAO",
    "FONT",
    "KE_HOACH",
    "TEMPLATE_NAMES",
    "TEMPLATE_VERSION",
    "build_bao_cao",
    "build_ke_hoach",
    "build_templates",
]

KE_HOACH = "ke_hoach.docx"
BAO_CAO = "bao_cao.docx"
TEMPLATE_NAMES = (KE_HOACH, BAO_CAO)
#: Bump when the generated layout changes: cached copies are keyed on it.
TEMPLATE_VERSION = 2

FONT = "Times New Roman"
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Page geometry (mm): A4 portrait, ND30 margins; the appendix section is A4 landscape.
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE = 12.0
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
LANDSCAPE_TEXT_W = PAGE_H - MARGIN_LEFT - MARGIN_RIGHT  # 252 mm
CELL_PAD = 1.905  # Word's default left/right cell margin (108 twips)

# Column widths taken from Mẫu 1.4 of Phụ lục III (67.5 + 100 mm header, 53 + 111 mm signature).
HEADER_COLS = (67.5, 100.0)
HEADER_INDENT = TEXT_W - sum(HEADER_COLS)  # -2.5 mm: the table spans exactly to the right margin
SIGN_COLS = (53.0, 111.0)
SIGN_INDENT = -CELL_PAD  # "Nơi nhận:" starts at the left margin

# Rule lengths (mm). Tiêu ngữ: as long as the 13 pt bold text (≈ 56 mm in Times New Roman).
# Agency: 1/3-1/2 of the name (≈ 70 mm at 12 pt bold).
# Trích yếu: about 1/3 of a typical 110-130 mm subject line.
RULE_MOTTO = 56.0
RULE_AGENCY = 24.0
RULE_SUBJECT = 40.0

# Progress / change tables of the appendix (landscape, 252 mm).
PROGRESS_COLS = (12.0, 88.0, 45.0, 30.0, 20.0, 57.0)
CHANGE_COLS = (12.0, 74.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 34.0)

# ---------------------------------------------------------------------------------------------
# XML helpers (python-docx has no API for borders, fields, tblInd, pgNumType)
# ---------------------------------------------------------------------------------------------

_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders",
    "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
)
_SECTPR_ORDER = (
    "w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr", "w:type", "w:pgSz",
    "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType", "w:pgNumType", "w:cols", "w:formProt",
    "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter",
    "w:docGrid", "w:printerSettings", "w:sectPrChange",
)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _set_child(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
    """Replace (or insert, in schema order) the child ``tag`` of ``parent`` and return it."""
    old = parent.find(qn(tag))
    if old is not None:
        parent.remove(old)
    el = OxmlElement(tag)
    successors = order[order.index(tag) + 1 :]
    parent.insert_element_before(el, *successors)
    return el


def _set_fonts(rpr: CT_RPr) -> None:
    """Times New Roman on the four ``w:rFonts`` slots; theme attributes would override them."""
    rfonts = rpr.get_or_add_rFonts()
    for attr in _THEME_SLOTS:
        key = qn(attr)
        if key in rfonts.attrib:
            del rfonts.attrib[key]
    for attr in _FONT_SLOTS:
        rfonts.set(qn(attr), FONT)


def _border(tag: str, val: str = "single", sz: int = 6, space: int = 1) -> BaseOxmlElement:
    el = OxmlElement(tag)
    el.set(qn("w:val"), val)
    if val not in ("nil", "none"):
        el.set(qn("w:sz"), str(sz))
        el.set(qn("w:space"), str(space))
        el.set(qn("w:color"), "000000")
    return el


# ---------------------------------------------------------------------------------------------
# Styles
# ---------------------------------------------------------------------------------------------


def _setup_doc_defaults(doc: DocxDocument) -> None:
    """docDefaults: TNR 14 pt, Vietnamese language, no paragraph spacing, single line."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is not None:
        rpr.remove(rfonts)
    rfonts = OxmlElement("w:rFonts")
    rpr.insert(0, rfonts)
    for attr in _FONT_SLOTS:
        rfonts.set(qn(attr), FONT)
    for tag in ("w:sz", "w:szCs"):
        el = rpr.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), "28")
    lang = rpr.find(qn("w:lang"))
    if lang is not None:
        lang.set(qn("w:val"), "vi-VN")
        lang.set(qn("w:eastAsia"), "en-US")
    ppr = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "vi-VN")
        theme_lang.set(qn("w:eastAsia"), "en-US")
    for tag, val in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        el = settings.find(qn(tag))
        if el is not None:
            el.set(qn("w:val"), val)


def _font_style(style: BaseStyle, size: float | None = None, bold: bool | None = None,
                italic: bool | None = None) -> None:
    _set_fonts(style.element.get_or_add_rPr())
    font = style.font  # type: ignore[attr-defined]  # every style type used here has .font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _para_style(
    doc: DocxDocument,
    name: str,
    style_id: str,
    *,
    base: str = "Normal",
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    first_indent: float | None = None,
    before: float | None = None,
    after: float | None = None,
    line: float | None = None,
    keep_next: bool | None = None,
    outline: int | None = None,
) -> ParagraphStyle:
    """Create (or update) a paragraph style; sizes in pt, indent in mm, ``line`` = multiple."""
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    if name != "Normal":
        style.base_style = styles[base]
    _font_style(style, size, bold, italic)
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_indent is not None:
        pf.first_line_indent = Mm(first_indent)
        pf.left_indent = Mm(0)
        pf.right_indent = Mm(0)
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if outline is not None:
        lvl = _set_child(style.element.get_or_add_pPr(), "w:outlineLvl", _PPR_ORDER)
        lvl.set(qn("w:val"), str(outline))
    return style


_CENTER = WD_ALIGN_PARAGRAPH.CENTER
_LEFT = WD_ALIGN_PARAGRAPH.LEFT
_JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# Style names (Vietnamese, shown in Word) → the constants below are used by the builders.
S_BODY = "Normal"  # "ND30 Nội dung" is Normal itself: what staff get when they type new text
S_PARENT = "ND30 Cơ quan chủ quản"
S_AGENCY = "ND30 Cơ quan ban hành"
S_NUMBER = "ND30 Số ký hiệu"
S_NATION = "ND30 Quốc hiệu"
S_MOTTO = "ND30 Tiêu ngữ"
S_PLACE_DATE = "ND30 Địa danh ngày tháng"
S_RULE = "ND30 Đường kẻ"
S_KIND = "ND30 Tên loại"
S_SUBJECT = "ND30 Trích yếu"
S_ADDRESSEE = "ND30 Kính gửi"
S_MUC = "ND30 Mục"
S_KHOAN = "ND30 Khoản"
S_RECIPIENTS_HEAD = "ND30 Nơi nhận"
S_RECIPIENTS = "ND30 Danh sách nơi nhận"
S_AUTHORITY = "ND30 Quyền hạn chức vụ"
S_SIGNER = "ND30 Họ tên người ký"
S_APPENDIX = "ND30 Phụ lục"
S_APPENDIX_TITLE = "ND30 Tên phụ lục"
S_APPENDIX_GUIDE = "ND30 Hướng dẫn phụ lục"
S_TABLE = "ND30 Bảng"
S_TABLE_HEAD = "ND30 Bảng tiêu đề"
S_TABLE_CENTER = "ND30 Bảng giữa"
S_FIGURE = "ND30 Hình"
S_TAG = "ND30 Thẻ lệnh"
S_BREAK = "ND30 Ngắt phần"
S_HEADER = "Header"


def _setup_styles(doc: DocxDocument) -> None:
    """Define every style the templates use (all with TNR on the four font slots)."""
    _setup_doc_defaults(doc)
    # Body: 14 pt, justified, first line 1 cm, 6 pt before (= 6 pt between paragraphs, as in
    # the decree's own Phụ lục III file), line spacing multiple 1.15 (ND30: single … 1.5).
    body = _para_style(doc, S_BODY, "Normal", size=14, align=_JUSTIFY, first_indent=10,
                       before=6, after=0, line=1.15)
    body.paragraph_format.widow_control = True

    def plain(name: str, sid: str, size: float, *, bold: bool, italic: bool,
              align: WD_ALIGN_PARAGRAPH = _CENTER, before: float = 0, after: float = 0,
              keep_next: bool | None = None) -> None:
        """A single-spaced, unindented style (header block, titles, signature, tables)."""
        _para_style(doc, name, sid, size=size, bold=bold, italic=italic, align=align, first_indent=0,
                    before=before, after=after, line=1.0, keep_next=keep_next)

    plain(S_PARENT, "ND30CoQuanChuQuan", 12, bold=False, italic=False)
    plain(S_AGENCY, "ND30CoQuanBanHanh", 12, bold=True, italic=False)
    plain(S_NUMBER, "ND30SoKyHieu", 13, bold=False, italic=False, before=6)
    plain(S_NATION, "ND30QuocHieu", 12, bold=True, italic=False)
    plain(S_MOTTO, "ND30TieuNgu", 13, bold=True, italic=False)
    plain(S_PLACE_DATE, "ND30DiaDanh", 13, bold=False, italic=True, before=6)
    plain(S_KIND, "ND30TenLoai", 14, bold=True, italic=False, before=18, keep_next=True)
    plain(S_SUBJECT, "ND30TrichYeu", 14, bold=True, italic=False, keep_next=True)
    plain(S_ADDRESSEE, "ND30KinhGui", 14, bold=False, italic=False, before=6, after=6)
    plain(S_RECIPIENTS_HEAD, "ND30NoiNhan", 12, bold=True, italic=True, align=_LEFT)
    rec = _para_style(doc, S_RECIPIENTS, "ND30DanhSachNoiNhan", size=11, bold=False, italic=False,
                      align=_LEFT, first_indent=0, before=0, after=0, line=1.0)
    # A wrapped recipient continues under the text, not under the dash.
    rec.paragraph_format.left_indent = Mm(2.5)
    rec.paragraph_format.first_line_indent = Mm(-2.5)
    plain(S_AUTHORITY, "ND30QuyenHanChucVu", 14, bold=True, italic=False, keep_next=True)
    # Blank space for the handwritten signature and seal: ~27 mm above the name.
    plain(S_SIGNER, "ND30HoTenNguoiKy", 14, bold=True, italic=False, before=76)
    plain(S_APPENDIX, "ND30PhuLuc", 14, bold=True, italic=False, keep_next=True)
    plain(S_APPENDIX_TITLE, "ND30TenPhuLuc", 14, bold=True, italic=False, keep_next=True)
    plain(S_APPENDIX_GUIDE, "ND30HuongDanPhuLuc", 14, bold=False, italic=True, after=6, keep_next=True)
    plain(S_TABLE, "ND30Bang", 12, bold=False, italic=False, align=_LEFT, before=2, after=2)
    _para_style(doc, S_TABLE_HEAD, "ND30BangTieuDe", base=S_TABLE, bold=True, align=_CENTER)
    _para_style(doc, S_TABLE_CENTER, "ND30BangGiua", base=S_TABLE, align=_CENTER)
    plain(S_FIGURE, "ND30Hinh", 14, bold=False, italic=False, before=6)

    # Mục ("I. MỤC ĐÍCH, YÊU CẦU") and khoản ("1. Mục đích"): bold, indented like the body text,
    # kept with the next paragraph; outline levels feed Word's navigation pane.
    _para_style(doc, S_MUC, "ND30Muc", base=S_BODY, bold=True, keep_next=True, outline=0)
    _para_style(doc, S_KHOAN, "ND30Khoan", base=S_BODY, bold=True, keep_next=True, outline=1)

    # Rules: an empty paragraph 2 pt high whose bottom border is the line.
    rule = _para_style(doc, S_RULE, "ND30DuongKe", size=2, first_indent=0, before=0, after=0,
                       align=_CENTER, bold=False, italic=False)
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rule.paragraph_format.line_spacing = Pt(2)
    pbdr = _set_child(rule.element.get_or_add_pPr(), "w:pBdr", _PPR_ORDER)
    pbdr.append(_border("w:bottom", sz=6, space=1))

    # Section-break carrier and docxtpl tag paragraphs: tiny / grey so they are obvious in Word
    # and never push the signature onto a page of its own.
    brk = _para_style(doc, S_BREAK, "ND30NgatPhan", size=1, first_indent=0, before=0, after=0,
                      align=_LEFT, bold=False, italic=False)
    brk.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    brk.paragraph_format.line_spacing = Pt(1)
    tag = _para_style(doc, S_TAG, "ND30TheLenh", size=9, first_indent=0, before=0, after=0,
                      line=1.0, align=_LEFT, bold=False, italic=False)
    tag.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    # Page-number header: 13 pt, centred, no indent.
    _para_style(doc, S_HEADER, "Header", size=13, align=_CENTER, first_indent=0, before=0,
                after=0, line=1.0, bold=False, italic=False)
    hdr = doc.styles[S_HEADER].element.get_or_add_pPr()
    tabs = hdr.find(qn("w:tabs"))
    if tabs is not None:
        hdr.remove(tabs)

    # Table styles used: "Normal Table" (header/signature) and "Table Grid" (appendix).
    for name in ("Normal Table", "Table Grid"):
        _font_style(doc.styles[name])
    # Character styles the default template links to styles we use.
    for name in ("Default Paragraph Font", "Header Char"):
        _font_style(doc.styles[name])


# ---------------------------------------------------------------------------------------------
# Paragraph and table helpers
# ---------------------------------------------------------------------------------------------

Run = str | tuple[str, str]  # "text" or ("text", "b" | "i" | "bi")


def _fill(p: Paragraph, runs: Iterable[Run]) -> Paragraph:
    for spec in runs:
        text, fmt = (spec, "") if isinstance(spec, str) else spec
        run = p.add_run(text)
        if "b" in fmt:
            run.bold = True
        if "i" in fmt:
            run.italic = True
    return p


class _Flow:
    """Appends paragraphs to the document body or to a table cell."""

    def __init__(self, container: DocxDocument | _Cell) -> None:
        self.container = container
        if isinstance(container, _Cell):
            for p in list(container._tc.p_lst):
                container._tc.remove(p)

    def p(self, style: str, *runs: Run) -> Paragraph:
        return _fill(self.container.add_paragraph(style=style), runs)

    def tag(self, text: str) -> Paragraph:
        """A ``{%p … %}`` paragraph: docxtpl replaces the whole paragraph by the tag."""
        return self.p(S_TAG, text)

    def loop(self, header: str, style: str, *runs: Run) -> Paragraph:
        """``{%p for header %}`` / one paragraph / ``{%p endfor %}``."""
        self.tag(f"{{%p for {header} %}}")
        par = self.p(style, *runs)
        self.tag("{%p endfor %}")
        return par

    def rule(self, length_mm: float, width_mm: float, after: float = 0) -> Paragraph:
        par = self.p(S_RULE)
        side = Mm(max(width_mm - length_mm, 0) / 2)
        par.paragraph_format.left_indent = side
        par.paragraph_format.right_indent = side
        if after:
            par.paragraph_format.space_after = Pt(after)
        return par


def _table(doc: DocxDocument, rows: int, widths: Sequence[float], *, indent: float = 0.0,
           borders: bool = False, style: str | None = None) -> Table:
    """A fixed-layout table: tblW, gridCol and every tcW set (Word ignores column widths alone)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    if style:
        table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblw = _set_child(tblpr, "w:tblW", _TBLPR_ORDER)
    tblw.set(qn("w:w"), str(sum(_twips(w) for w in widths)))
    tblw.set(qn("w:type"), "dxa")
    ind = _set_child(tblpr, "w:tblInd", _TBLPR_ORDER)
    ind.set(qn("w:w"), str(_twips(indent)))
    ind.set(qn("w:type"), "dxa")
    edges = _set_child(tblpr, "w:tblBorders", _TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edges.append(_border(f"w:{edge}", "single" if borders else "nil", sz=4, space=0))
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return table


def _fix_merged_widths(table: Table, widths: Sequence[float]) -> None:
    """After merges, give each ``w:tc`` the sum of the grid columns it spans."""
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths[col : col + span]))
            col += span


def _row_props(row_el: CT_Row, *, cant_split: bool = True, header: bool = False) -> None:
    trpr = row_el.get_or_add_trPr()
    if cant_split and trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))
    if header and trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def _add_page_field(p: Paragraph) -> None:
    """A PAGE field (begin / instr / separate / placeholder / end): python-docx has no field API."""

    def run_with(el: BaseOxmlElement) -> None:
        p.add_run()._r.append(el)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    p.add_run("2")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


# ---------------------------------------------------------------------------------------------
# Document parts shared by both templates
# ---------------------------------------------------------------------------------------------


def _new_document(title: str) -> DocxDocument:
    doc = Document()
    _setup_styles(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
    section.top_margin, section.bottom_margin = Mm(MARGIN_TOP), Mm(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(MARGIN_LEFT), Mm(MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Mm(HEADER_DISTANCE)
    section.gutter = Mm(0)
    # Page numbers in the top margin, centred, not on page 1.
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    first = section.first_page_header.paragraphs[0]
    first.style = doc.styles[S_HEADER]
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    hp.style = doc.styles[S_HEADER]
    _add_page_field(hp)
    # docxtpl renders these core properties too: the PDF/Word metadata names the agency.
    props = doc.core_properties
    props.title = title + ": {{ doc.subject_lines | join(' ') }}"
    props.author = "{{ agency.name }}"
    props.language = "vi-VN"
    props.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP, sinh bởi xl_addin.documents.word_templates"
    return doc


def _header_block(doc: DocxDocument) -> None:
    """Two borderless rows: agency | Quốc hiệu + Tiêu ngữ, then Số | địa danh, ngày tháng."""
    table = _table(doc, 2, HEADER_COLS, indent=HEADER_INDENT)
    left_w, right_w = (w - 2 * CELL_PAD for w in HEADER_COLS)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells

    left = _Flow(top_left)
    left.p(S_PARENT, "{{ agency.parent_agency }}")
    left.loop("line in agency.issuing_agency_lines", S_AGENCY, "{{ line }}")
    left.rule(RULE_AGENCY, left_w)

    right = _Flow(top_right)
    right.p(S_NATION, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    right.p(S_MOTTO, "Độc lập - Tự do - Hạnh phúc")
    right.rule(RULE_MOTTO, right_w)

    _Flow(bottom_left).p(S_NUMBER, "{{ doc.number_line }}")
    _Flow(bottom_right).p(S_PLACE_DATE, "{{ doc.place_date }}")
    for cell in (top_left, top_right, bottom_left, bottom_right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for row in table.rows:
        _row_props(row._tr)


def _title_block(doc: DocxDocument, *, addressee: bool) -> None:
    body = _Flow(doc)
    body.p(S_KIND, "{{ doc.kind_title }}")
    body.loop("line in doc.subject_lines", S_SUBJECT, "{{ line }}")
    rule = body.rule(RULE_SUBJECT, TEXT_W, after=0 if addressee else 6)
    rule.paragraph_format.space_before = Pt(3)  # clear the descenders of the last subject line
    if addressee:
        body.p(S_ADDRESSEE, "Kính gửi: {{ addressee }}.")


def _signature_block(doc: DocxDocument) -> None:
    """Nơi nhận (left, 12 pt bold italic + 11 pt list) | authority and signer (right)."""
    table = _table(doc, 1, SIGN_COLS, indent=SIGN_INDENT)
    left_cell, right_cell = table.rows[0].cells
    left = _Flow(left_cell)
    left.p(S_RECIPIENTS_HEAD, "Nơi nhận:")
    left.loop("r in recipients", S_RECIPIENTS, "{{ r }}")
    right = _Flow(right_cell)
    right.loop("line in signer.authority_lines", S_AUTHORITY, "{{ line }}")
    right.p(S_SIGNER, "{{ signer.name }}")
    for cell in (left_cell, right_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    _row_props(table.rows[0]._tr)
    # 6 pt above both cells (cell margin, not paragraph spacing) keeps "Nơi nhận:" level with
    # the authority line without spacing the authority lines apart.
    mar = _set_child(table._tbl.tblPr, "w:tblCellMar", _TBLPR_ORDER)
    for edge, width in (("top", 120), ("left", 108), ("bottom", 0), ("right", 108)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        mar.append(el)


def _end_section_paragraph(doc: DocxDocument) -> Paragraph:
    """Word needs a paragraph after a final table; make it 1 pt so it never adds a page."""
    return _Flow(doc).p(S_BREAK)


def _save(doc: DocxDocument, out: Path) -> Path:
    with atomic_write(out) as tmp:
        doc.save(tmp)
    return out


# ---------------------------------------------------------------------------------------------
# Kế hoạch
# ---------------------------------------------------------------------------------------------


def build_ke_hoach(out: Path) -> Path:
    """Write the default Kế hoạch template (context keys: ``render`` module docstring)."""
    doc = _new_document("Kế hoạch")
    _header_block(doc)
    _title_block(doc, addressee=False)
    b = _Flow(doc)
    b.p(S_BODY, "{{ basis }}")
    b.p(S_BODY, "{{ context_paragraph }}")

    b.p(S_MUC, "I. MỤC ĐÍCH, YÊU CẦU")
    b.p(S_KHOAN, "1. Mục đích")
    b.loop("item in purpose_items", S_BODY, "{{ item }}")
    b.p(S_KHOAN, "2. Yêu cầu")
    b.p(S_BODY, "{{ requirement }}")

    b.p(S_MUC, "II. {{ section2_title }}")
    b.tag("{%p for ind in indicators %}")
    b.p(S_KHOAN, "{{ ind.number }}. {{ ind.title }}")
    b.p(S_BODY, "- ", ("Về điểm số:", "i"), " {{ ind.score_sentence }}")
    b.p(S_BODY, "- ", ("{{ ind.rank_label }}", "i"), " {{ ind.rank_sentence }}")
    b.p(S_BODY, "- ", ("Đánh giá chung:", "i"), " {{ ind.assessment }}")
    b.tag("{%p endfor %}")

    b.p(S_MUC, "III. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN")
    b.p(S_BODY, "{{ section3_intro }}")
    b.tag("{%p for group in groups %}")
    b.p(S_KHOAN, "{{ group.heading }}")
    b.tag("{%p for item in group['items'] %}")
    b.p(S_KHOAN, "{{ item.number }}. {{ item.title }}")
    b.p(S_BODY, "a) ", ("Lãnh đạo chủ trì: {{ item.leader }}", "i"), "{{ item.leader_rest }}")
    b.p(S_BODY, "b) ", ("{{ item.weakness_label }}", "i"), " {{ item.weaknesses }}")
    b.p(S_BODY, "c) ", ("Giải pháp thực hiện:", "i"))
    b.loop("task in item.tasks", S_BODY, "- {{ task.text }}{% if task.assignment %} (",
           ("{{ task.assignment }}", "i"), "){% endif %}.")
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")

    b.p(S_MUC, "IV. TỔ CHỨC THỰC HIỆN")
    b.loop("para in organisation", S_BODY, "{{ para.before }}", ("{{ para.bold }}", "b"),
           "{{ para.after }}")
    closing = b.p(S_BODY, "{{ closing }}")
    closing.paragraph_format.keep_with_next = True
    _signature_block(doc)
    _end_section_paragraph(doc)
    return _save(doc, out)


# ---------------------------------------------------------------------------------------------
# Báo cáo
# ---------------------------------------------------------------------------------------------


def _cells_text(row_cells: Sequence[_Cell], texts: Sequence[str], styles: Sequence[str]) -> None:
    for cell, text, style in zip(row_cells, texts, styles, strict=True):
        _Flow(cell).p(style, text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _loop_rows(
    table: Table, header: str, cells: Sequence[str], styles: Sequence[str], *, cant_split: bool = True
) -> None:
    """Three rows: ``{%tr for header %}``, the data row, ``{%tr endfor %}``.

    ``cant_split=False`` lets a data row continue on the next page: a row taller than a page
    that may not split is cut off at the page's foot (the rest of its text is not printed).
    """
    n = len(cells)
    for_row, data_row, end_row = table.add_row(), table.add_row(), table.add_row()
    _cells_text(for_row.cells, [f"{{%tr for {header} %}}"] + [""] * (n - 1), [S_TAG] * n)
    _cells_text(data_row.cells, cells, styles)
    _cells_text(end_row.cells, ["{%tr endfor %}"] + [""] * (n - 1), [S_TAG] * n)
    _row_props(data_row._tr, cant_split=cant_split)


def _progress_table(doc: DocxDocument) -> None:
    table = _table(doc, 1, PROGRESS_COLS, borders=True, style="Table Grid")
    heads = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)",
             "Kết quả thực hiện"]
    _cells_text(table.rows[0].cells, heads, [S_TABLE_HEAD] * 6)
    _row_props(table.rows[0]._tr, header=True)
    _loop_rows(
        table, "row in appendix.progress_rows",
        ["{{ row.stt }}", "{{ row.task }}", "{{ row.lead }}", "{{ row.status }}",
         "{{ row.percent }}", "{{ row.result }}"],
        [S_TABLE_CENTER, S_TABLE, S_TABLE, S_TABLE_CENTER, S_TABLE_CENTER, S_TABLE],
        cant_split=False,  # a task's results from every unit can run longer than a page
    )
    _fix_merged_widths(table, PROGRESS_COLS)


def _change_table(doc: DocxDocument) -> None:
    table = _table(doc, 2, CHANGE_COLS, borders=True, style="Table Grid")
    top, sub = table.rows[0].cells, table.rows[1].cells
    subs = ["", "", "Năm {{ appendix.base_year }}", "Năm {{ appendix.year }}", "Tăng (+), giảm (-)",
            "Năm {{ appendix.base_year }}", "Năm {{ appendix.year }}", "Tăng (+), giảm (-) bậc", ""]
    _cells_text(sub, subs, [S_TABLE_HEAD] * 9)
    merged = [top[0].merge(sub[0]), top[1].merge(sub[1]), top[2].merge(top[4]),
              top[5].merge(top[7]), top[8].merge(sub[8])]
    for cell, text in zip(merged, ["STT", "Chỉ số thành phần", "Điểm số", "Thứ hạng", "Nhóm"],
                          strict=True):
        _Flow(cell).p(S_TABLE_HEAD, text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows[:2]:
        _row_props(row._tr, header=True)
    _loop_rows(
        table, "row in appendix.change_rows",
        ["{{ row.stt }}", "{{ row.name }}", "{{ row.score_base }}", "{{ row.score }}",
         "{{ row.score_delta }}", "{{ row.rank_base }}", "{{ row.rank }}", "{{ row.rank_delta }}",
         "{{ row.group }}"],
        [S_TABLE_CENTER, S_TABLE] + [S_TABLE_CENTER] * 7,
    )
    _fix_merged_widths(table, CHANGE_COLS)


def build_bao_cao(out: Path) -> Path:
    """Write the default Báo cáo template: body + landscape appendix section numbered from 1."""
    doc = _new_document("Báo cáo kết quả thực hiện")
    _header_block(doc)
    _title_block(doc, addressee=True)
    b = _Flow(doc)
    b.p(S_BODY, "{{ basis }}")
    b.p(S_MUC, "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    b.loop("para in leadership", S_BODY, "{{ para }}")
    b.p(S_MUC, "II. KẾT QUẢ THỰC HIỆN TRONG {{ period_name | upper }}")
    b.p(S_BODY, "{{ results_intro }}")
    b.tag("{%p for res in results %}")
    b.p(S_KHOAN, "{{ res.number }}. {{ res.title }}")
    b.p(S_BODY, "{{ res.counts_sentence }}")
    b.loop("line in res['items']", S_BODY, "{{ line }}")
    b.tag("{%p endfor %}")
    b.p(S_MUC, "III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN")
    b.loop("para in difficulties", S_BODY, "{{ para }}")
    b.p(S_MUC, "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    b.loop("para in next_tasks", S_BODY, "{{ para }}")
    b.p(S_MUC, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    b.loop("para in proposals", S_BODY, "{{ para }}")
    closing = b.p(S_BODY, "{{ closing }}")
    closing.paragraph_format.keep_with_next = True
    _signature_block(doc)

    # Appendix: new section, A4 landscape, page numbers restart at 1.
    doc.add_section(WD_SECTION.NEW_PAGE)
    carrier = doc.paragraphs[-1]  # python-docx put section 1's sectPr in this new empty paragraph
    carrier.style = doc.styles[S_BREAK]
    sect = doc.sections[-1]
    sect.orientation = WD_ORIENT.LANDSCAPE
    sect.page_width, sect.page_height = Mm(PAGE_H), Mm(PAGE_W)
    sect.different_first_page_header_footer = True
    pg = _set_child(sect._sectPr, "w:pgNumType", _SECTPR_ORDER)
    pg.set(qn("w:start"), "1")

    a = _Flow(doc)
    a.p(S_APPENDIX, "Phụ lục")
    a.p(S_APPENDIX_TITLE, "{{ appendix.progress_title }}")
    a.p(S_APPENDIX_GUIDE, "{{ appendix.number_line }}")
    _progress_table(doc)
    a.p(S_APPENDIX_TITLE, "{{ appendix.change_title }}").paragraph_format.space_before = Pt(12)
    a.p(S_APPENDIX_GUIDE, "")
    _change_table(doc)
    a.tag("{%p if appendix.chart %}")
    a.p(S_APPENDIX_TITLE, "{{ appendix.chart_title }}").paragraph_format.space_before = Pt(12)
    a.p(S_FIGURE, "{{ appendix.chart }}")
    a.tag("{%p endif %}")
    _end_section_paragraph(doc)
    return _save(doc, out)


def build_templates(out_dir: Path) -> list[Path]:
    """Build ``ke_hoach.docx`` and ``bao_cao.docx`` into ``out_dir`` (atomically) and return them."""
    out_dir = Path(out_dir)
    return [build_ke_hoach(out_dir / KE_HOACH), build_bao_cao(out_dir / BAO_CAO)]


if __name__ == "__main__":  # pragma: no cover - developer convenience
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "templates"
    for path in build_templates(target):
        print(path)

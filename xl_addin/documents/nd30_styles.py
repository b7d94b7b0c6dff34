"""The Nghị định 30/2020/NĐ-CP layout as Word styles: page, fonts, paragraph styles, raw XML helpers.

Every style used, and ``docDefaults``, names Times New Roman on all four ``w:rFonts``
slots (ascii, hAnsi, eastAsia, cs) and drops the theme-font attributes: python-docx's
default template maps text to Calibri / MS Mincho through the theme otherwise. The
layout lives in named paragraph styles ("ND30 Nội dung" = Normal, "ND30 Mục", …) so a
clerk restyles a template in Word by editing a style once.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle

FONT = "Times New Roman"
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Page geometry (mm): A4 portrait, ND30 margins; the appendix section is A4 landscape.
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
HEADER_DISTANCE = 12.0
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 165 mm
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

# ---------------------------------------------------------------------------------------------
# XML helpers (python-docx has no API for borders, fields, tblInd, pgNumType)
# ---------------------------------------------------------------------------------------------

_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
TBLPR_ORDER = (
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
)
SECTPR_ORDER = (
    "w:headerReference",
    "w:footerReference",
    "w:footnotePr",
    "w:endnotePr",
    "w:type",
    "w:pgSz",
    "w:pgMar",
    "w:paperSrc",
    "w:pgBorders",
    "w:lnNumType",
    "w:pgNumType",
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def set_child(parent: BaseOxmlElement, tag: str, order: Sequence[str]) -> BaseOxmlElement:
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


def border(tag: str, val: str = "single", sz: int = 6, space: int = 1) -> BaseOxmlElement:
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


def _font_style(
    style: BaseStyle, size: float | None = None, bold: bool | None = None, italic: bool | None = None
) -> None:
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
        lvl = set_child(style.element.get_or_add_pPr(), "w:outlineLvl", _PPR_ORDER)
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
S_TABLE_LIST = "ND30 Bảng gạch đầu dòng"
S_FIGURE = "ND30 Hình"
S_TAG = "ND30 Thẻ lệnh"
S_BREAK = "ND30 Ngắt phần"
S_HEADER = "Header"


def setup_styles(doc: DocxDocument) -> None:
    """Define every style the templates use (all with TNR on the four font slots)."""
    _setup_doc_defaults(doc)
    # Body: 14 pt, justified, first line 1 cm, 6 pt before (= 6 pt between paragraphs, as in
    # the decree's own Phụ lục III file), line spacing multiple 1.1 (ND30: single … 1.5): with
    # 1.15 the demo Báo cáo's signature block fell onto a seventh page of its own.
    body = _para_style(doc, S_BODY, "Normal", size=14, align=_JUSTIFY, first_indent=10, before=6, after=0, line=1.1)
    body.paragraph_format.widow_control = True

    def plain(
        name: str,
        sid: str,
        size: float,
        *,
        bold: bool,
        italic: bool,
        align: WD_ALIGN_PARAGRAPH = _CENTER,
        before: float = 0,
        after: float = 0,
        keep_next: bool | None = None,
    ) -> None:
        """A single-spaced, unindented style (header block, titles, signature, tables)."""
        _para_style(
            doc,
            name,
            sid,
            size=size,
            bold=bold,
            italic=italic,
            align=align,
            first_indent=0,
            before=before,
            after=after,
            line=1.0,
            keep_next=keep_next,
        )

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
    rec = _para_style(
        doc,
        S_RECIPIENTS,
        "ND30DanhSachNoiNhan",
        size=11,
        bold=False,
        italic=False,
        align=_LEFT,
        first_indent=0,
        before=0,
        after=0,
        line=1.0,
    )
    # A wrapped recipient continues under the text, not under the dash.
    rec.paragraph_format.left_indent = Mm(2.5)
    rec.paragraph_format.first_line_indent = Mm(-2.5)
    plain(S_AUTHORITY, "ND30QuyenHanChucVu", 14, bold=True, italic=False, keep_next=True)
    # Blank space for the handwritten signature and seal: ~27 mm above the name.
    plain(S_SIGNER, "ND30HoTenNguoiKy", 14, bold=True, italic=False, before=76)
    plain(S_APPENDIX, "ND30PhuLuc", 14, bold=True, italic=False, keep_next=True)
    plain(S_APPENDIX_TITLE, "ND30TenPhuLuc", 14, bold=True, italic=False, keep_next=True)
    plain(S_APPENDIX_GUIDE, "ND30HuongDanPhuLuc", 14, bold=False, italic=True, after=6, keep_next=True)
    # Tables 11 pt (ND30 has no table size; 11 pt is the smallest it uses, for Nơi nhận), 1 pt
    # around each paragraph: a cell holds one paragraph per unit's result.
    plain(S_TABLE, "ND30Bang", 11, bold=False, italic=False, align=_LEFT, before=1, after=1)
    _para_style(doc, S_TABLE_HEAD, "ND30BangTieuDe", base=S_TABLE, bold=True, align=_CENTER)
    _para_style(doc, S_TABLE_CENTER, "ND30BangGiua", base=S_TABLE, align=_CENTER)
    # "- result (Unit)" lines: a wrapped line continues under the text, not under the dash.
    listed = _para_style(doc, S_TABLE_LIST, "ND30BangGachDauDong", base=S_TABLE)
    listed.paragraph_format.left_indent = Mm(2.5)
    listed.paragraph_format.first_line_indent = Mm(-2.5)
    plain(S_FIGURE, "ND30Hinh", 14, bold=False, italic=False, before=6)

    # Mục ("I. MỤC ĐÍCH, YÊU CẦU") and khoản ("1. Mục đích"): bold, indented like the body text,
    # kept with the next paragraph; outline levels feed Word's navigation pane.
    _para_style(doc, S_MUC, "ND30Muc", base=S_BODY, bold=True, keep_next=True, outline=0)
    _para_style(doc, S_KHOAN, "ND30Khoan", base=S_BODY, bold=True, keep_next=True, outline=1)

    # Rules: an empty paragraph 2 pt high whose bottom border is the line.
    rule = _para_style(
        doc, S_RULE, "ND30DuongKe", size=2, first_indent=0, before=0, after=0, align=_CENTER, bold=False, italic=False
    )
    rule.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rule.paragraph_format.line_spacing = Pt(2)
    pbdr = set_child(rule.element.get_or_add_pPr(), "w:pBdr", _PPR_ORDER)
    pbdr.append(border("w:bottom", sz=6, space=1))

    # Section-break carrier and docxtpl tag paragraphs: tiny / grey so they are obvious in Word
    # and never push the signature onto a page of its own.
    brk = _para_style(
        doc, S_BREAK, "ND30NgatPhan", size=1, first_indent=0, before=0, after=0, align=_LEFT, bold=False, italic=False
    )
    brk.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    brk.paragraph_format.line_spacing = Pt(1)
    tag = _para_style(
        doc,
        S_TAG,
        "ND30TheLenh",
        size=9,
        first_indent=0,
        before=0,
        after=0,
        line=1.0,
        align=_LEFT,
        bold=False,
        italic=False,
    )
    tag.font.color.rgb = RGBColor(0x80, 0x80, 0x80)

    # Page-number header: 13 pt, centred, no indent.
    _para_style(
        doc,
        S_HEADER,
        "Header",
        size=13,
        align=_CENTER,
        first_indent=0,
        before=0,
        after=0,
        line=1.0,
        bold=False,
        italic=False,
    )
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

"""Building blocks of both templates: paragraph flows, fixed-width tables, page fields, the ND30 header and signature.

The header (Quốc hiệu, Tiêu ngữ, agency, number, place and date) and the signature
block (Nơi nhận, authority, signer) are two borderless fixed-width tables, with the
column widths of Mẫu 1.4 of Phụ lục III; short rules are empty paragraphs with a
bottom border, exact and editable in Word and drawn alike by LibreOffice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from xl_addin.documents.nd30_styles import (
    CELL_PAD,
    HEADER_COLS,
    HEADER_DISTANCE,
    HEADER_INDENT,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    PAGE_H,
    PAGE_W,
    RULE_AGENCY,
    RULE_MOTTO,
    RULE_SUBJECT,
    S_ADDRESSEE,
    S_AGENCY,
    S_AUTHORITY,
    S_BREAK,
    S_HEADER,
    S_KIND,
    S_MOTTO,
    S_NATION,
    S_NUMBER,
    S_PARENT,
    S_PLACE_DATE,
    S_RECIPIENTS,
    S_RECIPIENTS_HEAD,
    S_RULE,
    S_SIGNER,
    S_SUBJECT,
    S_TAG,
    SIGN_COLS,
    SIGN_INDENT,
    TBLPR_ORDER,
    TEXT_W,
    border,
    set_child,
    setup_styles,
    twips,
)
from xl_addin.files.atomic import atomic_write

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


class Flow:
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


def fixed_table(
    doc: DocxDocument,
    rows: int,
    widths: Sequence[float],
    *,
    indent: float = 0.0,
    borders: bool = False,
    style: str | None = None,
) -> Table:
    """A fixed-layout table: tblW, gridCol and every tcW set (Word ignores column widths alone)."""
    table = doc.add_table(rows=rows, cols=len(widths))
    if style:
        table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    tblpr = table._tbl.tblPr
    tblw = set_child(tblpr, "w:tblW", TBLPR_ORDER)
    tblw.set(qn("w:w"), str(sum(twips(w) for w in widths)))
    tblw.set(qn("w:type"), "dxa")
    ind = set_child(tblpr, "w:tblInd", TBLPR_ORDER)
    ind.set(qn("w:w"), str(twips(indent)))
    ind.set(qn("w:type"), "dxa")
    edges = set_child(tblpr, "w:tblBorders", TBLPR_ORDER)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edges.append(border(f"w:{edge}", "single" if borders else "nil", sz=4, space=0))
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    return table


def fix_merged_widths(table: Table, widths: Sequence[float]) -> None:
    """After merges, give each ``w:tc`` the sum of the grid columns it spans."""
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.width = Mm(sum(widths[col : col + span]))
            col += span


def row_props(row_el: CT_Row, *, cant_split: bool = True, header: bool = False) -> None:
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


def new_document(title: str) -> DocxDocument:
    """A blank A4 document with the ND30 styles and page numbers; ``title`` is the file's Title property."""
    doc = Document()
    setup_styles(doc)
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
    props.title = title
    props.author = "{{ agency.name }}"
    props.language = "vi-VN"
    props.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP, sinh bởi xl_addin.documents.word_templates"
    return doc


def header_block(doc: DocxDocument) -> None:
    """Two borderless rows: agency | Quốc hiệu + Tiêu ngữ, then Số | địa danh, ngày tháng."""
    table = fixed_table(doc, 2, HEADER_COLS, indent=HEADER_INDENT)
    left_w, right_w = (w - 2 * CELL_PAD for w in HEADER_COLS)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells

    left = Flow(top_left)
    left.p(S_PARENT, "{{ agency.parent_agency }}")
    left.loop("line in agency.issuing_agency_lines", S_AGENCY, "{{ line }}")
    left.rule(RULE_AGENCY, left_w)

    right = Flow(top_right)
    right.p(S_NATION, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    right.p(S_MOTTO, "Độc lập - Tự do - Hạnh phúc")
    right.rule(RULE_MOTTO, right_w)

    Flow(bottom_left).p(S_NUMBER, "{{ doc.number_line }}")
    Flow(bottom_right).p(S_PLACE_DATE, "{{ doc.place_date }}")
    for cell in (top_left, top_right, bottom_left, bottom_right):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for row in table.rows:
        row_props(row._tr)


def title_block(doc: DocxDocument, kind: str, subject: Sequence[str], *, addressee: str | None = None) -> None:
    """Tên loại, the trích yếu lines (template text, broken where the office wants) and Kính gửi."""
    body = Flow(doc)
    body.p(S_KIND, kind)
    for line in subject:
        body.p(S_SUBJECT, line)
    rule = body.rule(RULE_SUBJECT, TEXT_W, after=0 if addressee else 6)
    rule.paragraph_format.space_before = Pt(3)  # clear the descenders of the last subject line
    if addressee:
        body.p(S_ADDRESSEE, f"Kính gửi: {addressee}.")


def signature_block(doc: DocxDocument) -> None:
    """Nơi nhận (left, 12 pt bold italic + 11 pt list) | authority and signer (right)."""
    table = fixed_table(doc, 1, SIGN_COLS, indent=SIGN_INDENT)
    left_cell, right_cell = table.rows[0].cells
    left = Flow(left_cell)
    left.p(S_RECIPIENTS_HEAD, "Nơi nhận:")
    left.loop("r in recipients", S_RECIPIENTS, "{{ r }}")
    right = Flow(right_cell)
    right.loop("line in signer.authority_lines", S_AUTHORITY, "{{ line }}")
    right.p(S_SIGNER, "{{ signer.name }}")
    for cell in (left_cell, right_cell):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    row_props(table.rows[0]._tr)
    # 6 pt above both cells (cell margin, not paragraph spacing) keeps "Nơi nhận:" level with
    # the authority line without spacing the authority lines apart.
    mar = set_child(table._tbl.tblPr, "w:tblCellMar", TBLPR_ORDER)
    for edge, width in (("top", 120), ("left", 108), ("bottom", 0), ("right", 108)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        mar.append(el)


def end_section_paragraph(doc: DocxDocument) -> Paragraph:
    """Word needs a paragraph after a final table; make it 1 pt so it never adds a page."""
    return Flow(doc).p(S_BREAK)


def save(doc: DocxDocument, out: Path) -> Path:
    with atomic_write(out) as tmp:
        doc.save(str(tmp))
    return out

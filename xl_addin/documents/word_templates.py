"""Build the two default Word templates (Kế hoạch, Báo cáo) in the Nghị định 30/2020/NĐ-CP layout.

Why the templates are generated instead of hand-made:

* The ND30 rules (A4, margins 20/20/30/15 mm, Times New Roman 13-14 pt, bold/italic per
  element, rule lengths, page numbers in the top margin but not on page 1) are easy to get
  subtly wrong in Word. Writing them down here, as code, keeps them reviewable and testable,
  and lets ``template_files.choose_template`` rebuild a default when the packaged file is missing.
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

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from xl_addin.documents.nd30_layout import (
    Flow,
    end_section_paragraph,
    fix_merged_widths,
    fixed_table,
    header_block,
    new_document,
    row_props,
    save,
    signature_block,
    title_block,
)
from xl_addin.documents.nd30_styles import (
    FONT,
    PAGE_H,
    PAGE_W,
    S_APPENDIX,
    S_APPENDIX_GUIDE,
    S_APPENDIX_TITLE,
    S_BODY,
    S_BREAK,
    S_FIGURE,
    S_KHOAN,
    S_MUC,
    S_TABLE,
    S_TABLE_CENTER,
    S_TABLE_HEAD,
    S_TAG,
    SECTPR_ORDER,
    set_child,
)

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

# Progress / change tables of the appendix (landscape, 252 mm).
PROGRESS_COLS = (12.0, 88.0, 45.0, 30.0, 20.0, 57.0)
CHANGE_COLS = (12.0, 74.0, 22.0, 22.0, 22.0, 22.0, 22.0, 22.0, 34.0)

# ---------------------------------------------------------------------------------------------
# Kế hoạch
# ---------------------------------------------------------------------------------------------


def build_ke_hoach(out: Path) -> Path:
    """Write the default Kế hoạch template (context keys: ``render`` module docstring)."""
    doc = new_document("Kế hoạch")
    header_block(doc)
    title_block(doc, addressee=False)
    b = Flow(doc)
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
    b.loop(
        "task in item.tasks",
        S_BODY,
        "- {{ task.text }}{% if task.assignment %} (",
        ("{{ task.assignment }}", "i"),
        "){% endif %}.",
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endfor %}")

    b.p(S_MUC, "IV. TỔ CHỨC THỰC HIỆN")
    b.loop("para in organisation", S_BODY, "{{ para.before }}", ("{{ para.bold }}", "b"), "{{ para.after }}")
    closing = b.p(S_BODY, "{{ closing }}")
    closing.paragraph_format.keep_with_next = True
    signature_block(doc)
    end_section_paragraph(doc)
    return save(doc, out)


# ---------------------------------------------------------------------------------------------
# Báo cáo
# ---------------------------------------------------------------------------------------------


def _cells_text(row_cells: Sequence[_Cell], texts: Sequence[str], styles: Sequence[str]) -> None:
    for cell, text, style in zip(row_cells, texts, styles, strict=True):
        Flow(cell).p(style, text)
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
    row_props(data_row._tr, cant_split=cant_split)


def _progress_table(doc: DocxDocument) -> None:
    table = fixed_table(doc, 1, PROGRESS_COLS, borders=True, style="Table Grid")
    heads = ["STT", "Nhiệm vụ", "Đơn vị chủ trì", "Tình trạng", "Tỷ lệ hoàn thành (%)", "Kết quả thực hiện"]
    _cells_text(table.rows[0].cells, heads, [S_TABLE_HEAD] * 6)
    row_props(table.rows[0]._tr, header=True)
    _loop_rows(
        table,
        "row in appendix.progress_rows",
        [
            "{{ row.stt }}",
            "{{ row.task }}",
            "{{ row.lead }}",
            "{{ row.status }}",
            "{{ row.percent }}",
            "{{ row.result }}",
        ],
        [S_TABLE_CENTER, S_TABLE, S_TABLE, S_TABLE_CENTER, S_TABLE_CENTER, S_TABLE],
        cant_split=False,  # a task's results from every unit can run longer than a page
    )
    fix_merged_widths(table, PROGRESS_COLS)


def _change_table(doc: DocxDocument) -> None:
    table = fixed_table(doc, 2, CHANGE_COLS, borders=True, style="Table Grid")
    top, sub = table.rows[0].cells, table.rows[1].cells
    subs = [
        "",
        "",
        "Năm {{ appendix.base_year }}",
        "Năm {{ appendix.year }}",
        "Tăng (+), giảm (-)",
        "Năm {{ appendix.base_year }}",
        "Năm {{ appendix.year }}",
        "Tăng (+), giảm (-) bậc",
        "",
    ]
    _cells_text(sub, subs, [S_TABLE_HEAD] * 9)
    merged = [
        top[0].merge(sub[0]),
        top[1].merge(sub[1]),
        top[2].merge(top[4]),
        top[5].merge(top[7]),
        top[8].merge(sub[8]),
    ]
    for cell, text in zip(merged, ["STT", "Chỉ số thành phần", "Điểm số", "Thứ hạng", "Nhóm"], strict=True):
        Flow(cell).p(S_TABLE_HEAD, text)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in table.rows[:2]:
        row_props(row._tr, header=True)
    _loop_rows(
        table,
        "row in appendix.change_rows",
        [
            "{{ row.stt }}",
            "{{ row.name }}",
            "{{ row.score_base }}",
            "{{ row.score }}",
            "{{ row.score_delta }}",
            "{{ row.rank_base }}",
            "{{ row.rank }}",
            "{{ row.rank_delta }}",
            "{{ row.group }}",
        ],
        [S_TABLE_CENTER, S_TABLE] + [S_TABLE_CENTER] * 7,
    )
    fix_merged_widths(table, CHANGE_COLS)


def build_bao_cao(out: Path) -> Path:
    """Write the default Báo cáo template: body + landscape appendix section numbered from 1."""
    doc = new_document("Báo cáo kết quả thực hiện")
    header_block(doc)
    title_block(doc, addressee=True)
    b = Flow(doc)
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
    signature_block(doc)

    # Appendix: new section, A4 landscape, page numbers restart at 1.
    doc.add_section(WD_SECTION.NEW_PAGE)
    carrier = doc.paragraphs[-1]  # python-docx put section 1's sectPr in this new empty paragraph
    carrier.style = doc.styles[S_BREAK]
    sect = doc.sections[-1]
    sect.orientation = WD_ORIENT.LANDSCAPE
    sect.page_width, sect.page_height = Mm(PAGE_H), Mm(PAGE_W)
    sect.different_first_page_header_footer = True
    pg = set_child(sect._sectPr, "w:pgNumType", SECTPR_ORDER)
    pg.set(qn("w:start"), "1")

    a = Flow(doc)
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
    end_section_paragraph(doc)
    return save(doc, out)


def build_templates(out_dir: Path) -> list[Path]:
    """Build ``ke_hoach.docx`` and ``bao_cao.docx`` into ``out_dir`` (atomically) and return them."""
    out_dir = Path(out_dir)
    return [build_ke_hoach(out_dir / KE_HOACH), build_bao_cao(out_dir / BAO_CAO)]


if __name__ == "__main__":  # pragma: no cover - developer convenience
    import sys

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "templates"
    for path in build_templates(target):
        print(path)

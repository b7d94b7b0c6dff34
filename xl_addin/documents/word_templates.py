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
* **The words are the template's.** Every fixed sentence of both documents is text here (and
  so in ``templates/*.docx``, where a clerk edits it in Word); ``{{ }}`` holds only data from
  ``documents.context`` (names, numbers, dates, the units' own results). Each mục ends with
  the office's own paragraphs of that mục (``{%p for para in extra.IV %}``, master table
  NoiDungBoSung); in the Kế hoạch, mục IV's sit inside khoản 2, where the seed has them.
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

from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from xl_addin.documents.appendix_tables import change_table, progress_table
from xl_addin.documents.nd30_layout import (
    Flow,
    end_section_paragraph,
    header_block,
    new_document,
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
TEMPLATE_VERSION = 3

# ---------------------------------------------------------------------------------------------
# Kế hoạch
# ---------------------------------------------------------------------------------------------


def _extra(b: Flow, section: str) -> None:
    """The office's own paragraphs of one mục (master table NoiDungBoSung), printed as typed."""
    b.loop(f"para in extra.{section}", S_BODY, "{{ para }}")


def build_ke_hoach(out: Path) -> Path:
    """Write the default Kế hoạch template (context keys: ``render`` module docstring)."""
    doc = new_document("Kế hoạch nâng cao chỉ số DDCI năm {{ plan.year }} - {{ agency.name }}")
    header_block(doc)
    title_block(
        doc,
        "KẾ HOẠCH",
        ["Về việc nâng cao chỉ số đánh giá năng lực cạnh tranh", "của {{ agency.name }} năm {{ plan.year }}"],
    )
    b = Flow(doc)
    b.p(S_BODY, "{{ plan.basis }}")
    b.p(
        S_BODY,
        "{{ plan.announced }}{% if plan.overall %} Trong đó, năm {{ ddci.year }} {{ agency.name }} được đánh giá "
        "{{ plan.overall }}.{% endif %} Để khắc phục các chỉ số thành phần đạt điểm thấp nhằm cải thiện vị trí xếp "
        "hạng trong năm {{ plan.year }}, {{ agency.name }} xây dựng kế hoạch thực hiện như sau:",
    )

    b.p(S_MUC, "I. MỤC ĐÍCH, YÊU CẦU")
    b.p(S_KHOAN, "1. Mục đích")
    b.p(
        S_BODY,
        "- Xác định các chỉ số thành phần cần tập trung cải thiện trong năm {{ plan.year }}. Xây dựng các giải pháp "
        "phải cụ thể, rõ việc, rõ người phụ trách, phòng, đơn vị thực hiện, thời gian triển khai khắc phục những "
        "hạn chế năm {{ ddci.year }}.",
    )
    b.p(
        S_BODY,
        "- Kế hoạch này được triển khai sâu rộng đến từng phòng, đơn vị thuộc {{ agency.short_name }} bằng những "
        "giải pháp cụ thể, đồng thời qua đánh giá kết quả thực hiện kế hoạch này là một trong các tiêu chí đánh giá "
        "cuối năm {{ plan.year }}. Tăng cường kiểm tra kỷ luật, kỷ cương hành chính, nâng cao chất lượng phục vụ "
        "người dân, doanh nghiệp, chất lượng các dịch vụ công do {{ agency.name }} cung cấp.",
    )
    b.p(S_KHOAN, "2. Yêu cầu")
    b.p(
        S_BODY,
        "Lãnh đạo {{ agency.short_name }}, Trưởng các phòng, đơn vị thuộc {{ agency.short_name }} nêu cao tinh thần "
        "trách nhiệm trong tổ chức thực hiện, đôn đốc, kiểm tra, giám sát, xử lý kịp thời các phát sinh trong quá "
        "trình thực hiện các chỉ số thành phần DDCI tại Kế hoạch này.",
    )
    _extra(b, "I")

    b.p(
        S_MUC,
        "II. ĐÁNH GIÁ VỀ {{ ddci.indicators }} CHỈ SỐ THÀNH PHẦN NĂM {{ ddci.year }} SO VỚI NĂM {{ ddci.base_year }} "
        "CỦA {{ agency.short_name | upper }}",
    )
    b.tag("{%p for ind in indicators %}")
    b.p(S_KHOAN, "{{ ind.number }}. Chỉ số “{{ ind.name }}”")
    b.p(S_BODY, "- ", ("Về điểm số:", "i"), " {{ ind.score_sentence }}.")
    b.p(S_BODY, "- ", ("Về thứ hạng so với {{ ind.rank_block }}:", "i"), " {{ ind.rank_sentence }}.")
    b.p(S_BODY, "- ", ("Đánh giá chung:", "i"), " {{ ind.assessment }}")
    b.tag("{%p endfor %}")
    _extra(b, "II")

    listing = (
        "{% for c in KEY['items'] %}({{ loop.index }}) chỉ số thứ {{ c.code }}: Chỉ số “{{ c.name }}”"
        "{% if not loop.last %}; {% endif %}{% endfor %}"
    )
    b.p(S_MUC, "III. NỘI DUNG VÀ GIẢI PHÁP THỰC HIỆN")
    b.p(
        S_BODY,
        "Trên cơ sở nội dung đánh giá của {{ ddci.indicators }} chỉ số thành phần tại Mục II Kế hoạch này, theo đó, "
        "{% if keep['items'] %}cần phải phát huy và phấn đấu thực hiện tốt hơn nữa {{ keep.count }} chỉ số thành "
        f"phần, gồm: {listing.replace('KEY', 'keep')}{{% endif %}}{{% if keep['items'] and fix['items'] %}}; đồng "
        "thời, {% endif %}{% if fix['items'] %}phấn đấu cải thiện {{ fix.count }} chỉ số thành phần còn thấp, gồm: "
        f"{listing.replace('KEY', 'fix')}{{% endif %}}, cụ thể như sau:",
    )
    b.tag("{%p for group in groups %}")
    b.p(
        S_KHOAN,
        "({{ group.number }}) {% if group.keep %}TIẾP TỤC PHÁT HUY VÀ THỰC HIỆN TỐT HƠN NỮA {{ group.count }} CHỈ SỐ "
        "TRONG NĂM {{ plan.year }}{% else %}PHẤN ĐẤU THỰC HIỆN KHẮC PHỤC {{ group.count }} CHỈ SỐ THẤP ĐIỂM ĐƯỢC ĐÁNH "
        "GIÁ NĂM {{ ddci.year }} ĐỂ CẢI THIỆN ĐIỂM SỐ TRONG NĂM {{ plan.year }}{% endif %}",
    )
    b.tag("{%p for item in group['items'] %}")
    b.p(S_KHOAN, "{{ item.number }}. Chỉ số thứ {{ item.code }}: Chỉ số “{{ item.name }}”")
    b.p(
        S_BODY,
        "a) ",
        ("Lãnh đạo chủ trì: {{ item.leader }}", "i"),
        "{% if item.leader_title %}, {{ item.leader_title }} trực tiếp chỉ đạo{% endif %}.",
    )
    b.p(
        S_BODY,
        "b) ",
        ("Những hạn chế chính liên quan đến chỉ số “{{ item.name }}” trong năm {{ ddci.year }} được chỉ ra:", "i"),
        " {{ item.weaknesses }}",
    )
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
    _extra(b, "III")

    b.p(S_MUC, "IV. TỔ CHỨC THỰC HIỆN")
    b.p(
        S_BODY,
        "1. Yêu cầu các đồng chí Lãnh đạo {{ agency.short_name }} được phân công phụ trách từng chỉ số tại Kế hoạch "
        "này chủ động lãnh đạo, chỉ đạo tổ chức thực hiện đảm bảo có hiệu quả.",
    )
    b.p(
        S_BODY,
        "2. Các phòng, đơn vị thuộc {{ agency.short_name }} căn cứ nội dung Kế hoạch này chủ động xây dựng kế hoạch "
        "chi tiết{% if plan.detail_deadline %} {% endif %}",
        ("{% if plan.detail_deadline %}xong trước ngày {{ plan.detail_deadline }}{% endif %}", "b"),
        ", trong đó: yêu cầu phân công công chức, viên chức triển khai ngay các nội dung công việc để cải thiện "
        "điểm các chỉ số thành phần theo đúng tiến độ được giao.",
    )
    b.p(
        S_BODY,
        "- Giao Trưởng các phòng, đơn vị thuộc {{ agency.short_name }} có trách nhiệm tổ chức quán triệt, triển khai "
        "thực hiện nghiêm túc, hiệu quả những nhiệm vụ nêu trong Kế hoạch đến toàn thể công chức, viên chức và người "
        "lao động; tập trung tổ chức thực hiện, đồng thời phối hợp chặt chẽ với các phòng, đơn vị liên quan hoàn "
        "thành các chỉ tiêu, nhiệm vụ được giao.",
    )
    _extra(b, "IV")  # the seed's own "- Giao …" paragraphs sit here, inside khoản 2
    b.p(S_BODY, "3. Giao {{ plan.focal_unit }}:")
    b.p(S_BODY, "- Thường xuyên đôn đốc, theo dõi, kiểm tra tiến độ triển khai, thực hiện Kế hoạch này;")
    b.p(
        S_BODY,
        "- Là đầu mối, theo dõi, tổng hợp, báo cáo tình hình thực hiện Kế hoạch định kỳ hoặc đột xuất theo yêu cầu "
        "gửi {{ agency.province_committee }}.",
    )
    closing = b.p(
        S_BODY,
        "Trong quá trình triển khai thực hiện, đề nghị các phòng, đơn vị thuộc {{ agency.short_name }} kịp thời phản "
        "ánh khó khăn, vướng mắc gửi ý kiến bằng văn bản về {{ plan.focal_unit }} để báo cáo Giám đốc "
        "{{ agency.short_name }} xem xét, sửa đổi cho phù hợp với thực tế./.",
    )
    closing.paragraph_format.keep_with_next = True
    signature_block(doc)
    end_section_paragraph(doc)
    return save(doc, out)


# ---------------------------------------------------------------------------------------------
# Báo cáo
# ---------------------------------------------------------------------------------------------


def _fallback(b: Flow, key: str, text: str, line: str = "- {{ x }}") -> None:
    """``line`` for each item ``x`` of ``key``, or ``text`` when the list is empty."""
    b.loop(f"x in {key}", S_BODY, line)
    b.tag(f"{{%p if not {key} %}}")
    b.p(S_BODY, text)
    b.tag("{%p endif %}")


def build_bao_cao(out: Path) -> Path:
    """Write the default Báo cáo template: body + landscape appendix section numbered from 1."""
    doc = new_document("Báo cáo kết quả thực hiện Kế hoạch nâng cao chỉ số DDCI {{ period.name }} - {{ agency.name }}")
    header_block(doc)
    title_block(
        doc,
        "BÁO CÁO",
        ["Kết quả thực hiện Kế hoạch nâng cao chỉ số đánh giá", "năng lực cạnh tranh (DDCI) {{ period.name }}"],
        addressee="{{ agency.province_committee }}",
    )
    b = Flow(doc)
    b.p(S_BODY, "{{ basis }}")
    b.p(S_MUC, "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO")
    b.p(
        S_BODY,
        "Lãnh đạo {{ agency.short_name }} đã phân công {{ counts.leaders }} đồng chí Lãnh đạo trực tiếp chỉ đạo "
        "{{ counts.indicators }} chỉ số thành phần; giao các phòng, đơn vị chủ trì, phối hợp thực hiện "
        "{{ counts.tasks }} nhiệm vụ, giải pháp; định kỳ kiểm điểm kết quả tại cuộc họp giao ban hằng tháng.",
    )
    b.tag("{%p if months %}")  # a quarter, 6 months, a year: who sent what, month by month
    b.p(
        S_BODY,
        "Văn phòng {{ agency.short_name }} đã gửi biểu mẫu, hướng dẫn và đôn đốc các phòng, đơn vị báo cáo kết quả "
        "thực hiện hằng tháng trong {{ period.name }}:",
    )
    b.loop(
        "m in months",
        S_BODY,
        "- {{ m.name }}: {% if m.has_data %}có {{ m.sent }}/{{ m.expected }} phòng, đơn vị gửi báo cáo"
        "{% if m.late %} (nộp muộn: {{ m.late }}){% endif %}{% if m.rejected %}; có lỗi, chưa tổng hợp được: "
        "{{ m.rejected }}{% endif %}{% if m.missing %}; chưa nộp: {{ m.missing }}{% endif %}"
        "{% else %}chưa có số liệu tổng hợp{% endif %}.",
    )
    b.tag("{%p else %}")
    b.p(
        S_BODY,
        "Văn phòng {{ agency.short_name }} đã gửi biểu mẫu, hướng dẫn và đôn đốc các phòng, đơn vị báo cáo kết quả "
        "thực hiện {{ period.name }}; có {{ sent.count }}/{{ sent.expected }} phòng, đơn vị gửi báo cáo"
        "{% if sent.late %} (nộp muộn: {{ sent.late }}){% endif %}{% if sent.missing %}; chưa nộp: "
        "{{ sent.missing }}{% endif %}.",
    )
    b.tag("{%p endif %}")
    _extra(b, "I")

    b.p(S_MUC, "II. KẾT QUẢ THỰC HIỆN TRONG {{ period.name | upper }}")
    b.p(
        S_BODY,
        "Trong {{ period.name }}, {{ agency.name }} triển khai {{ counts.tasks }} nhiệm vụ, giải pháp của Kế hoạch; "
        "trong đó {{ categories }}{% if as_of %} (theo báo cáo gần nhất của các phòng, đơn vị, đến {{ as_of }})"
        "{% endif %}.",
    )
    b.tag("{%p if annual %}")
    b.p(
        S_BODY,
        "Kết quả thực hiện Kế hoạch năm {{ period.year }}: hoàn thành {{ annual.done }}/{{ counts.tasks }} nhiệm vụ, "
        "giải pháp{% if annual.carried %}; {{ annual.carried }} nhiệm vụ chưa hoàn thành được chuyển tiếp thực hiện "
        "trong năm {{ annual.next_year }} (Mục IV){% endif %}.",
    )
    b.p(
        S_BODY,
        "Kết quả đánh giá chỉ số DDCI năm {{ period.year }}: {% if annual.indicators %}{% if annual.overall %}"
        "{{ agency.name }} được đánh giá {{ annual.overall }}; {% endif %}điểm số, thứ hạng các chỉ số thành phần "
        "như sau:{% else %}chưa được công bố (bảng Chỉ số của bảng tính chính chưa có cột “Điểm {{ period.year }}”)."
        "{% endif %}",
    )
    b.loop("i in annual.indicators", S_BODY, "- Chỉ số “{{ i.name }}”: {{ i.score_sentence }}. {{ i.rank_sentence }}.")
    b.tag("{%p endif %}")
    b.tag("{%p if completed %}")
    b.p(S_BODY, "Các nhiệm vụ hoàn thành trong kỳ:")
    b.loop(
        "c in completed",
        S_BODY,
        "- {{ c.task }} ({{ c.lead }} chủ trì): hoàn thành{% if c.date %} ngày {{ c.date }}{% endif %} (báo cáo "
        "{{ c.month }}).",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if trails %}")
    b.p(S_BODY, "Tiến độ các nhiệm vụ chưa hoàn thành qua các tháng (tỷ lệ hoàn thành bình quân của đơn vị chủ trì):")
    b.loop("t in trails", S_BODY, "- {{ t.task }} ({{ t.lead }} chủ trì): {{ t.trail }}.")
    b.tag("{%p endif %}")
    b.tag("{%p for res in results %}")
    b.p(S_KHOAN, "{{ res.number }}. Chỉ số “{{ res.name }}”")
    b.p(S_BODY, "Có {{ res.count }} nhiệm vụ: {{ res.categories }}.")
    _fallback(b, "res['items']", "- Chưa có kết quả được báo cáo trong kỳ.")
    b.tag("{%p endfor %}")
    _extra(b, "II")

    b.p(S_MUC, "III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN")
    _fallback(b, "difficulties", "- Trong kỳ, các phòng, đơn vị không báo cáo khó khăn, vướng mắc.")
    b.tag("{%p if sent.missing %}")
    b.p(S_BODY, "- Còn {{ sent.missing_count }} phòng, đơn vị chưa gửi báo cáo đúng hạn: {{ sent.missing }}.")
    b.tag("{%p endif %}")
    _extra(b, "III")
    b.p(S_MUC, "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI")
    _fallback(
        b, "next_tasks", "- Duy trì kết quả các nhiệm vụ đã hoàn thành.", "- {{ x.task }} ({{ x.lead }} chủ trì)."
    )
    _extra(b, "IV")
    b.p(S_MUC, "V. ĐỀ XUẤT, KIẾN NGHỊ")
    _fallback(b, "proposals", "- Trong kỳ, các phòng, đơn vị không có đề xuất, kiến nghị.")
    _extra(b, "V")
    closing = b.p(
        S_BODY,
        "Trên đây là báo cáo kết quả thực hiện Kế hoạch nâng cao chỉ số DDCI {{ period.name }} của {{ agency.name }}, "
        "kính báo cáo {{ agency.province_committee }} xem xét, chỉ đạo./.",
    )
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
    a.p(S_APPENDIX_TITLE, "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP {{ period.name | upper }}")
    a.p(S_APPENDIX_GUIDE, "(Kèm theo Báo cáo số {{ doc.ref_number }} {{ doc.ref_date }} của {{ agency.name }})")
    progress_table(doc)
    # The score table and the chart of the same numbers share a page of their own.
    change_title = a.p(
        S_APPENDIX_TITLE,
        "BIẾN ĐỘNG ĐIỂM SỐ, THỨ HẠNG CÁC CHỈ SỐ THÀNH PHẦN NĂM {{ ddci.year }} SO VỚI NĂM {{ ddci.base_year }}",
    )
    change_title.paragraph_format.page_break_before = True
    change_title.paragraph_format.space_after = Pt(6)
    change_table(doc)
    a.tag("{%p if appendix.chart %}")
    chart_title = a.p(S_APPENDIX_TITLE, "Điểm số các chỉ số thành phần năm {{ ddci.base_year }} và năm {{ ddci.year }}")
    chart_title.paragraph_format.space_before = Pt(12)
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

"""ND30 checks, element by element, on documents rendered from the generated templates.

Formatting is read the way Word resolves it: run properties, then the run's character style
chain, then the paragraph style chain (``based_on``), then ``docDefaults``. A font set only
on Normal or only through the theme would pass a naive ``run.font.name`` check and still
print in Calibri; these helpers do not let that through.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from tests.support.docs_samples import bao_cao_context, ke_hoach_context
from xl_addin.documents.render import render_document
from xl_addin.documents.template_files import DEFAULT_TEMPLATE_DIR
from xl_addin.documents.word_templates import (
    BAO_CAO,
    KE_HOACH,
    TEMPLATE_NAMES,
    build_templates,
)

TNR = "Times New Roman"
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
TWIPS_PER_MM = 1440 / 25.4

# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    return {p.name: p for p in build_templates(out)}


@pytest.fixture(scope="module")
def kh(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> DocxDocument:
    out = tmp_path_factory.mktemp("kh") / "ke_hoach.docx"
    render_document(templates[KE_HOACH], ke_hoach_context(), out)
    return Document(str(out))


@pytest.fixture(scope="module")
def bc(templates: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> DocxDocument:
    out = tmp_path_factory.mktemp("bc") / "bao_cao.docx"
    render_document(templates[BAO_CAO], bao_cao_context(), out)
    return Document(str(out))


@pytest.fixture(params=["kh", "bc"])
def rendered(request: pytest.FixtureRequest) -> DocxDocument:
    return request.getfixturevalue(request.param)


# ---------------------------------------------------------------------------------------------
# Style resolution
# ---------------------------------------------------------------------------------------------


def _style_chain(doc: DocxDocument, style_id: str | None) -> Iterator[Any]:
    """Style elements from ``style_id`` up its ``basedOn`` chain."""
    seen = set()
    while style_id and style_id not in seen:
        seen.add(style_id)
        el = doc.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
        if el is None:
            return
        yield el
        based = el.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None


def _default_style_id(doc: DocxDocument, kind: str) -> str | None:
    for el in doc.styles.element.findall(qn("w:style")):
        if el.get(qn("w:type")) == kind and el.get(qn("w:default")) in ("1", "true"):
            return el.get(qn("w:styleId"))
    return None


def _para_style_id(doc: DocxDocument, p: Paragraph) -> str | None:
    ppr = p._p.pPr
    if ppr is not None and ppr.pStyle is not None:
        return ppr.pStyle.val
    return _default_style_id(doc, "paragraph")


def _doc_defaults(doc: DocxDocument, which: str) -> Any:
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    outer = defaults.find(qn(f"w:{which}Default"))
    return outer.find(qn(f"w:{which}")) if outer is not None else None


def _rpr_levels(doc: DocxDocument, p: Paragraph, run_el: Any) -> Iterator[Any]:
    yield run_el.rPr
    rstyle = run_el.rPr.find(qn("w:rStyle")) if run_el.rPr is not None else None
    if rstyle is not None:
        for st in _style_chain(doc, rstyle.get(qn("w:val"))):
            yield st.find(qn("w:rPr"))
    for st in _style_chain(doc, _para_style_id(doc, p)):
        yield st.find(qn("w:rPr"))
    yield _doc_defaults(doc, "rPr")


def run_prop(doc: DocxDocument, p: Paragraph, run_el: Any, getter: Callable[[Any], Any]) -> Any:
    for rpr in _rpr_levels(doc, p, run_el):
        if rpr is not None:
            value = getter(rpr)
            if value is not None:
                return value
    return None


def ppr_prop(doc: DocxDocument, p: Paragraph, getter: Callable[[Any], Any]) -> Any:
    levels = [p._p.pPr]
    levels += [st.find(qn("w:pPr")) for st in _style_chain(doc, _para_style_id(doc, p))]
    levels.append(_doc_defaults(doc, "pPr"))
    for ppr in levels:
        if ppr is not None:
            value = getter(ppr)
            if value is not None:
                return value
    return None


def _font_slot(slot: str) -> Callable[[Any], Any]:
    def get(rpr: Any) -> Any:
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            return None
        theme = fonts.get(qn(f"w:{slot}Theme" if slot != "cs" else "w:cstheme"))
        return f"THEME:{theme}" if theme else fonts.get(qn(f"w:{slot}"))

    return get


def _size(rpr: Any) -> float | None:
    el = rpr.find(qn("w:sz"))
    return int(el.get(qn("w:val"))) / 2 if el is not None else None


def _toggle(tag: str) -> Callable[[Any], Any]:
    def get(rpr: Any) -> bool | None:
        el = rpr.find(qn(tag))
        if el is None:
            return None
        return el.get(qn("w:val"), "true") not in ("0", "false", "off")

    return get


def _attr(tag: str, attr: str) -> Callable[[Any], Any]:
    path = "/".join(qn(part) for part in tag.split("/"))

    def get(ppr: Any) -> Any:
        el = ppr.find(path)
        return el.get(qn(attr)) if el is not None else None

    return get


def text_runs(p: Paragraph) -> list[Any]:
    return [r for r in p._p.r_lst if r.text]


def fmt(doc: DocxDocument, p: Paragraph) -> dict[str, Any]:
    """Resolved formatting of a paragraph whose text runs all agree (asserted)."""
    runs = text_runs(p)
    assert runs, f"no text in paragraph {p.text!r}"
    found = []
    for r in runs:
        found.append(
            (
                run_prop(doc, p, r, _size),
                bool(run_prop(doc, p, r, _toggle("w:b"))),
                bool(run_prop(doc, p, r, _toggle("w:i"))),
            )
        )
    assert len(set(found)) == 1, f"mixed formatting in {p.text!r}: {found}"
    size, bold, italic = found[0]
    return {
        "size": size,
        "bold": bold,
        "italic": italic,
        "align": ppr_prop(doc, p, _attr("w:jc", "w:val")) or "left",
        "first_line": int(ppr_prop(doc, p, _attr("w:ind", "w:firstLine")) or 0),
        "before": int(ppr_prop(doc, p, _attr("w:spacing", "w:before")) or 0),
        "after": int(ppr_prop(doc, p, _attr("w:spacing", "w:after")) or 0),
        "line": ppr_prop(doc, p, _attr("w:spacing", "w:line")),
        "line_rule": ppr_prop(doc, p, _attr("w:spacing", "w:lineRule")) or "auto",
    }


def run_flags(doc: DocxDocument, p: Paragraph) -> list[tuple[str, bool, bool]]:
    """(text, bold, italic) per text run, merged when neighbours agree."""
    out: list[tuple[str, bool, bool]] = []
    for r in text_runs(p):
        b = bool(run_prop(doc, p, r, _toggle("w:b")))
        i = bool(run_prop(doc, p, r, _toggle("w:i")))
        if out and out[-1][1:] == (b, i):
            out[-1] = (out[-1][0] + r.text, b, i)
        else:
            out.append((r.text, b, i))
    return out


def body_paragraphs(doc: DocxDocument) -> list[Paragraph]:
    return [p for p in doc.paragraphs if p.text.strip()]


def find_p(doc: DocxDocument, text: str, *, start: bool = False) -> Paragraph:
    for p in body_paragraphs(doc):
        if p.text.startswith(text) if start else p.text == text:
            return p
    raise AssertionError(f"paragraph {text!r} not found")


def cell_paragraphs(cell: _Cell) -> list[Paragraph]:
    return [p for p in cell.paragraphs if p.text.strip()]


def mm(twips: int | str) -> float:
    return int(twips) / TWIPS_PER_MM


def rule_length_mm(cell_or_doc_width_mm: float, p: Paragraph) -> float:
    ind = p._p.pPr.find(qn("w:ind"))
    left = mm(ind.get(qn("w:left"), ind.get(qn("w:start"), 0)))
    right = mm(ind.get(qn("w:right"), ind.get(qn("w:end"), 0)))
    return cell_or_doc_width_mm - left - right


def is_rule(doc: DocxDocument, p: Paragraph) -> bool:
    if p.text.strip():
        return False
    return ppr_prop(doc, p, _attr("w:pBdr/w:bottom", "w:val")) == "single"


def _text_width_mm(text: str, size: float, bold: bool = False, italic: bool = False) -> float | None:
    """Width in Liberation Serif (Times New Roman metrics), or None if the font is absent."""
    try:
        from PIL import ImageFont
    except ImportError:  # pragma: no cover
        return None
    face = "Bold" if bold and not italic else "Italic" if italic and not bold else "Regular"
    for folder in ("/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation"):
        path = Path(folder) / f"LiberationSerif-{face}.ttf"
        if path.is_file():
            font = ImageFont.truetype(str(path), 1000)
            return font.getlength(text) / 1000 * size * 25.4 / 72
    return None


# ---------------------------------------------------------------------------------------------
# Generated templates
# ---------------------------------------------------------------------------------------------


def test_build_templates_writes_both(templates: dict[str, Path]) -> None:
    assert sorted(templates) == sorted(TEMPLATE_NAMES)
    for path in templates.values():
        assert zipfile.is_zipfile(path)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_repository_templates_are_up_to_date(templates: dict[str, Path], name: str) -> None:
    """``templates/*.docx`` must be what the builder produces now (rebuild after changes)."""
    committed = DEFAULT_TEMPLATE_DIR / name
    assert committed.is_file(), f"run: python -m xl_addin.documents.word_templates ({committed} missing)"
    with zipfile.ZipFile(committed) as old, zipfile.ZipFile(templates[name]) as new:
        for part in ("word/document.xml", "word/styles.xml", "word/header1.xml", "word/settings.xml"):
            if part in new.namelist():
                assert old.read(part) == new.read(part), (
                    f"{name}:{part} is stale; run: python -m xl_addin.documents.word_templates"
                )


def test_template_uses_paragraph_and_row_loops(templates: dict[str, Path]) -> None:
    with zipfile.ZipFile(templates[BAO_CAO]) as z:
        xml = z.read("word/document.xml").decode()
    assert "{%tr for row in appendix.progress_rows %}" in xml
    assert "{%tr for row in appendix.change_rows %}" in xml
    assert "{%p for r in recipients %}" in xml


# ---------------------------------------------------------------------------------------------
# Page setup
# ---------------------------------------------------------------------------------------------


def test_page_is_a4_with_nd30_margins(rendered: DocxDocument) -> None:
    s = rendered.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1)
    assert abs(s.page_height - Mm(297)) < Mm(0.1)
    for value, expected in ((s.top_margin, 20), (s.bottom_margin, 20), (s.left_margin, 30), (s.right_margin, 15)):
        assert abs(value - Mm(expected)) < Mm(0.1)
    assert Mm(10) <= s.header_distance <= Mm(13)


def test_page_number_header_not_on_first_page(rendered: DocxDocument) -> None:
    s = rendered.sections[0]
    assert s._sectPr.find(qn("w:titlePg")) is not None
    assert s.different_first_page_header_footer
    header_xml = s.header._element.xml
    assert "fldChar" in header_xml and " PAGE " in header_xml
    assert " PAGE " not in s.first_page_header._element.xml
    p = next(p for p in s.header.paragraphs if "PAGE" in p._p.xml)
    assert ppr_prop(rendered, p, _attr("w:jc", "w:val")) == "center"
    for r in p._p.r_lst:
        assert run_prop(rendered, p, r, _size) in (13, 14)
        assert run_prop(rendered, p, r, _font_slot("ascii")) == TNR


def test_appendix_section_restarts_numbering(bc: DocxDocument) -> None:
    assert len(bc.sections) == 2
    main, appendix = bc.sections
    pg = appendix._sectPr.find(qn("w:pgNumType"))
    assert pg is not None and pg.get(qn("w:start")) == "1"
    assert main._sectPr.find(qn("w:pgNumType")) is None
    assert appendix.page_width > appendix.page_height  # landscape A4
    assert abs(appendix.page_width - Mm(297)) < Mm(0.1)
    assert appendix._sectPr.find(qn("w:titlePg")) is not None


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------


def test_doc_defaults_use_times_new_roman_everywhere(rendered: DocxDocument) -> None:
    fonts = _doc_defaults(rendered, "rPr").find(qn("w:rFonts"))
    for slot in SLOTS:
        assert fonts.get(qn(f"w:{slot}")) == TNR
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        assert fonts.get(qn(f"w:{theme}")) is None


def _used_style_ids(doc: DocxDocument) -> set[str]:
    ids = {"Normal", "Header"}
    for part in (doc.element, *(s.header._element for s in doc.sections)):
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            ids |= {el.get(qn("w:val")) for el in part.iter(qn(tag))}
    ids.add(_default_style_id(doc, "table") or "TableNormal")
    return ids


def test_every_used_style_names_tnr_on_all_four_slots(rendered: DocxDocument) -> None:
    used = _used_style_ids(rendered)
    assert len(used) > 15
    for sid in used:
        el = next(_style_chain(rendered, sid))
        fonts = el.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, f"style {sid} has no rFonts"
        for slot in SLOTS:
            assert fonts.get(qn(f"w:{slot}")) == TNR, f"style {sid} slot {slot}"


def _all_paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    body = doc.element.body
    for p in body.iter(qn("w:p")):
        yield Paragraph(p, doc._body)
    for s in doc.sections:
        for hdr in (s.header, s.first_page_header):
            yield from hdr.paragraphs


def test_every_run_resolves_to_tnr_on_all_slots(rendered: DocxDocument) -> None:
    count = 0
    for p in _all_paragraphs(rendered):
        for r in p._p.r_lst:
            if not r.text:
                continue
            count += 1
            for slot in SLOTS:
                assert run_prop(rendered, p, r, _font_slot(slot)) == TNR, (p.text, slot)
    assert count > 50


# ---------------------------------------------------------------------------------------------
# Header block (ô 1-4)
# ---------------------------------------------------------------------------------------------


def _borders_nil(table: Table) -> None:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{edge}"))
        assert el is not None and el.get(qn("w:val")) in ("nil", "none"), edge


def _fixed_widths(table: Table) -> list[float]:
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    widths = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            assert tc.tcPr is not None and tc.tcPr.tcW is not None, "cell without width"
            assert tc.tcPr.tcW.type == "dxa"
            row.append(round(mm(tc.tcPr.tcW.w), 1))
        widths = widths or row
    return widths


def test_header_table_layout(rendered: DocxDocument) -> None:
    table = rendered.tables[0]
    _borders_nil(table)
    left, right = _fixed_widths(table)
    assert 65 <= left <= 70 and 98 <= right <= 102


def test_header_left_column(rendered: DocxDocument) -> None:
    doc = rendered
    table = doc.tables[0]
    cell = table.rows[0].cells[0]
    texts = [p.text for p in cell_paragraphs(cell)]
    assert texts == ["UBND TỈNH LẠNG SƠN", "SỞ TÀI NGUYÊN VÀ", "MÔI TRƯỜNG"]
    parent, *agency = cell_paragraphs(cell)
    f = fmt(doc, parent)
    assert f["size"] in (12, 13) and not f["bold"] and not f["italic"] and f["align"] == "center"
    for p in agency:
        f = fmt(doc, p)
        assert f["size"] in (12, 13) and f["bold"] and not f["italic"] and f["align"] == "center"
        assert p.text == p.text.upper()
    rules = [p for p in cell.paragraphs if is_rule(doc, p)]
    assert len(rules) == 1
    content_w = _fixed_widths(table)[0] - 2 * 1.905
    length = rule_length_mm(content_w, rules[0])
    full = _text_width_mm("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG", 12, bold=True) or 68.0
    longest = _text_width_mm("SỞ TÀI NGUYÊN VÀ", 12, bold=True) or 40.0
    # 1/3-1/2 of the agency name's length, and never wider than the line above it.
    assert full / 3 - 0.5 <= length <= full / 2, (length, full)
    assert length < longest
    number = cell_paragraphs(table.rows[1].cells[0])[0]
    assert number.text == "Số:      /KH-STNMT" or number.text == "Số: 05/BC-STNMT"
    f = fmt(doc, number)
    assert f["size"] == 13 and not f["bold"] and not f["italic"] and f["align"] == "center"


def test_header_right_column(rendered: DocxDocument) -> None:
    doc = rendered
    table = doc.tables[0]
    cell = table.rows[0].cells[1]
    nation, motto = cell_paragraphs(cell)
    assert nation.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    f = fmt(doc, nation)
    assert f["size"] == 12 and f["bold"] and not f["italic"] and f["align"] == "center"
    assert motto.text == "Độc lập - Tự do - Hạnh phúc"
    f = fmt(doc, motto)
    assert f["size"] in (13, 14) and f["bold"] and not f["italic"] and f["align"] == "center"
    # Quốc hiệu fits on one line in the cell (Times New Roman metrics).
    content_w = _fixed_widths(table)[1] - 2 * 1.905
    width = _text_width_mm(nation.text, 12, bold=True)
    if width is not None:
        assert width < content_w - 3
    rules = [p for p in cell.paragraphs if is_rule(doc, p)]
    assert len(rules) == 1
    motto_w = _text_width_mm(motto.text, f["size"], bold=True) or 56.0
    assert abs(rule_length_mm(content_w, rules[0]) - motto_w) <= 3  # as long as the motto


def test_place_date_italic_and_untouched(kh: DocxDocument, bc: DocxDocument) -> None:
    for doc, ctx in ((kh, ke_hoach_context()), (bc, bao_cao_context())):
        p = cell_paragraphs(doc.tables[0].rows[1].cells[1])[0]
        assert p.text == ctx["doc"]["place_date"]  # zero padding and blank spaces kept exactly
        f = fmt(doc, p)
        assert f["size"] in (13, 14) and f["italic"] and not f["bold"] and f["align"] == "center"
    assert "ngày      tháng 02 năm 2024" in cell_paragraphs(kh.tables[0].rows[1].cells[1])[0].text
    assert "ngày 05 tháng 4 năm 2024" in cell_paragraphs(bc.tables[0].rows[1].cells[1])[0].text


# ---------------------------------------------------------------------------------------------
# Title, addressee, body
# ---------------------------------------------------------------------------------------------


def test_kind_title_and_subject(rendered: DocxDocument) -> None:
    doc = rendered
    paras = body_paragraphs(doc)
    kind = next(p for p in paras if p.text in ("KẾ HOẠCH", "BÁO CÁO"))
    f = fmt(doc, kind)
    assert f["size"] == 14 and f["bold"] and f["align"] == "center" and f["first_line"] == 0
    idx = paras.index(kind)
    for p in paras[idx + 1 : idx + 3]:
        f = fmt(doc, p)
        assert f["size"] == 14 and f["bold"] and not f["italic"] and f["align"] == "center"
    # A short rule right after the subject lines.
    all_p = doc.paragraphs
    last_subject = all_p.index(next(p for p in all_p if p._p is paras[idx + 2]._p))
    rule = all_p[last_subject + 1]
    assert is_rule(doc, rule)
    length = rule_length_mm(165, rule)
    subject = max(_text_width_mm(p.text, 14, bold=True) or 110 for p in paras[idx + 1 : idx + 3])
    assert subject / 3 - 5 <= length <= subject / 2, (length, subject)


def test_bao_cao_addressee(bc: DocxDocument) -> None:
    p = find_p(bc, "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.")
    f = fmt(bc, p)
    assert f["size"] == 14 and not f["bold"] and not f["italic"] and f["align"] == "center"


def test_body_paragraph_format(kh: DocxDocument) -> None:
    p = find_p(kh, "Thực hiện Công văn số 24/UBND-KT", start=True)
    f = fmt(kh, p)
    assert f["size"] == 14 and not f["bold"] and not f["italic"]
    assert f["align"] == "both"
    assert f["first_line"] == 567
    assert f["before"] + f["after"] >= 120  # at least 6 pt between paragraphs
    assert f["line_rule"] == "auto" and 240 <= int(f["line"]) <= 360  # single … 1.5 lines


def test_muc_and_khoan_headings(kh: DocxDocument, bc: DocxDocument) -> None:
    for doc, text in (
        (kh, "I. MỤC ĐÍCH, YÊU CẦU"),
        (kh, "IV. TỔ CHỨC THỰC HIỆN"),
        (bc, "II. KẾT QUẢ THỰC HIỆN TRONG THÁNG 3 NĂM 2024"),
        (bc, "V. ĐỀ XUẤT, KIẾN NGHỊ"),
    ):
        p = find_p(doc, text)
        f = fmt(doc, p)
        assert f["size"] == 14 and f["bold"] and not f["italic"] and p.text == p.text.upper()
    for text in (
        "1. Mục đích",
        "1. Chỉ số “Tính minh bạch và tiếp cận thông tin”",
        "1. Chỉ số thứ 4: Chỉ số “Cạnh tranh bình đẳng”",
    ):
        assert fmt(kh, find_p(kh, text))["bold"]
    group = find_p(kh, "(1) TIẾP TỤC PHÁT HUY", start=True)
    assert fmt(kh, group)["bold"]


def test_indicator_labels_are_italic(kh: DocxDocument) -> None:
    p = find_p(kh, "- Về điểm số:", start=True)
    assert run_flags(kh, p) == [
        ("- ", False, False),
        ("Về điểm số:", False, True),
        (" Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm).", False, False),
    ]
    p = find_p(kh, "- Về thứ hạng so với các Sở, ban, ngành (SBN):", start=True)
    assert run_flags(kh, p)[1] == ("Về thứ hạng so với các Sở, ban, ngành (SBN):", False, True)
    p = find_p(kh, "- Đánh giá chung:", start=True)
    assert run_flags(kh, p)[1] == ("Đánh giá chung:", False, True)


def test_group_item_points(kh: DocxDocument) -> None:
    p = find_p(kh, "a) Lãnh đạo chủ trì: Đ/c Nguyễn Ngọc Thiều", start=True)
    assert run_flags(kh, p) == [
        ("a) ", False, False),
        ("Lãnh đạo chủ trì: Đ/c Nguyễn Ngọc Thiều", False, True),
        (", Giám đốc Sở trực tiếp chỉ đạo.", False, False),
    ]
    p = find_p(kh, "b) Những hạn chế chính liên quan đến chỉ số “Cạnh tranh", start=True)
    flags = run_flags(kh, p)
    assert flags[1][2] and flags[1][0].endswith("được chỉ ra:") and not flags[2][2]
    p = find_p(kh, "c) Giải pháp thực hiện:")
    assert run_flags(kh, p) == [("c) ", False, False), ("Giải pháp thực hiện:", False, True)]


def test_task_assignment_in_italics(kh: DocxDocument) -> None:
    p = find_p(kh, "- Tiếp tục thực hiện tốt hơn nữa", start=True)
    flags = run_flags(kh, p)
    assert flags[0][0].endswith("100% doanh nghiệp (") and not flags[0][2]
    assert flags[1][0].startswith("Giám đốc Văn phòng Đăng ký đất đai chủ trì") and flags[1][2]
    assert flags[2] == (").", False, False)
    # A task without an assignment prints no empty brackets.
    p = find_p(kh, "- Thường xuyên rà soát nâng cao tối đa TTHC", start=True)
    assert p.text.endswith("dịch vụ công trực tuyến.") and "()" not in p.text


def test_organisation_bold_part(kh: DocxDocument) -> None:
    p = find_p(kh, "2. Các phòng, đơn vị thuộc Sở căn cứ", start=True)
    flags = run_flags(kh, p)
    assert ("xong trước ngày 28/02/2024", True, False) in flags
    assert not flags[0][1] and not flags[-1][1]


# ---------------------------------------------------------------------------------------------
# Signature block (ô 7, 9b)
# ---------------------------------------------------------------------------------------------


def _signature_table(doc: DocxDocument) -> Table:
    return next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)


def test_signature_table_layout(rendered: DocxDocument) -> None:
    table = _signature_table(rendered)
    _borders_nil(table)
    left, right = _fixed_widths(table)
    assert 50 <= left <= 56 and 108 <= right <= 114
    trpr = table.rows[0]._tr.trPr
    assert trpr is not None and trpr.find(qn("w:cantSplit")) is not None


def test_noi_nhan_and_recipients(rendered: DocxDocument) -> None:
    doc = rendered
    head, *recipients = cell_paragraphs(_signature_table(doc).rows[0].cells[0])
    assert head.text == "Nơi nhận:"
    f = fmt(doc, head)
    assert f["size"] == 12 and f["bold"] and f["italic"] and f["align"] == "left"
    assert f["first_line"] == 0
    assert len(recipients) >= 3
    for p in recipients:
        f = fmt(doc, p)
        assert f["size"] == 11 and not f["bold"] and not f["italic"]
        assert p.text.startswith("- ")
    assert recipients[-1].text.startswith("- Lưu: VT")
    assert recipients[-1].text.endswith(".")


def test_signer_block(kh: DocxDocument, bc: DocxDocument) -> None:
    for doc, expected in (
        (kh, ["GIÁM ĐỐC", "Nguyễn Ngọc Thiều"]),
        (bc, ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Ngô Viết Hải"]),
    ):
        paras = cell_paragraphs(_signature_table(doc).rows[0].cells[1])
        assert [p.text for p in paras] == expected
        for p in paras:
            f = fmt(doc, p)
            assert f["size"] in (13, 14) and f["bold"] and not f["italic"] and f["align"] == "center"
        # Room for the signature and seal between the title and the name.
        assert fmt(doc, paras[-1])["before"] >= 60 * 20


# ---------------------------------------------------------------------------------------------
# Appendix
# ---------------------------------------------------------------------------------------------


def test_appendix_headings(bc: DocxDocument) -> None:
    p = find_p(bc, "Phụ lục")
    f = fmt(bc, p)
    assert f["size"] == 14 and f["bold"] and f["align"] == "center"
    title = find_p(bc, "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ", start=True)
    f = fmt(bc, title)
    assert f["bold"] and f["align"] == "center" and title.text == title.text.upper()
    guide = find_p(bc, "(Kèm theo Báo cáo số", start=True)
    f = fmt(bc, guide)
    assert f["italic"] and not f["bold"] and f["align"] == "center" and f["size"] in (13, 14)


def test_appendix_tables(bc: DocxDocument) -> None:
    progress = next(t for t in bc.tables if t.rows[0].cells[0].text == "STT" and "Nhiệm vụ" in t.rows[0].cells[1].text)
    assert len(progress.rows) == 1 + len(bao_cao_context()["appendix"]["progress_rows"])
    assert sum(_fixed_widths(progress)) <= 297 - 45 + 0.5
    assert progress.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    change = next(t for t in bc.tables if "Chỉ số thành phần" in t.rows[0].cells[1].text)
    assert len(change.rows) == 2 + 8
    assert change.rows[1].cells[2].text == "Năm 2022" and change.rows[1].cells[3].text == "Năm 2023"


def test_progress_rows_may_continue_on_the_next_page(templates: dict[str, Path]) -> None:
    """A task's results from every unit can be taller than a page; such a row must split, not be cut off.

    The change table's short rows stay whole (``tests/documents/test_print.py`` proves the print).
    """
    doc = Document(str(templates[BAO_CAO]))
    progress = next(t for t in doc.tables if "Kết quả thực hiện" in t.rows[0].cells[-1].text)
    data = next(r for r in progress.rows if "{{ row.results }}" in r.cells[-1].text)
    assert data._tr.trPr is None or data._tr.trPr.find(qn("w:cantSplit")) is None
    change = next(t for t in doc.tables if any("{{ row.group }}" in c.text for r in t.rows for c in r.cells))
    row = next(r for r in change.rows if any("{{ row.group }}" in c.text for c in r.cells))
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None

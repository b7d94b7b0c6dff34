"""Rendering: golden text, preflight, template errors, images, atomic writes, a long report, chart."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from tests.support.docs_samples import (
    bao_cao_context,
    bao_cao_period_context,
    chart_args,
    docx_lines,
    golden,
    ke_hoach_context,
)
from xl_addin.core.errors import TemplateError
from xl_addin.documents import template_files
from xl_addin.documents.chart import _draw, score_chart_png
from xl_addin.documents.preflight import preflight
from xl_addin.documents.render import render_document
from xl_addin.documents.template_files import choose_template
from xl_addin.documents.word_templates import BAO_CAO, KE_HOACH, build_templates


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in build_templates(tmp_path_factory.mktemp("templates"))}


def _docx_with(tmp_path: Path, *paragraphs: str, header: str | None = None) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    path = tmp_path / "custom.docx"
    doc.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------
# Golden text
# ---------------------------------------------------------------------------------------------


def test_golden_ke_hoach(templates: dict[str, Path], tmp_path: Path) -> None:
    out = render_document(templates[KE_HOACH], ke_hoach_context(), tmp_path / "kh.docx")
    assert docx_lines(out) == golden("sample_ke_hoach.txt")


def test_golden_bao_cao(templates: dict[str, Path], tmp_path: Path) -> None:
    out = render_document(templates[BAO_CAO], bao_cao_context(3), tmp_path / "bc.docx")
    assert docx_lines(out) == golden("sample_bao_cao.txt")


def test_golden_bao_cao_of_a_year(templates: dict[str, Path], tmp_path: Path) -> None:
    out = render_document(templates[BAO_CAO], bao_cao_period_context(), tmp_path / "bc.docx")
    assert docx_lines(out) == golden("sample_bao_cao_nam.txt")


def test_no_template_tags_survive(templates: dict[str, Path], tmp_path: Path) -> None:
    out = render_document(templates[BAO_CAO], bao_cao_context(), tmp_path / "bc.docx")
    for line in docx_lines(out):
        assert "{{" not in line and "{%" not in line and "}}" not in line


def test_special_characters_are_escaped(templates: dict[str, Path], tmp_path: Path) -> None:
    ctx = ke_hoach_context()
    ctx["plan"]["basis"] = "Sở Kế hoạch & Đầu tư <phối hợp> \"kịp thời\" 'đúng hạn'"
    out = render_document(templates[KE_HOACH], ctx, tmp_path / "kh.docx")
    assert ctx["plan"]["basis"] in docx_lines(out)


# ---------------------------------------------------------------------------------------------
# preflight
# ---------------------------------------------------------------------------------------------


def test_preflight_clean_for_samples(templates: dict[str, Path]) -> None:
    assert preflight(templates[KE_HOACH], ke_hoach_context()) == []
    assert preflight(templates[BAO_CAO], bao_cao_context()) == []
    assert preflight(templates[BAO_CAO], bao_cao_context(), images={"appendix_chart": Path("x.png")}) == []


def test_preflight_reports_missing_data_in_vietnamese(templates: dict[str, Path]) -> None:
    ctx = ke_hoach_context()
    del ctx["signer"]["name"]
    del ctx["indicators"][1]["rank_block"]
    del ctx["plan"]["focal_unit"]
    del ctx["groups"][0]["items"][0]["tasks"][1]["text"]
    messages = preflight(templates[KE_HOACH], ctx)
    text = "\n".join(messages)
    assert "Thiếu dữ liệu «signer.name»" in text
    assert "Thiếu dữ liệu «indicators[].rank_block» (ở mục thứ 2)" in text
    assert "Thiếu dữ liệu «plan.focal_unit»" in text
    assert "«groups[].items[].tasks[].text» (ở mục thứ 1)" in text
    assert len(messages) == 4
    # Optional values (used only under {% if %}) are not required.
    ctx = ke_hoach_context()
    del ctx["groups"][1]["items"][0]["tasks"][1]["assignment"]
    assert preflight(templates[KE_HOACH], ctx) == []


def test_preflight_reports_unused_data(templates: dict[str, Path]) -> None:
    ctx = bao_cao_context()
    ctx["ghi_chu"] = "không dùng"
    ctx["agency"]["fax"] = "0205 000 000"
    ctx["results"][0]["extra"] = 1
    messages = preflight(templates[BAO_CAO], ctx)
    assert messages == [
        "Dữ liệu thừa «agency.fax»: mẫu bao_cao.docx không dùng khóa này (kiểm tra lại tên biến "
        "trong mẫu hoặc trong dữ liệu).",
        "Dữ liệu thừa «results[].extra»: mẫu bao_cao.docx không dùng khóa này (kiểm tra lại tên "
        "biến trong mẫu hoặc trong dữ liệu).",
        "Dữ liệu thừa «ghi_chu»: mẫu bao_cao.docx không dùng khóa này (kiểm tra lại tên biến trong "
        "mẫu hoặc trong dữ liệu).",
    ]


def test_preflight_wrong_types(templates: dict[str, Path]) -> None:
    ctx = ke_hoach_context()
    ctx["indicators"] = "- chỉ một dòng"
    ctx["doc"]["number_line"] = None
    messages = preflight(templates[KE_HOACH], ctx)
    assert any("«indicators» phải là một danh sách" in m for m in messages)
    assert any("«doc.number_line» đang rỗng (None)" in m for m in messages)


def test_preflight_reads_headers_and_nested_keys(tmp_path: Path) -> None:
    path = _docx_with(
        tmp_path,
        "{{ agency.name }} {{ doc.title }}",
        "{%p for t in tasks %}",
        "{{ t.code }}: {{ t['text'] }} ({{ loop.index }})",
        "{%p endfor %}",
        header="Trang đầu: {{ header_note }}",
    )
    ctx = {
        "agency": {"name": "Sở", "code": "STNMT"},
        "tasks": [{"code": "1.1", "text": "a"}, {"code": "1.2"}],
        "unused_top": 1,
    }
    messages = preflight(path, ctx)
    text = "\n".join(messages)
    assert "Thiếu dữ liệu «doc.title»" in text
    assert "Thiếu dữ liệu «header_note»" in text  # tag in the page header
    assert "Thiếu dữ liệu «tasks[].text» (ở mục thứ 2)" in text
    assert "Dữ liệu thừa «agency.code»" in text
    assert "Dữ liệu thừa «unused_top»" in text
    assert "loop" not in text


# ---------------------------------------------------------------------------------------------
# Template errors
# ---------------------------------------------------------------------------------------------


def test_broken_tag_raises_template_error_with_context(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "Đoạn trước chỗ lỗi", "Kính gửi {{ foo( }} nhé", "Đoạn sau chỗ lỗi")
    out = tmp_path / "out.docx"
    out.write_bytes(b"old")
    with pytest.raises(TemplateError) as info:
        render_document(path, {}, out)
    message = info.value.message
    assert "lỗi cú pháp thẻ" in message
    assert "Đoạn trước chỗ lỗi" in message and "Kính gửi {{ foo( }} nhé" in message
    assert out.read_bytes() == b"old"  # a failed render never touches the output
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(TemplateError) as info:
        preflight(path, {})
    assert "Kính gửi {{ foo( }} nhé" in info.value.message


def test_unclosed_tag_message_quotes_text(tmp_path: Path) -> None:
    path = _docx_with(tmp_path, "Mở đầu", "Xin chào {{ foo(", "Kết thúc")
    with pytest.raises(TemplateError) as info:
        render_document(path, {}, tmp_path / "x.docx")
    assert "foo(" in info.value.message and "Đoạn văn bản quanh chỗ lỗi" in info.value.message


def test_missing_or_invalid_template_file(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="Không tìm thấy tệp mẫu"):
        render_document(tmp_path / "none.docx", {}, tmp_path / "o.docx")
    bad = tmp_path / "bad.docx"
    bad.write_text("không phải docx", encoding="utf-8")
    with pytest.raises(TemplateError, match="không phải tài liệu Word"):
        render_document(bad, {}, tmp_path / "o.docx")


# ---------------------------------------------------------------------------------------------
# Output, images, template choice
# ---------------------------------------------------------------------------------------------


def test_atomic_overwrite_leaves_no_temp_files(templates: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "kh.docx"
    out.write_bytes(b"previous version")
    render_document(templates[KE_HOACH], ke_hoach_context(), out)
    assert docx_lines(out) == golden("sample_ke_hoach.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kh.docx"]


def test_images_are_inlined_and_context_untouched(templates: dict[str, Path], tmp_path: Path) -> None:
    png = score_chart_png(**chart_args(), out=tmp_path / "chart.png")
    ctx = bao_cao_context()
    before = copy.deepcopy(ctx)
    for key in ("appendix_chart", "appendix.chart"):
        out = render_document(templates[BAO_CAO], ctx, tmp_path / f"{key}.docx", images={key: png})
        doc = Document(str(out))
        assert len(doc.inline_shapes) == 1
        assert "Điểm số các chỉ số thành phần năm 2022 và năm 2023" in docx_lines(out)
    assert ctx == before
    # Without an image the chart block disappears entirely.
    out = render_document(templates[BAO_CAO], ctx, tmp_path / "none.docx")
    assert len(Document(str(out)).inline_shapes) == 0
    assert not any(line.startswith("Điểm số các chỉ số") for line in docx_lines(out))
    with pytest.raises(TemplateError, match="Không tìm thấy ảnh"):
        render_document(templates[BAO_CAO], ctx, tmp_path / "x.docx", images={"chart": tmp_path / "no.png"})


def test_choose_template_override_default_and_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    workspace = tmp_path / "ws"
    (workspace / "templates").mkdir(parents=True)
    custom = workspace / "templates" / KE_HOACH
    custom.write_bytes(b"x")
    assert choose_template(workspace, KE_HOACH) == custom
    assert choose_template(workspace, "ke_hoach") == custom
    assert choose_template(workspace, BAO_CAO) == template_files.DEFAULT_TEMPLATE_DIR / BAO_CAO
    assert choose_template(None, BAO_CAO) == template_files.DEFAULT_TEMPLATE_DIR / BAO_CAO
    # Installed package: no repository templates → built once into the cache.
    monkeypatch.setattr(template_files, "DEFAULT_TEMPLATE_DIR", tmp_path / "missing")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    built = choose_template(None, BAO_CAO)
    assert built.is_file() and str(built).startswith(str(tmp_path / "cache"))
    assert choose_template(workspace, BAO_CAO) == built
    with pytest.raises(TemplateError, match="Không có mẫu văn bản"):
        choose_template(None, "cong_van.docx")


# ---------------------------------------------------------------------------------------------
# A long report
# ---------------------------------------------------------------------------------------------


def _big_bao_cao(n: int = 200) -> dict:
    ctx = bao_cao_context(n)
    items = [f"Kết quả nhiệm vụ {i}: đã hoàn thành, báo cáo đúng hạn (Văn phòng Sở)." for i in range(n)]
    ctx["results"] = [
        {
            "number": k + 1,
            "name": f"Chỉ số thứ {k + 1}",
            "count": "25",
            "categories": "25 nhiệm vụ hoàn thành",
            "items": items[k * 25 : (k + 1) * 25],
        }
        for k in range(8)
    ]
    return ctx


def test_200_task_report_renders_every_row(templates: dict[str, Path], tmp_path: Path) -> None:
    """The appendix loops with ``{%tr for %}``: 200 tasks give 200 rows (``ddci bench`` times it)."""
    png = score_chart_png(**chart_args(), out=tmp_path / "chart.png")
    out = render_document(templates[BAO_CAO], _big_bao_cao(200), tmp_path / "big.docx", images={"appendix_chart": png})
    doc = Document(str(out))
    progress = next(t for t in doc.tables if "Nhiệm vụ" in t.rows[0].cells[1].text)
    assert len(progress.rows) == 201


# ---------------------------------------------------------------------------------------------
# Chart
# ---------------------------------------------------------------------------------------------


def test_chart_png_with_decimal_commas(tmp_path: Path) -> None:
    args = chart_args()
    args["base_scores"][2] = None  # a missing score: no bar, no label
    fig, _font = _draw(args["names"], args["base_year"], args["base_scores"], args["year"], args["scores"])
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()]
    texts += [ax.get_ylabel() for ax in fig.axes] + [ax.get_xlabel() for ax in fig.axes]
    legend = fig.axes[0].get_legend()
    texts += [t.get_text() for t in legend.get_texts()]
    assert "7,63" in texts and "8,08" in texts and "7.63" not in texts
    assert "8,05" not in texts  # the missing base score
    assert "Điểm số" in texts and "Năm 2022" in texts and "Năm 2023" in texts
    assert "8. Tính năng động và hiệu lực của hệ thống" in texts  # the DDCI names fit on one line
    long_name = " ".join(["Chỉ số có tên rất dài"] * 4)
    fig, _font = _draw([long_name, "Ngắn"], 2022, [1.0, 2.0], 2023, [1.5, 2.5])
    assert "\n" in fig.axes[0].get_yticklabels()[0].get_text()  # a longer one wraps
    out = score_chart_png(**chart_args(), out=tmp_path / "sub" / "chart.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError):
        score_chart_png(["a"], 2022, [1.0, 2.0], 2023, [1.0], tmp_path / "bad.png")

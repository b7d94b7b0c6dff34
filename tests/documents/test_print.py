"""Print checks through LibreOffice: what a clerk would see on paper.

Converted with ``xl_addin.documents.pdf.to_pdf`` and read back with ``pdftotext -layout``. Skipped
when LibreOffice or poppler is missing, except under CI (env ``CI`` set), where a missing
tool is a failure: the layout promises below are only proven by these tests.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.support.docs_samples import bao_cao_context, chart_args, ke_hoach_context
from tests.support.libreoffice import require_libreoffice
from xl_addin.core.errors import DdciError
from xl_addin.documents import pdf
from xl_addin.documents.chart import score_chart_png
from xl_addin.documents.nd30_styles import MARGIN_BOTTOM
from xl_addin.documents.render import render_document
from xl_addin.documents.word_templates import BAO_CAO, KE_HOACH, build_templates


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Page texts (NFC) of both sample documents printed to PDF."""
    require_libreoffice(pdftotext=True)
    work = tmp_path_factory.mktemp("pdf")
    templates = {p.name: p for p in build_templates(work / "templates")}
    png = score_chart_png(**chart_args(), out=work / "chart.png")
    docs = {
        "kh": render_document(templates[KE_HOACH], ke_hoach_context(), work / "ke_hoach.docx"),
        "bc": render_document(
            templates[BAO_CAO], bao_cao_context(20), work / "bao_cao.docx", images={"appendix_chart": png}
        ),
    }
    pages: dict[str, list[str]] = {}
    for key, out in zip(docs, pdf.convert_all(list(docs.values()), work / "pdf", "pdf"), strict=True):
        text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True, capture_output=True).stdout.decode(
            "utf-8"
        )
        pages[key] = [unicodedata.normalize("NFC", page) for page in text.split("\f") if page.strip()]
    return pages


def _lines(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.strip()]


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", ["kh", "bc"])
def test_header_lines_each_on_one_line(pdfs: dict[str, list[str]], key: str) -> None:
    first = pdfs[key][0]
    lines = _lines(first)
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in lines), first[:600]
    assert any("Độc lập - Tự do - Hạnh phúc" in line for line in lines), first[:600]
    date = {"kh": r"Lạng Sơn, ngày\s+tháng 02 năm 2024", "bc": r"Lạng Sơn, ngày 05 tháng 4 năm 2024"}[key]
    assert any(re.search(date, line) for line in lines), first[:900]
    # Quốc hiệu and the agency share the first printed line (two-column header).
    assert "UBND TỈNH LẠNG SƠN" in lines[0] and "CỘNG HÒA" in lines[0]


@pytest.mark.libreoffice
@pytest.mark.parametrize("key", ["kh", "bc"])
def test_page_numbers_from_page_two(pdfs: dict[str, list[str]], key: str) -> None:
    pages = pdfs[key]
    assert len(pages) >= 2
    assert not any(line.strip() in ("1", "- 1 -") for line in _lines(pages[0]))
    assert _lines(pages[1])[0].strip() == "2"


@pytest.mark.libreoffice
def test_appendix_numbering_restarts(pdfs: dict[str, list[str]]) -> None:
    pages = pdfs["bc"]
    start = next(i for i, page in enumerate(pages) if _lines(page)[0].strip() == "Phụ lục")
    assert start >= 1  # the appendix opens a new page, without a number
    assert len(pages) > start + 1, "sample appendix should run over two pages"
    assert _lines(pages[start + 1])[0].strip() == "2"


def _sentence(i: int) -> str:
    return f"Đơn vị số {i:03d} đã hoàn thành phần việc được giao trong kỳ báo cáo."


@pytest.fixture(scope="module")
def tall_rows(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[int, float]]:
    """Báo cáo whose first task has ``n`` units' results: (sentences printed, worst overflow in pt).

    One paragraph per unit, two lines each: from 20 units on the row is taller than a landscape
    page. LibreOffice moves a row that may not split to the next page and, when it still does
    not fit, prints its text past the table's foot into the margin (where paper cuts it off).
    The overflow is how far the lowest word reaches below the page's text area.
    """
    require_libreoffice(pdftotext=True)
    work = tmp_path_factory.mktemp("tall")
    template = {p.name: p for p in build_templates(work / "templates")}[BAO_CAO]
    png = score_chart_png(**chart_args(), out=work / "chart.png")
    docs = {}
    for n in (20, 24, 28):
        ctx = bao_cao_context(3)
        ctx["appendix"]["progress_rows"][0]["results"] = "\a".join(f"- {_sentence(i)}" for i in range(1, n + 1))
        docs[n] = render_document(template, ctx, work / f"cao_{n}.docx", images={"appendix_chart": png})
    out: dict[int, tuple[int, float]] = {}
    for n, printed in zip(docs, pdf.convert_all(list(docs.values()), work / "pdf", "pdf"), strict=True):
        boxes = subprocess.run(
            ["pdftotext", "-bbox", str(printed), "-"], check=True, capture_output=True
        ).stdout.decode("utf-8")
        worst = 0.0
        for height, body in re.findall(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', boxes, re.S):
            floor = float(height) - MARGIN_BOTTOM * 72 / 25.4
            worst = max([worst] + [float(y) - floor for y in re.findall(r'yMax="([\d.]+)"', body)])
        text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", re.sub(r"<[^>]+>", " ", boxes)))
        out[n] = (sum(1 for i in range(1, n + 1) if f"Đơn vị số {i:03d}" in text), worst)
    return out


@pytest.mark.libreoffice
@pytest.mark.parametrize("n", [20, 24, 28])
def test_tall_result_row_continues_on_the_next_page(tall_rows: dict[int, tuple[int, float]], n: int) -> None:
    printed, overflow = tall_rows[n]
    assert printed == n
    assert overflow < 3, f"text {overflow:.1f} pt below the text area: cut off on paper"


@pytest.mark.libreoffice
def test_vietnamese_text_survives(pdfs: dict[str, list[str]]) -> None:
    kh = "\n".join(pdfs["kh"])
    bc = "\n".join(pdfs["bc"])
    for needle in (
        "Độc lập - Tự do - Hạnh phúc",
        "Nơi nhận",
        "Thiều",
        "KẾ HOẠCH",
        "Chỉ số “Chi phí thời gian”",
        "Lưu: VT, VP.",
    ):
        assert needle in kh, needle
    for needle in (
        "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.",
        "KT. GIÁM ĐỐC",
        "Ngô Viết Hải",
        "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ",
        "Tính minh bạch và tiếp cận thông tin",
    ):
        assert needle in bc, needle


def test_to_pdf_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(DdciError, match="Không tìm thấy LibreOffice"):
        pdf.to_pdf(tmp_path / "x.docx", tmp_path)


def test_to_pdf_reports_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'lỗi giả' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    docx = tmp_path / "a.docx"
    docx.write_bytes(b"x")
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("shell script stand-in")
    with pytest.raises(DdciError, match="mã thoát 3"):
        pdf.to_pdf(docx, tmp_path / "out")


def test_convert_all_names_the_file_that_was_not_converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several files in one LibreOffice start: a result that did not appear is named, not passed over."""
    if sys.platform == "win32":  # pragma: no cover
        pytest.skip("shell script stand-in")
    fake = tmp_path / "soffice"
    fake.write_text(  # writes the first file's PDF only, and exits 0 as LibreOffice does
        '#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\nout="$2"; shift 2\n'
        'echo pdf > "$out/$(basename "$1" .docx).pdf"\nexit 0\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    first, second = tmp_path / "mot.docx", tmp_path / "hai.docx"
    for doc in (first, second):
        doc.write_bytes(b"x")
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    with pytest.raises(DdciError, match=re.escape("«hai.docx»")) as caught:
        pdf.convert_all([first, second], tmp_path / "out", "pdf")
    assert "mot.docx" not in str(caught.value)
    assert pdf.convert_all([first], tmp_path / "out", "pdf") == [(tmp_path / "out" / "mot.pdf").resolve()]
    (tmp_path / "b").mkdir()
    with pytest.raises(ValueError, match="stem"):
        pdf.convert_all([first, tmp_path / "b" / "mot.docx"], tmp_path / "out", "pdf")

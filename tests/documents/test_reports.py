"""The Kế hoạch and Báo cáo rendered from real workspace data: golden text, numbers, CLI behaviour.

Golden files hold extracted text (``docx_lines``), never .docx bytes. To refresh them after a
deliberate change, run ``python -m tests.documents.test_reports`` and read the diff before committing.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.support.docs_samples import docx_lines
from xl_addin.actions import init_workspace, make_report
from xl_addin.cli import main
from xl_addin.excel.ports import FilePort
from xl_addin.tools.demo import fill_demo_inbox

GOLDEN = Path(__file__).parent / "golden"


def _ke_hoach(root: Path) -> Path:
    return make_report(FilePort(root), "ke-hoach").output


def _bao_cao(root: Path) -> Path:
    fill_demo_inbox(FilePort(root))
    return make_report(FilePort(root), "bao-cao").output


class DemoRun(NamedTuple):
    root: Path
    out: str
    err: str
    code: int


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """``ddci demo`` once, as a clerk runs it, on a machine whose only Liberation Serif lacks the Vietnamese
    letters, with any warning that escapes the run log turned into an error."""
    import contextlib
    import io

    import xl_addin.documents.fonts
    from tests.support.font_fixtures import old_machine_fonts

    tmp = tmp_path_factory.mktemp("demo")
    (tmp / "fonts").mkdir()
    old_fonts = old_machine_fonts(tmp / "fonts")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        mp.setattr(xl_addin.documents.fonts, "_matplotlib_regular_fonts", lambda: old_fonts)
        warnings.simplefilter("error")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["demo", str(tmp / "d")])
    return DemoRun(tmp / "d", out.getvalue(), err.getvalue(), code)


@pytest.fixture(scope="module")
def demo_docs(demo_run: DemoRun) -> tuple[Path, Path]:
    """The demo's Kế hoạch and Báo cáo (the same documents a clerk gets from ``ddci demo``)."""
    reports = demo_run.root / "bao_cao"
    return reports / "Ke_hoach_nang_cao_DDCI_2024.docx", reports / "Bao_cao_ket_qua_DDCI_thang_3_nam_2024.docx"


def test_ke_hoach_golden(demo_docs: tuple[Path, Path]) -> None:
    expected = (GOLDEN / "ke_hoach_seed.txt").read_text(encoding="utf-8").splitlines()
    assert docx_lines(demo_docs[0]) == expected


def test_bao_cao_golden(demo_docs: tuple[Path, Path]) -> None:
    expected = (GOLDEN / "bao_cao_demo.txt").read_text(encoding="utf-8").splitlines()
    assert docx_lines(demo_docs[1]) == expected


def _points(paragraph, run) -> float:
    """The size a run prints at: its own, else its paragraph style's (or a base style's)."""
    if run.font.size is not None:
        return run.font.size.pt
    style = paragraph.style
    while style is not None and style.font.size is None:
        style = style.base_style
    assert style is not None, paragraph.text
    return style.font.size.pt


@pytest.mark.libreoffice
def test_demo_bao_cao_prints_in_twelve_pages_at_legible_sizes(demo_docs: tuple[Path, Path], tmp_path: Path) -> None:
    """The demo Báo cáo (18 tasks, 7 units' results) through LibreOffice: at most 12 pages, no text under 12 pt
    in the body and 11 pt in the tables (ND30 prints the Nơi nhận list at 11 pt)."""
    import subprocess

    from docx import Document

    from tests.support.libreoffice import require_libreoffice
    from xl_addin.documents.pdf import to_pdf

    require_libreoffice(pdftotext=True)
    pdf = to_pdf(demo_docs[1], tmp_path)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) <= 12, len(pages)
    doc = Document(str(demo_docs[1]))
    body = [(p, r) for p in doc.paragraphs for r in p.runs if r.text.strip()]
    cells = [(p, r) for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert body and cells
    assert min(_points(p, r) for p, r in body) >= 12
    assert min(_points(p, r) for p, r in cells if r.text.strip()) >= 11


def test_ke_hoach_numbers_are_computed_not_copied(demo_docs: tuple[Path, Path]) -> None:
    text = "\n".join(docx_lines(demo_docs[0]))
    assert "Năm 2023 (xếp thứ 24/25) giảm 01 bậc so với năm 2022 (xếp thứ 23/25)." in text  # seed said "tăng"
    assert "Năm 2023 (7,63 điểm) giảm 0,45 điểm so với năm 2022 (8,08 điểm)." in text
    assert "топ" not in text and "Thiệu" not in text
    keep = text.index("(1) TIẾP TỤC PHÁT HUY")
    fix = text.index("(2) PHẤN ĐẤU THỰC HIỆN KHẮC PHỤC 06 CHỈ SỐ")
    assert keep < text.index("Chỉ số thứ 4: Chỉ số “Cạnh tranh bình đẳng”") < fix
    assert text.index("Chỉ số thứ 1: Chỉ số “Tính minh bạch") > fix
    assert "- Lưu: VT, VP." in text


def test_bao_cao_structure(demo_docs: tuple[Path, Path]) -> None:
    lines = docx_lines(demo_docs[1])
    text = "\n".join(lines)
    assert "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn." in text
    for heading in (
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
        "II. KẾT QUẢ THỰC HIỆN",
        "III. TỒN TẠI, HẠN CHẾ, KHÓ KHĂN",
        "IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
        "V. ĐỀ XUẤT, KIẾN NGHỊ",
    ):
        assert heading in text, heading
    signature = next(line for line in lines if "Nơi nhận:" in line)
    recipients = signature.split(" | ")[0].split(" / ")
    assert recipients[:2] == ["Nơi nhận:", "- Như trên;"] and recipients[-1] == "- Lưu: VT, VP."
    assert "chưa nộp: Trung tâm Quan trắc tài nguyên và môi trường" in text
    assert "(nộp muộn: Phòng Quản lý đất đai)" in text
    assert "Phụ lục" in text


def test_office_paragraphs_in_their_section(tmp_path: Path) -> None:
    """NoiDungBoSung rows print as typed in the body style: the Kế hoạch's mục IV inside khoản 2, as the seed
    has them; a Báo cáo's at the end of their mục, in their order."""
    from dataclasses import replace

    from docx import Document

    from xl_addin.core.contracts import ReportKind
    from xl_addin.core.model import OfficeText
    from xl_addin.plan.seed import seed_plan

    plan = seed_plan()
    extra = (
        OfficeText(ReportKind.REPORT, "IV", 2, "- Đẩy mạnh cấp Giấy chứng nhận quyền sử dụng đất cho doanh nghiệp."),
        OfficeText(ReportKind.REPORT, "IV", 1, "- Phối hợp nâng cao chỉ số PCI, PGI của tỉnh."),
        OfficeText(ReportKind.REPORT, "I", 1, "Giám đốc Sở chủ trì hội nghị sơ kết quý I."),
    )
    root = tmp_path / "ws"
    init_workspace(root, replace(plan, paragraphs=plan.paragraphs + extra))
    kh = docx_lines(_ke_hoach(root))
    first = next(i for i, line in enumerate(kh) if line.startswith("- Giao Văn phòng Đăng ký đất đai thực hiện"))
    assert kh[first - 1].startswith("- Giao Trưởng các phòng, đơn vị thuộc Sở có trách nhiệm")
    assert kh[first + 1].startswith("- Giao Chi cục Bảo vệ môi trường, Phòng Quản lý Tài nguyên nước")
    assert kh[first + 1].endswith("đảm bảo chỉ số PGI của tỉnh nằm trong thứ hạng cao của cả nước.")
    assert kh[first + 2] == "3. Giao Văn phòng Sở:"
    out = make_report(FilePort(root), "bao-cao").output
    bc = docx_lines(out)
    v = bc.index("V. ĐỀ XUẤT, KIẾN NGHỊ")
    assert bc[v - 2 : v] == [extra[1].text, extra[0].text]
    assert bc[bc.index("II. KẾT QUẢ THỰC HIỆN TRONG THÁNG 3 NĂM 2024") - 1] == extra[2].text
    styles = {p.text: p.style.name for p in Document(str(out)).paragraphs}
    assert {styles[t.text] for t in extra} == {"Normal"}  # ND30 Nội dung: 14 pt, justified, 1 cm indent


def test_report_never_overwrites_silently(workspace: Path, capsys) -> None:
    assert main(["report", str(workspace), "--kind", "ke-hoach"]) == 0
    assert main(["report", str(workspace), "--kind", "ke-hoach"]) == 0
    names = sorted(p.name for p in (workspace / "bao_cao").glob("*.docx"))
    assert names == ["Ke_hoach_nang_cao_DDCI_2024 (2).docx", "Ke_hoach_nang_cao_DDCI_2024.docx"]
    out = workspace / "kh.docx"
    assert main(["report", str(workspace), "--kind", "ke-hoach", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["report", str(workspace), "--kind", "ke-hoach", "--out", str(out)]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["report", str(workspace), "--kind", "ke-hoach", "--out", str(out), "--force"]) == 0


def test_report_number_and_date(workspace: Path) -> None:
    import datetime as dt

    out = make_report(FilePort(workspace), "ke-hoach", number=5, date=dt.date(2024, 2, 5)).output
    text = "\n".join(docx_lines(out))
    assert "Số: 05/KH-STNMT" in text and "Lạng Sơn, ngày 05 tháng 02 năm 2024" in text
    out = make_report(FilePort(workspace), "ke-hoach", number=12, date=dt.date(2024, 3, 12)).output
    assert "ngày 12 tháng 3 năm 2024" in "\n".join(docx_lines(out))


def test_user_template_override_and_preflight(workspace: Path) -> None:
    from docx import Document

    from xl_addin.documents.template_files import choose_template

    custom = workspace / "templates" / "ke_hoach.docx"
    custom.parent.mkdir()
    doc = Document(str(choose_template(None, "ke_hoach.docx")))
    doc.add_paragraph("Ghi chú riêng: {{ ghi_chu_rieng }}")
    doc.save(custom)
    outcome = make_report(FilePort(workspace), "ke-hoach")
    assert any("ghi_chu_rieng" in n for n in outcome.notes)


def test_unknown_kind_and_bad_date(workspace: Path, capsys) -> None:
    assert main(["report", str(workspace), "--kind", "ke-hoach", "--date", "31/02/2024"]) == 2  # usage
    assert "ngày/tháng/năm" in capsys.readouterr().err


@pytest.mark.libreoffice
def test_report_pdf(workspace: Path) -> None:
    from tests.support.libreoffice import require_libreoffice

    require_libreoffice()
    assert main(["report", str(workspace), "--kind", "ke-hoach", "--pdf"]) == 0
    assert list((workspace / "bao_cao").glob("*.pdf"))


def test_demo_cli_end_to_end(demo_run: DemoRun, tmp_path: Path) -> None:
    """The whole demo, on a machine whose only Liberation Serif lacks the Vietnamese letters: no warning."""
    assert demo_run.code == 0
    assert "Warning" not in demo_run.err and "warn" not in demo_run.err.lower()
    assert not (demo_run.root / ".ddci" / "logs" / "ddci.log").exists()  # nothing was even logged
    for needle in (
        "master.xlsx",
        "bien_dong_chi_so.xlsx",
        "kiem_tra_2024-03.xlsx",
        "tong_hop_2024-03.xlsx",
        "Ke_hoach_nang_cao_DDCI_2024.docx",
        "Bao_cao_ket_qua_DDCI_thang_3_nam_2024.docx",
    ):
        assert needle in demo_run.out, needle
    assert "2 lỗi" in demo_run.out
    for line in demo_run.out.splitlines():
        if ": /" in line:
            assert Path(line.split(": ", 1)[1]).exists(), line
    # A second run refuses to overwrite; --force replaces a demo folder (a copy, so the shared one stays).
    import shutil

    copy = Path(shutil.copytree(demo_run.root, tmp_path / "d"))
    assert main(["demo", str(copy)]) == 1
    marker = copy / "nop" / "them_boi_nguoi_dung.txt"
    marker.write_text("x", encoding="utf-8")
    assert main(["demo", str(copy), "--force"]) == 0
    assert not marker.exists() and (copy / "bao_cao" / "Bao_cao_ket_qua_DDCI_thang_3_nam_2024.docx").is_file()


def _refresh() -> None:
    """Rewrite every golden text file: the demo documents and the rendered samples."""
    import tempfile

    from tests.support.docs_samples import bao_cao_context, bao_cao_period_context, ke_hoach_context
    from xl_addin.documents.render import render_document
    from xl_addin.documents.word_templates import BAO_CAO, KE_HOACH, build_templates

    def write(name: str, docx: Path) -> None:
        (GOLDEN / name).write_text("\n".join(docx_lines(docx)) + "\n", encoding="utf-8")
        print(GOLDEN / name, file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        init_workspace(root)
        GOLDEN.mkdir(exist_ok=True)
        for name, make in (("ke_hoach_seed.txt", _ke_hoach), ("bao_cao_demo.txt", _bao_cao)):
            write(name, make(root))
        templates = {p.name: p for p in build_templates(Path(tmp) / "templates")}
        samples = (
            ("sample_ke_hoach.txt", KE_HOACH, ke_hoach_context()),
            ("sample_bao_cao.txt", BAO_CAO, bao_cao_context(3)),
            ("sample_bao_cao_nam.txt", BAO_CAO, bao_cao_period_context()),
        )
        for name, template, ctx in samples:
            write(name, render_document(templates[template], ctx, Path(tmp) / name.replace(".txt", ".docx")))
    from tests.documents.test_period_reports import _refresh as refresh_periods

    refresh_periods(GOLDEN)
    print(GOLDEN / "bao_cao_2024_H1.txt", file=sys.stderr)


if __name__ == "__main__":
    _refresh()

"""Regenerate the README pictures from a fresh demo workspace, rendered by LibreOffice.

    python docs/make_images.py

Needs LibreOffice (soffice) and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from xl_addin.documents.pdf import find_soffice, to_pdf
from xl_addin.tools.demo import run_demo

IMG = Path(__file__).resolve().parent / "img"


def _page(pdf: Path, page: int, dest: Path, dpi: int = 80, crop: tuple[int, int] | None = None) -> None:
    """Render one page; ``crop`` keeps the top-left (width, height) pixels, for readable table pictures."""
    stem = dest.with_suffix("")
    area = ["-x", "0", "-y", "0", "-W", str(crop[0]), "-H", str(crop[1])] if crop else []
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            *area,
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )


def _page_with(pdf: Path, needle: str) -> int:
    """The number of the first page whose text holds ``needle``."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return next(i for i, page in enumerate(text.split("\f"), 1) if needle in page)


def main() -> None:
    if find_soffice() is None:
        raise SystemExit("LibreOffice (soffice) is needed")
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        result = run_demo(tmp_path / "demo")
        outputs = dict(result.outputs)
        docs = tmp_path / "pdf"
        docs.mkdir()
        kh = to_pdf(outputs["Kế hoạch (Word)"], docs)
        bc = to_pdf(outputs["Báo cáo (Word)"], docs)
        _page(kh, 1, IMG / "ke_hoach_p1.png")
        _page(bc, 1, IMG / "bao_cao_p1.png")
        _page(bc, _page_with(bc, "TIẾN ĐỘ THỰC HIỆN CÁC NHIỆM VỤ"), IMG / "bao_cao_phu_luc.png", dpi=110)
        _page(bc, _page_with(bc, "Điểm số các chỉ số thành phần"), IMG / "bao_cao_bieu_do.png", dpi=110)
        master = to_pdf(outputs["Bảng tính chính"], docs)
        _page(master, 1, IMG / "master_bang_dieu_khien.png", dpi=110, crop=(900, 440))
        _page(master, 4, IMG / "master_chi_so.png", dpi=150, crop=(1750, 700))
        pdf_tong_hop = to_pdf(outputs["Bảng tổng hợp"], docs)
        _page(pdf_tong_hop, 1, IMG / "tong_hop_tien_do.png", dpi=150, crop=(1750, 600))


if __name__ == "__main__":
    main()

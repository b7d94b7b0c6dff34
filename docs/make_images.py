"""Regenerate the README pictures from a fresh demo workspace, rendered by LibreOffice.

    python docs/make_images.py

Needs LibreOffice (soffice) and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from xl_addin.demo import run_demo
from xl_addin.pdf import find_soffice

IMG = Path(__file__).resolve().parent / "img"


def _pdf(soffice: str, source: Path, out: Path, profile: Path) -> Path:
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir",
         str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )
    return out / f"{source.stem}.pdf"


def _page(pdf: Path, page: int, dest: Path, dpi: int = 80, crop: tuple[int, int] | None = None) -> None:
    """Render one page; ``crop`` keeps the top-left (width, height) pixels, for readable table pictures."""
    stem = dest.with_suffix("")
    area = ["-x", "0", "-y", "0", "-W", str(crop[0]), "-H", str(crop[1])] if crop else []
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), *area, "-singlefile",
                    str(pdf), str(stem)], check=True)


def main() -> None:
    soffice = find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed")
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        result = run_demo(tmp_path / "demo")
        outputs = dict(result.outputs)
        profile = tmp_path / "profile"
        docs = tmp_path / "pdf"
        docs.mkdir()
        kh = _pdf(soffice, outputs["Kế hoạch (Word)"], docs, profile)
        bc = _pdf(soffice, outputs["Báo cáo (Word)"], docs, profile)
        _page(kh, 1, IMG / "ke_hoach_p1.png")
        _page(bc, 1, IMG / "bao_cao_p1.png")
        master = _pdf(soffice, outputs["Bảng tính chính"], docs, profile)
        _page(master, 1, IMG / "master_bang_dieu_khien.png", dpi=110, crop=(900, 440))
        _page(master, 4, IMG / "master_chi_so.png", dpi=150, crop=(1750, 700))
        pdf_tong_hop = _pdf(soffice, outputs["Bảng tổng hợp"], docs, profile)
        _page(pdf_tong_hop, 1, IMG / "tong_hop_tien_do.png", dpi=150, crop=(1750, 600))
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    main()

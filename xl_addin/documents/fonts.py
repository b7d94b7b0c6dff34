"""Fonts chosen by what they can draw, never by their name alone.

Debian's old ``fonts-liberation`` (1.07) ships a "Liberation Serif" with the same name as
the 2.x release but without most Vietnamese letters (U+1EA0–U+1EF9: ạ ậ ố ự ỉ ể…). A font
picked by name then draws "Đi▯m s▯" in the chart, and LibreOffice swaps fonts inside words
in the PDF. So every choice here reads the font file's own character map (FreeType, through
matplotlib's ``FT2Font``, which the chart already needs) and checks every character it will
draw. matplotlib ships DejaVu, which covers Vietnamese, so a covering font always exists.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "CHART_FONTS",
    "VIETNAMESE_LETTERS",
    "FontChoice",
    "document_font",
    "missing_characters",
    "pick_font",
]

# Times New Roman is what Nghị định 30 asks for; Liberation Serif 2.x has its metrics and the
# Vietnamese letters; DejaVu ships with matplotlib and covers Vietnamese.
CHART_FONTS = ("Times New Roman", "Liberation Serif", "DejaVu Serif", "DejaVu Sans")

# Every letter Vietnamese writes, lower and upper case (precomposed, NFC).
VIETNAMESE_LETTERS = (
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬBCDĐEÈÉẺẼẸÊỀẾỂỄỆGHIÌÍỈĨỊKLMNOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢPQRSTUÙÚỦŨỤƯỪỨỬỮỰVXYỲÝỶỸỴ"
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


@dataclass(frozen=True)
class FontChoice:
    """A font file and what it lacks of the text it was asked to draw (empty: it has it all)."""

    family: str
    path: Path
    missing: str = ""

    @property
    def covers(self) -> bool:
        return not self.missing


@functools.lru_cache(maxsize=64)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(path).get_charmap())
    except (OSError, RuntimeError, ValueError):
        return frozenset()


def missing_characters(path: Path | str, texts: Iterable[str]) -> str:
    """The characters of ``texts`` that the font file has no glyph for (whitespace is not drawn)."""
    cmap = _charmap(str(path))
    wanted = {ch for text in texts for ch in text if not ch.isspace()}
    return "".join(sorted(ch for ch in wanted if ord(ch) not in cmap))


def _matplotlib_regular_fonts() -> list[tuple[str, Path]]:
    """(family, file) of every upright, regular-weight font matplotlib knows, normal width first."""
    from matplotlib import font_manager

    entries = [
        f for f in font_manager.fontManager.ttflist if f.style == "normal" and f.weight in (400, "normal", "regular")
    ]
    entries.sort(key=lambda f: (f.stretch != "normal", "condensed" in f.fname.lower(), f.fname))
    return [(f.name, Path(f.fname)) for f in entries]


def pick_font(
    texts: Iterable[str],
    families: Iterable[str] = CHART_FONTS,
    fonts: Iterable[tuple[str, Path]] | None = None,
) -> FontChoice:
    """The first of ``families`` with a file that has every character of ``texts``.

    ``fonts`` lists the (family, file) pairs to choose from (matplotlib's own list by
    default; tests pass a restricted one). When no candidate covers everything, the one
    missing the fewest characters is returned with ``missing`` set, so the caller can say so.
    """
    texts = list(texts)
    available = list(fonts) if fonts is not None else _matplotlib_regular_fonts()
    best: FontChoice | None = None
    for family in families:
        for name, path in available:
            if name != family:
                continue
            choice = FontChoice(family, Path(path), missing_characters(path, texts))
            if choice.covers:
                return choice
            if best is None or len(choice.missing) < len(best.missing):
                best = choice
    if best is None:
        raise LookupError(f"none of the fonts {', '.join(families)} is installed")
    return best


# --------------------------------------------------------------------------
# The document font on this machine (what LibreOffice prints the .docx with)
# --------------------------------------------------------------------------


def _fc_match(family: str) -> tuple[str, Path] | None:
    """The family and file fontconfig substitutes for ``family`` (as LibreOffice on Linux does)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        out = subprocess.run(
            [fc_match, "-f", "%{family[0]}\n%{file}", f"{family}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    lines = out.splitlines()
    if len(lines) < 2 or not lines[1]:
        return None
    return lines[0], Path(lines[1])


def document_font(platform: str | None = None, env: Mapping[str, str] | None = None) -> FontChoice | None:
    """The file this machine prints "Times New Roman" with, and the Vietnamese letters it lacks.

    None when no such file can be found (no fontconfig, no Times New Roman in the Windows or
    macOS font folders).
    """
    platform = platform or sys.platform
    environ = os.environ if env is None else env
    candidates: list[tuple[str, Path]] = []
    if platform.startswith("win"):
        candidates.append(("Times New Roman", Path(environ.get("WINDIR", r"C:\Windows")) / "Fonts" / "times.ttf"))
    elif platform == "darwin":
        for folder in ("/System/Library/Fonts/Supplemental", "/Library/Fonts"):
            candidates.append(("Times New Roman", Path(folder) / "Times New Roman.ttf"))
    else:
        found = _fc_match("Times New Roman")
        if found is not None:
            candidates.append(found)
    for family, path in candidates:
        if path.is_file():
            return FontChoice(family, path, missing_characters(path, [VIETNAMESE_LETTERS]))
    return None

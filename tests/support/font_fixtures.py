"""Fonts for the tests: matplotlib's DejaVu, and a stand-in for Debian's old Liberation Serif 1.07.

The stand-in is DejaVu Serif renamed "Liberation Serif" with the letters the 1.07 release
lacks cut out (Ơ ơ Ư ư and U+1EA0–U+1EF9: ạ ậ ố ự ỉ ể…, and the combining marks), made with fontTools (a matplotlib
dependency), so the test runs the same on every machine, whatever fonts it has.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib


def dejavu(name: str = "DejaVuSerif.ttf") -> Path:
    """A font file shipped inside matplotlib."""
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def old_liberation(out: Path) -> Path:
    """Write a "Liberation Serif" without the Vietnamese letters Liberation 1.07 lacks."""
    import logging

    from fontTools import subset, ttLib

    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset": expected

    font = ttLib.TTFont(str(dejavu()))
    # Combining marks go too: a shaping engine would otherwise build ạ from a + U+0323.
    dropped = {0x1A0, 0x1A1, 0x1AF, 0x1B0, *range(0x1EA0, 0x1EFA), *range(0x300, 0x370)}
    keep = [c for c in font.getBestCmap() if c not in dropped]
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Liberation Serif"
    font.save(str(out))
    return out


def old_machine_fonts(folder: Path) -> list[tuple[str, Path]]:
    """The (family, file) list of a machine with only the old Liberation and DejaVu."""
    return [
        ("Liberation Serif", old_liberation(folder / "LiberationSerif-Regular.ttf")),
        ("DejaVu Serif", dejavu("DejaVuSerif.ttf")),
        ("DejaVu Sans", dejavu("DejaVuSans.ttf")),
    ]

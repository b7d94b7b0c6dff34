"""Bar chart of indicator scores (two years) for the Báo cáo appendix.

Why it is built this way:

* Horizontal bars with the indicator names on the vertical axis: eight names of up to 40
  letters cannot sit side by side under vertical bars at 16 cm without running into each
  other; stacked on the left, each gets a full line of its own.
* The font is chosen by what it can draw (``fonts.pick_font``): every string of the chart is
  known before drawing, and the first of Times New Roman → Liberation Serif → DejaVu Serif →
  DejaVu Sans whose character map has every letter is used, by file. A Liberation Serif
  without the Vietnamese letters (Debian's old 1.07) never gets to draw a box.
* matplotlib is imported lazily, and through ``Figure`` + the Agg canvas rather than
  ``pyplot``: importing it costs ~0.5 s that the CLI should not pay unless a chart is
  drawn, and the Agg canvas needs no display and changes no global backend state.
* It sits where the reader needs it: under the score and rank table of the appendix, on the
  same landscape page, so it is wide and short (230 × ~77 mm) with each name on one line.
* Drawn at the size it is printed, so font sizes are real points (names and legend 10 pt,
  values 9 pt); values are written the Vietnamese way ("7,63"); missing scores (None) leave
  a gap, never a zero bar.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from xl_addin.core.vnformat import fmt_decimal
from xl_addin.documents.fonts import FontChoice, pick_font
from xl_addin.files.atomic import atomic_write

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["chart_texts", "score_chart_png"]

_BASE_COLOR = "#9bb7d4"
_YEAR_COLOR = "#1f4e79"
_NAME_WIDTH = 48  # letters per line of an indicator name on the axis (one line for the DDCI names)
WIDTH_MM = 230  # the width the Word template gives the picture (landscape appendix: 252 mm of text)
WIDTH_IN = WIDTH_MM / 25.4
X_LABEL = "Điểm số"


def _labels(names: Sequence[str]) -> list[str]:
    return [f"{i}. {textwrap.fill(name, _NAME_WIDTH)}" for i, name in enumerate(names, 1)]


def chart_texts(
    names: Sequence[str], base_year: int, base_scores: Sequence[float | None], year: int, scores: Sequence[float | None]
) -> list[str]:
    """Every string the chart draws: what its font must cover."""
    values = [fmt_decimal(float(v)) for v in (*base_scores, *scores) if v is not None]
    ticks = [fmt_decimal(float(v), 0) for v in range(0, 11)]
    return [*_labels(names), *values, *ticks, X_LABEL, f"Năm {base_year}", f"Năm {year}"]


def _draw(
    names: Sequence[str],
    base_year: int,
    base_scores: Sequence[float | None],
    year: int,
    scores: Sequence[float | None],
    *,
    fonts: Iterable[tuple[str, Path]] | None = None,
) -> tuple[Figure, FontChoice]:
    """The chart as a matplotlib ``Figure`` and the font it uses (apart from saving, so tests can read it).

    ``fonts`` restricts the (family, file) pairs the font is chosen from; matplotlib's own
    list by default.
    """
    if not (len(names) == len(base_scores) == len(scores)):
        raise ValueError("names, base_scores and scores must have the same length")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    choice = pick_font(chart_texts(names, base_year, base_scores, year, scores), fonts=fonts)
    font = FontProperties(fname=str(choice.path))

    def sized(size: float) -> FontProperties:
        f = font.copy()
        f.set_size(size)
        return f

    labels = _labels(names)
    lines = sum(label.count("\n") + 1 for label in labels)
    fig = Figure(figsize=(WIDTH_IN, max(2.4, 0.8 + 0.165 * lines + 0.165 * len(names))), dpi=250)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    height = 0.42
    ys = list(range(len(names)))

    def bars(offset: float, values: Sequence[float | None], color: str, label: str) -> None:
        pos = [y + offset for y, v in zip(ys, values, strict=True) if v is not None]
        vals = [float(v) for v in values if v is not None]
        drawn = ax.barh(pos, vals, height, color=color, label=label, edgecolor="white", linewidth=0.5)
        ax.bar_label(drawn, labels=[fmt_decimal(v) for v in vals], padding=2, fontproperties=sized(9))

    bars(-height / 2, base_scores, _BASE_COLOR, f"Năm {base_year}")
    bars(height / 2, scores, _YEAR_COLOR, f"Năm {year}")

    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontproperties=sized(10))
    ax.invert_yaxis()  # indicator 1 at the top, as in the tables
    ax.set_xlabel(X_LABEL, fontproperties=sized(10))
    present = [float(v) for v in (*base_scores, *scores) if v is not None]
    top = max(10.0, *present)  # DDCI scores are out of 10
    ax.set_xlim(0, top * 1.09)  # the margin holds the value labels
    ax.set_xticks(range(0, int(top) + 1))
    ax.xaxis.set_major_formatter(lambda v, _pos: fmt_decimal(v, 0))
    for label in ax.get_xticklabels():
        label.set_fontproperties(sized(9))
    ax.grid(axis="x", linestyle=":", linewidth=0.6, color="#999999")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, prop=sized(10))  # beside: no height taken
    fig.tight_layout()
    return fig, choice


def score_chart_png(
    names: list[str], base_year: int, base_scores: list[float | None], year: int, scores: list[float | None], out: Path
) -> Path:
    """Draw base-year vs year scores per indicator into ``out`` (PNG, 250 dpi) and return it."""
    fig, _font = _draw(names, base_year, base_scores, year, scores)
    out = Path(out)
    with atomic_write(out) as tmp:
        fig.savefig(tmp, format="png")
    return out

"""Grouped bar chart of indicator scores (two years) for the Báo cáo appendix.

Why it is built this way:

* matplotlib is imported lazily, and through ``Figure`` + the Agg canvas rather than
  ``pyplot``: importing it costs ~0.5 s that the CLI should not pay unless a chart is
  drawn, and the Agg canvas needs no display and changes no global backend state.
* Labels are Vietnamese: decimal commas ("7,63" via ``vnformat``), axis titles, wrapped
  indicator names, and a font that has the Vietnamese glyphs (Liberation Serif, metric
  twin of Times New Roman, when installed; DejaVu Sans, shipped with matplotlib, otherwise).
* Missing scores (None) leave a gap and no label instead of a misleading zero bar.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .safe_write import atomic_write
from .vnformat import fmt_decimal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["score_chart_png"]

_PREFERRED_FONTS = ("Liberation Serif", "Times New Roman", "DejaVu Serif", "DejaVu Sans")
_BASE_COLOR = "#9bb7d4"
_YEAR_COLOR = "#1f4e79"


def _font_family() -> str:
    from matplotlib import font_manager

    available = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _PREFERRED_FONTS if name in available), "DejaVu Sans")


def _draw(names: Sequence[str], base_year: int, base_scores: Sequence[float | None], year: int,
          scores: Sequence[float | None]) -> Figure:
    """The chart as a matplotlib ``Figure`` (separate from saving so tests can read its texts)."""
    if not (len(names) == len(base_scores) == len(scores)):
        raise ValueError("names, base_scores and scores must have the same length")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _font_family()
    # Drawn at the size it is printed (160 mm wide in the appendix) so font sizes are real points.
    fig = Figure(figsize=(6.3, 3.5), dpi=250)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    n = len(names)
    width = 0.38
    xs = list(range(n))

    def bars(offset: float, values: Sequence[float | None], color: str, label: str) -> None:
        pos = [x + offset for x, v in zip(xs, values, strict=True) if v is not None]
        vals = [float(v) for v in values if v is not None]
        drawn = ax.bar(pos, vals, width, color=color, label=label, edgecolor="white", linewidth=0.5)
        ax.bar_label(drawn, labels=[fmt_decimal(v) for v in vals], padding=1.5, fontsize=7,
                     family=family)

    bars(-width / 2, base_scores, _BASE_COLOR, f"Năm {base_year}")
    bars(width / 2, scores, _YEAR_COLOR, f"Năm {year}")

    ax.set_xticks(xs)
    ax.set_xticklabels([textwrap.fill(name, 15) for name in names], fontsize=7, family=family)
    ax.set_ylabel("Điểm số", family=family, fontsize=8.5)
    ax.set_xlabel("Chỉ số thành phần", family=family, fontsize=8.5)
    present = [float(v) for v in (*base_scores, *scores) if v is not None]
    top = max(present, default=10.0)
    ax.set_ylim(0, max(10.0, top * 1.12))
    ax.yaxis.set_major_formatter(lambda v, _pos: fmt_decimal(v, 0))
    ax.grid(axis="y", linestyle=":", linewidth=0.6, color="#999999")
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 1.12), ncol=2, frameon=False,
              prop={"family": family, "size": 8})
    ax.tick_params(axis="y", labelsize=7)
    for label in ax.get_yticklabels():
        label.set_family(family)
    fig.tight_layout()
    return fig


def score_chart_png(names: list[str], base_year: int, base_scores: list[float | None], year: int,
                    scores: list[float | None], out: Path) -> Path:
    """Draw base-year vs year scores per indicator into ``out`` (PNG, 250 dpi) and return it."""
    fig = _draw(names, base_year, base_scores, year, scores)
    out = Path(out)
    with atomic_write(out) as tmp:
        fig.savefig(tmp, format="png")
    return out

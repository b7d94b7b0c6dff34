"""Fonts chosen by coverage: the chart and the doctor on a machine with only the old Liberation."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import pytest

from tests.support.docs_samples import chart_args
from tests.support.font_fixtures import dejavu, old_liberation, old_machine_fonts
from xl_addin.documents import fonts
from xl_addin.documents.chart import WIDTH_MM, _draw, chart_texts
from xl_addin.documents.fonts import VIETNAMESE_LETTERS, missing_characters, pick_font
from xl_addin.tools.doctor import check_font


@pytest.fixture(scope="module")
def old_fonts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    return old_machine_fonts(tmp_path_factory.mktemp("fonts"))


def test_stand_in_lacks_what_liberation_1_07_lacks(old_fonts: list[tuple[str, Path]]) -> None:
    missing = missing_characters(old_fonts[0][1], [VIETNAMESE_LETTERS])
    for letter in "ạậốựỉểƠư":
        assert letter in missing
    assert "à" not in missing and "Đ" not in missing  # Latin-1 and Latin Extended-A are there
    assert missing_characters(dejavu(), [VIETNAMESE_LETTERS]) == ""


def test_font_with_the_name_but_not_the_letters_is_passed_over(old_fonts: list[tuple[str, Path]]) -> None:
    choice = pick_font(["Điểm số", "Chỉ số thành phần"], fonts=old_fonts)
    assert choice.family == "DejaVu Serif" and choice.covers
    # Text the old font does cover keeps it: the choice is by coverage, in the preferred order.
    assert pick_font(["Năm 2023", "Đà"], fonts=old_fonts).family == "Liberation Serif"


def test_no_covering_font_is_reported_not_hidden(old_fonts: list[tuple[str, Path]]) -> None:
    choice = pick_font(["Điểm số"], fonts=old_fonts[:1])
    assert not choice.covers and choice.missing == "ể ố".replace(" ", "")
    with pytest.raises(LookupError):
        pick_font(["a"], fonts=[])


def _drawn_texts(fig) -> list:
    ax = fig.axes[0]
    return [*ax.texts, *ax.get_yticklabels(), *ax.get_xticklabels(), ax.xaxis.label, *ax.get_legend().get_texts()]


def test_chart_on_a_machine_with_only_old_liberation_has_every_letter(
    old_fonts: list[tuple[str, Path]], tmp_path: Path
) -> None:
    args = chart_args()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph is a matplotlib UserWarning
        fig, choice = _draw(**args, fonts=old_fonts)
        fig.savefig(tmp_path / "chart.png")
    drawn = [t.get_text() for t in _drawn_texts(fig) if t.get_text()]
    assert set(drawn) <= {line for text in chart_texts(**args) for line in [text]}, "chart_texts lists every string"
    assert choice.family == "DejaVu Serif"
    assert missing_characters(choice.path, drawn) == ""
    for text in _drawn_texts(fig):
        assert Path(text.get_fontproperties().get_file()) == choice.path


def test_glyph_check_can_fail(old_fonts: list[tuple[str, Path]], tmp_path: Path) -> None:
    """The negative control: forced onto the old font, matplotlib warns about the missing glyphs."""
    with pytest.warns(UserWarning, match="missing from font"):
        fig, choice = _draw(**chart_args(), fonts=old_fonts[:1])
        fig.savefig(tmp_path / "boxes.png")
    assert not choice.covers


def test_chart_labels_do_not_overlap_and_use_decimal_commas() -> None:
    args = chart_args()
    fig, _choice = _draw(**args)
    fig.canvas.draw()  # lay out as saved
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in _drawn_texts(fig) if t.get_text()]
    for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2):
        assert not box_a.overlaps(box_b), (a, b)
    figure = fig.bbox
    for text, box in boxes:  # nothing is cut at the picture's edge
        assert figure.x0 <= box.x0 and box.x1 <= figure.x1 and figure.y0 <= box.y0 and box.y1 <= figure.y1, text
    values = [t.get_text() for t in fig.axes[0].texts]
    assert "7,63" in values and "8,08" in values and not any("." in v for v in values)
    # Printed at its size in the document (the width the template gives it): no text smaller than 9 pt,
    # the indicator names and the legend 10 pt.
    assert min(t.get_fontsize() for t in _drawn_texts(fig)) >= 9
    assert min(t.get_fontsize() for t in fig.axes[0].get_yticklabels()) >= 10
    assert fig.get_figwidth() == pytest.approx(WIDTH_MM / 25.4, abs=0.01)


def test_doctor_flags_a_document_font_without_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = old_liberation(tmp_path / "old.ttf")
    monkeypatch.setattr(fonts, "_fc_match", lambda family: ("Liberation Serif", old))
    check = check_font("linux")
    assert check.ok is False
    assert "thiếu" in check.detail and "ạ" in check.detail
    assert "fonts-liberation2" in check.fix

    monkeypatch.setattr(fonts, "_fc_match", lambda family: ("DejaVu Serif", dejavu()))
    check = check_font("linux")
    assert check.ok is False and "lệch trang" in check.detail  # covers Vietnamese, wrong metrics

    monkeypatch.setattr(fonts, "_fc_match", lambda family: ("Liberation Serif", dejavu()))
    assert check_font("linux").ok is True

    monkeypatch.setattr(fonts, "_fc_match", lambda family: None)
    assert check_font("linux").ok is False


def test_doctor_reads_times_new_roman_on_windows(tmp_path: Path) -> None:
    (tmp_path / "Fonts").mkdir()
    assert check_font("win32", {"WINDIR": str(tmp_path)}).ok is False
    (tmp_path / "Fonts" / "times.ttf").write_bytes(dejavu().read_bytes())
    check = check_font("win32", {"WINDIR": str(tmp_path)})
    assert check.ok is True and "times.ttf" in check.detail

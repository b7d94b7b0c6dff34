"""Legacy Vietnamese encodings (TCVN3/ABC, VNI): decoding, detection, no false positives."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.support.hostile_corpus import PHRASES as CORPUS_PHRASES
from xl_addin.intake.legacy_encoding import (
    _TCVN3_TO_UNI,
    detect_legacy,
    detect_legacy_many,
    fix_text,
    from_unicode,
    is_vietnamese_syllable,
    to_unicode,
)

PHRASES = [
    *CORPUS_PHRASES,  # the ones the hostile corpus types in legacy fonts
    "Chưa thực hiện",
    "Báo cáo kết quả thực hiện nhiệm vụ tháng 3 năm 2024",
    "Ủy ban nhân dân tỉnh",
    "Nâng cao chỉ số năng lực cạnh tranh cấp sở, ban, ngành và địa phương",
]

# Samples as they are commonly seen in old documents, typed by hand from the fonts'
# code charts (independent of this module's tables).
KNOWN = [
    ("Hoµn thµnh", "tcvn3", "Hoàn thành"),
    ("§ang triÓn khai", "tcvn3", "Đang triển khai"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", "tcvn3", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("§éc lËp - Tù do - H¹nh phóc", "tcvn3", "Độc lập - Tự do - Hạnh phúc"),
    ("Khã kh¨n, v\u00adíng m¾c", "tcvn3", "Khó khăn, vướng mắc"),
    ("Së Tµi nguyªn vµ M«i tr\u00adêng", "tcvn3", "Sở Tài nguyên và Môi trường"),
    ("CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("Hoaøn thaønh", "vni", "Hoàn thành"),
    ("Ñang trieån khai", "vni", "Đang triển khai"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "vni", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni", "Độc lập - Tự do - Hạnh phúc"),
    ("Ñeà xuaát, kieán nghò", "vni", "Đề xuất, kiến nghị"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
]

NOT_LEGACY = [
    # normal Unicode Vietnamese
    "Đang triển khai",
    "Hoàn thành quá hạn",
    "Khó khăn, vướng mắc",
    "Sở Tài nguyên và Môi trường",
    "Tô Hoài",
    "Công ty cổ phần",
    "Lê Văn Tám",
    "Hà Nội",
    "Hoà Bình",
    "Tô Lâm",
    "Cà Mau",
    "Giàng A Páo",
    "Trân trọng cảm ơn!",
    "Số: 123/QĐ-UBND ngày 05/3/2024",
    "Điều 5 § 2",
    # English and other Latin text
    "Progress report for Q1",
    "Résumé — naïve façade at the café",
    "Müller & Søn GmbH",
    "España, señor, año",
    "Price: 10 µm, 25 °C, ±5 %",
    "© 2024 Sở KH&ĐT",
    "Giá: 1.234,50 € (½ năm)",
    # numbers, dates and codes
    "12345",
    "7,63",
    "1.234,5",
    "2024-Q1",
    "VPDKDD",
    "05/03/2024",
    "2024-03-05T10:00:00",
    "KH-UBND",
    "",
    " ",
    "x² + y² = r²",
]


@pytest.mark.parametrize(("legacy", "encoding", "expected"), KNOWN)
def test_known_samples_decode_and_are_detected(legacy: str, encoding: str, expected: str) -> None:
    assert to_unicode(legacy, encoding) == expected
    assert detect_legacy(legacy) == encoding
    assert fix_text(legacy) == (expected, encoding)


@pytest.mark.parametrize("encoding", ["tcvn3", "vni"])
@pytest.mark.parametrize("phrase", PHRASES)
def test_realistic_phrases_round_trip(phrase: str, encoding: str) -> None:
    legacy = from_unicode(phrase, encoding)
    assert legacy != phrase
    assert all(ord(ch) <= 0xFF for ch in legacy), "legacy text must look like Latin-1 mojibake"
    expected = phrase
    if encoding == "tcvn3" and phrase.startswith("Ủ"):
        expected = "ủ" + phrase[1:]  # ABC has no capital Ủ: it was typed with the lowercase code
    assert to_unicode(legacy, encoding) == expected
    assert detect_legacy(legacy) == encoding
    assert fix_text(legacy) == (expected, encoding)


@pytest.mark.parametrize("text", NOT_LEGACY)
def test_no_false_positives(text: str) -> None:
    assert detect_legacy(text) is None
    fixed, encoding = fix_text(text)
    assert encoding is None
    assert fixed == unicodedata.normalize("NFC", text)


def test_no_false_positive_on_whole_columns() -> None:
    assert detect_legacy_many(NOT_LEGACY) is None
    assert detect_legacy_many(["12", "VPDKDD", "2024-Q1", None, 3.5]) is None  # type: ignore[list-item]


def test_column_pools_weak_cells() -> None:
    # Each cell holds a single legacy code: too weak alone, convincing as a column.
    cells = ["Tæng", "Tèt", "B¸o", "Chi"]
    assert [detect_legacy(c) for c in cells] == [None, None, None, None]
    assert detect_legacy_many(cells) == "tcvn3"
    assert [to_unicode(c, "tcvn3") for c in cells] == ["Tổng", "Tốt", "Báo", "Chi"]


def test_nfd_is_normalised() -> None:
    for phrase in PHRASES:
        nfd = unicodedata.normalize("NFD", phrase)
        assert nfd != phrase
        assert detect_legacy(nfd) is None
        assert fix_text(nfd) == (phrase, None)


def test_ascii_and_abbreviations_pass_through() -> None:
    assert to_unicode("UBND 2024-Q1 §", "tcvn3") == "UBND 2024-Q1 Đ"
    assert to_unicode("Soá 12/QÑ-UBND", "vni") == "Số 12/QĐ-UBND"
    assert detect_legacy("Sè 12/Q§-UBND ngµy 5/3/2024 cña UBND tØnh") == "tcvn3"


def test_tcvn3_capitals() -> None:
    assert to_unicode("HOµN THµNH", "tcvn3") == "HOÀN THÀNH"
    assert to_unicode("Së", "tcvn3") == "Sở"  # one capital ASCII letter is not a caps word
    assert from_unicode("HOÀN THÀNH", "tcvn3") == "HOµN THµNH"


def test_unknown_encoding_is_rejected() -> None:
    with pytest.raises(ValueError, match="tcvn3"):
        to_unicode("abc", "viscii")


def test_syllable_check() -> None:
    good = [
        "nghiêng",
        "khuya",
        "quyết",
        "giữa",
        "gì",
        "thuở",
        "được",
        "người",
        "trường",
        "xoong",
        "khuỷu",
        "oai",
        "ấy",
        "ừ",
    ]
    bad = ["ñang", "hoain", "mat", "tieng", "cên", "ngên", "kang", "â", "ă", "wow", "zalo"]
    assert all(is_vietnamese_syllable(w) for w in good), [w for w in good if not is_vietnamese_syllable(w)]
    assert not any(is_vietnamese_syllable(w) for w in bad), [w for w in bad if is_vietnamese_syllable(w)]


@pytest.mark.skipif(shutil.which("iconv") is None, reason="iconv not installed")
def test_tcvn3_table_matches_glibc_iconv() -> None:
    codes = "".join(sorted(_TCVN3_TO_UNI))
    raw = codes.encode("latin-1")
    out = subprocess.run(["iconv", "-f", "TCVN5712-1", "-t", "UTF-8"], input=raw, capture_output=True, check=True)
    assert out.stdout.decode("utf-8") == "".join(_TCVN3_TO_UNI[c] for c in codes)


# --- property test ---------------------------------------------------------------------------

_ADMIN_WORDS = """
kế hoạch nhiệm vụ tiến độ đơn vị phòng ban giao đúng chậm tổng hợp kết quả đánh giá năm tháng quý
chỉ tiêu đạt vượt không thực hiện được đã sẽ đang cần phải ngày văn bản trình ký duyệt sửa đổi bổ sung
hướng dẫn triển khai công việc người phụ trách lãnh đạo chuyển đổi số cải cách hành chính đầu tư
xây dựng nông thôn mới giải ngân vốn
"""
_PHRASE_WORDS = " ".join([*PHRASES, *(k[2] for k in KNOWN)]).lower().replace(",", " ").replace("-", " ")
VOCAB = sorted((set(_PHRASE_WORDS.split()) | set(_ADMIN_WORDS.split())) - {"3", "2024"})


def _representable(text: str, encoding: str) -> bool:
    """ABC (TCVN3) has no capitals with tone marks except in all-caps words."""
    if encoding == "vni":
        return True
    return all(
        from_unicode(ch, encoding) != from_unicode(ch.lower(), encoding)
        or ch == ch.lower()
        or ch in "ĂÂÊÔƠƯĐ"
        or ch.isascii()
        for ch in text
    )


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(VOCAB), min_size=2, max_size=10),
    style=st.sampled_from(["lower", "sentence", "title", "upper"]),
    encoding=st.sampled_from(["tcvn3", "vni"]),
)
def test_encode_detect_decode_round_trip(words: list[str], style: str, encoding: str) -> None:
    text = " ".join(words)
    if style == "sentence":
        text = text[0].upper() + text[1:]
    elif style == "title":
        text = " ".join(w[0].upper() + w[1:] for w in words)
    elif style == "upper":
        text = text.upper()
    legacy = from_unicode(text, encoding)
    # Decoding is exact wherever the encoding can represent the text.
    if style == "upper" and encoding == "tcvn3":
        assume(any(sum(ch.isascii() and ch.isalpha() for ch in w) >= 2 for w in text.split()))
    elif not _representable(text, encoding):
        assume(False)
    assert to_unicode(legacy, encoding) == text
    # Detection never picks the wrong encoding; with enough evidence it picks the right one.
    detected = detect_legacy(legacy)
    assert detected in (encoding, None)
    # Words that only this encoding explains (``chöa`` is VNI "chưa" but also TCVN3 "chửa").
    other = "vni" if encoding == "tcvn3" else "tcvn3"
    decisive = [
        w
        for w in legacy.replace(",", " ").split()
        if to_unicode(w, encoding) != w
        and not is_vietnamese_syllable(w)
        and not is_vietnamese_syllable(to_unicode(w, other))
    ]
    if len(decisive) >= 2:
        assert detected == encoding
    if detected:
        assert fix_text(legacy) == (text, encoding)
    # And the original Unicode text is never taken for legacy text.
    assert detect_legacy(text) is None

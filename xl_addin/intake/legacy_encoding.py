"""Repair Vietnamese text typed in the legacy 8-bit encodings TCVN3 (ABC) and VNI.

Many provincial offices still type with ``.VnTime`` (TCVN3/ABC) or ``VNI-Times`` fonts.
Excel stores each 8-bit code as the Windows-1252 character with the same number, so
when we read such a workbook the cells arrive as mojibake: ``Hoµn thµnh`` (TCVN3) or
``Hoaøn thaønh`` (VNI) instead of ``Hoàn thành``. Every such code lies in U+00A0–U+00FF,
where Windows-1252 and Latin-1 agree, so the tables below are keyed by Unicode
characters, not bytes.

* TCVN3 (TCVN 5712:1993 "VN3", the ABC fonts) is single-byte and precomposed. It has
  all lowercase letters but only the seven untoned uppercase ones (Ă Â Ê Ô Ơ Ư Đ):
  capitals with a tone mark were typed with the lowercase code in a ``.VnTimeH``
  font, which draws lowercase codes as capitals. Decoding therefore yields the
  lowercase letter, and :func:`to_unicode` upper-cases a word whose ASCII letters are
  all capitals (``HOµN`` → ``HOÀN``). Checked against glibc iconv ``TCVN5712-1``,
  whose upper half is VN3 plus a few VN1 capitals that ABC fonts leave empty.
* VNI (VNI-Windows) writes a base letter followed by a mark character: ``aø`` = à,
  ``aâ`` = â, ``aá`` = ấ, ``aê`` = ă …; ``ô``/``ö``/``ñ`` stand alone for ơ/ư/đ and
  the i-family and ỵ have their own codes. Capitals use the capital mark codes
  (``AØ`` = À).

Detection (:func:`detect_legacy`) is deliberately conservative: a false positive
would corrupt correct Unicode text, a false negative only leaves mojibake that a
person will notice. It fires only when the text holds nothing beyond Latin-1 (plus
the Windows-1252 punctuation), when words that contain legacy codes are *not* valid
Vietnamese as they stand but *become* valid Vietnamese syllables after conversion,
and when at least two legacy codes support that reading.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from xl_addin.core.vnformat import nfc

__all__ = [
    "ENCODINGS",
    "detect_legacy",
    "detect_legacy_many",
    "fix_text",
    "from_unicode",
    "is_vietnamese_syllable",
    "to_unicode",
]

ENCODINGS = ("tcvn3", "vni")

# ---------------------------------------------------------------------------
# Tone and vowel-modifier building blocks (combining marks, composed with NFC).
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"
_TONES = ("", _ACUTE, _GRAVE, _HOOK, _TILDE, _DOT)
_TONE_MARKS = frozenset(_TONES[1:])


def _compose(base: str, modifier: str = "", tone: str = "") -> str:
    return unicodedata.normalize("NFC", base + modifier + tone)


# ---------------------------------------------------------------------------
# TCVN3 (ABC): one code per letter.
# fmt: off
_TCVN3_TO_UNI: dict[str, str] = {
    "\u00a1": "Ă", "\u00a2": "Â", "\u00a3": "Ê", "\u00a4": "Ô", "\u00a5": "Ơ", "\u00a6": "Ư", "\u00a7": "Đ",
    "\u00a8": "ă", "\u00a9": "â", "\u00aa": "ê", "\u00ab": "ô", "\u00ac": "ơ", "\u00ad": "ư", "\u00ae": "đ",
    # a
    "\u00b5": "à", "\u00b6": "ả", "\u00b7": "ã", "\u00b8": "á", "\u00b9": "ạ",
    # ă
    "\u00bb": "ằ", "\u00bc": "ẳ", "\u00bd": "ẵ", "\u00be": "ắ", "\u00c6": "ặ",
    # â
    "\u00c7": "ầ", "\u00c8": "ẩ", "\u00c9": "ẫ", "\u00ca": "ấ", "\u00cb": "ậ",
    # e
    "\u00cc": "è", "\u00ce": "ẻ", "\u00cf": "ẽ", "\u00d0": "é", "\u00d1": "ẹ",
    # ê
    "\u00d2": "ề", "\u00d3": "ể", "\u00d4": "ễ", "\u00d5": "ế", "\u00d6": "ệ",
    # i
    "\u00d7": "ì", "\u00d8": "ỉ", "\u00dc": "ĩ", "\u00dd": "í", "\u00de": "ị",
    # o
    "\u00df": "ò", "\u00e1": "ỏ", "\u00e2": "õ", "\u00e3": "ó", "\u00e4": "ọ",
    # ô
    "\u00e5": "ồ", "\u00e6": "ổ", "\u00e7": "ỗ", "\u00e8": "ố", "\u00e9": "ộ",
    # ơ
    "\u00ea": "ờ", "\u00eb": "ở", "\u00ec": "ỡ", "\u00ed": "ớ", "\u00ee": "ợ",
    # u
    "\u00ef": "ù", "\u00f1": "ủ", "\u00f2": "ũ", "\u00f3": "ú", "\u00f4": "ụ",
    # ư
    "\u00f5": "ừ", "\u00f6": "ử", "\u00f7": "ữ", "\u00f8": "ứ", "\u00f9": "ự",
    # y
    "\u00fa": "ỳ", "\u00fb": "ỷ", "\u00fc": "ỹ", "\u00fd": "ý", "\u00fe": "ỵ",
}
# fmt: on
_UNI_TO_TCVN3: dict[str, str] = {uni: code for code, uni in _TCVN3_TO_UNI.items()}
# Capitals with a tone have no code of their own: ABC users typed the lowercase code.
for _code, _uni in list(_TCVN3_TO_UNI.items()):
    if _uni.islower() and _uni.upper() not in _UNI_TO_TCVN3:
        _UNI_TO_TCVN3[_uni.upper()] = _code
_TCVN3_LOWER_ONLY = frozenset(u for u in _TCVN3_TO_UNI.values() if u.islower() and u.upper() not in "ĂÂÊÔƠƯĐ")

# ---------------------------------------------------------------------------
# VNI (VNI-Windows): base letter + mark code; a few letters stand alone.
# Mark codes in tone order (none, acute, grave, hook, tilde, dot); lowercase, then capital.
_VNI_PLAIN_TONES = ("", "\u00f9", "\u00f8", "\u00fb", "\u00f5", "\u00ef")  # ù ø û õ ï
_VNI_CIRC_TONES = ("\u00e2", "\u00e1", "\u00e0", "\u00e5", "\u00e3", "\u00e4")  # â á à å ã ä
_VNI_BREVE_TONES = ("\u00ea", "\u00e9", "\u00e8", "\u00fa", "\u00fc", "\u00eb")  # ê é è ú ü ë
_VNI_I = ("i", "\u00ed", "\u00ec", "\u00e6", "\u00f3", "\u00f2")  # i í ì æ ó ò
_VNI_Y_DOT = "\u00ee"  # î = ỵ
_VNI_O_HORN, _VNI_U_HORN, _VNI_D_BAR = "\u00f4", "\u00f6", "\u00f1"  # ô = ơ, ö = ư, ñ = đ


def _build_vni() -> tuple[dict[str, str], dict[tuple[str, str], str], dict[str, str]]:
    """Unicode→VNI table, (base, mark)→Unicode pairs and stand-alone codes→Unicode."""
    to_vni: dict[str, str] = {}
    pairs: dict[tuple[str, str], str] = {}
    single: dict[str, str] = {}
    for upper in (False, True):

        def case(s: str, up: bool = upper) -> str:
            return s.upper() if up else s

        # (unicode base, modifier, vni base code, mark table)
        families = [
            ("a", "", "a", _VNI_PLAIN_TONES),
            ("a", _CIRC, "a", _VNI_CIRC_TONES),
            ("a", _BREVE, "a", _VNI_BREVE_TONES),
            ("e", "", "e", _VNI_PLAIN_TONES),
            ("e", _CIRC, "e", _VNI_CIRC_TONES),
            ("o", "", "o", _VNI_PLAIN_TONES),
            ("o", _CIRC, "o", _VNI_CIRC_TONES),
            ("o", _HORN, _VNI_O_HORN, _VNI_PLAIN_TONES),
            ("u", "", "u", _VNI_PLAIN_TONES),
            ("u", _HORN, _VNI_U_HORN, _VNI_PLAIN_TONES),
            ("y", "", "y", _VNI_PLAIN_TONES),
        ]
        for base, modifier, vbase, marks in families:
            for tone, mark in zip(_TONES, marks, strict=True):
                uni = case(_compose(base, modifier, tone))
                code = case(vbase) + case(mark)
                if uni == code:  # plain a, e, o, u, y
                    continue
                to_vni[uni] = code
                if mark:
                    pairs[(case(vbase), case(mark))] = uni
        for tone, code in zip(_TONES, _VNI_I, strict=True):
            if tone:
                to_vni[case(_compose("i", "", tone))] = case(code)
                single[case(code)] = case(_compose("i", "", tone))
        to_vni[case(_compose("y", "", _DOT))] = case(_VNI_Y_DOT)
        single[case(_VNI_Y_DOT)] = case(_compose("y", "", _DOT))
        for code, uni in ((_VNI_O_HORN, "ơ"), (_VNI_U_HORN, "ư"), (_VNI_D_BAR, "đ")):
            to_vni[case(uni)] = case(code)
            single[case(code)] = case(uni)
    # Lenient decoding: a capital base followed by a lowercase mark (or the reverse) still
    # means the same letter; the case follows the base letter.
    for (vbase, mark), uni in list(pairs.items()):
        for other in (mark.lower(), mark.upper()):
            pairs.setdefault((vbase, other), uni.upper() if vbase.isupper() else uni.lower())
    return to_vni, pairs, single


_UNI_TO_VNI, _VNI_PAIRS, _VNI_SINGLE = _build_vni()
_VNI_MARKS = frozenset(mark for _, mark in _VNI_PAIRS)
_VNI_BASES = frozenset(base for base, _ in _VNI_PAIRS)
_VNI_SPECIALS = _VNI_MARKS | frozenset(_VNI_SINGLE)
_TCVN3_SPECIALS = frozenset(_TCVN3_TO_UNI)

# Windows-1252 punctuation that legacy text may legitimately contain (0x80–0x9F).
_CP1252_EXTRAS = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))

# ---------------------------------------------------------------------------
# Conversion


def _caps_word(word: str) -> bool:
    """Two or more ASCII letters, all capitals: the word was typed in capitals."""
    letters = [ch for ch in word if ch.isascii() and ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


_WORDISH = re.compile(r"\w+", re.UNICODE)


def _tcvn3_decode(text: str) -> str:
    """Decode, then restore capitals a ``.VnTimeH`` typist could only type as lowercase.

    A word is upper-cased when it has two or more ASCII letters, all capitals
    (``HOµN`` → ``HOÀN``, but ``Së`` → ``Sở``), or when the cell has such a word and no
    lowercase ASCII letter at all (``§ÞA CHØ`` → ``ĐỊA CHỈ``).
    """
    decoded = "".join(_TCVN3_TO_UNI.get(ch, ch) for ch in text)
    if not any(ch in _TCVN3_LOWER_ONLY for ch in decoded):
        return decoded
    words = _WORDISH.findall(decoded)  # split after decoding: ¸ is not a word character
    cell_caps = any(_caps_word(w) for w in words) and not any(ch.isascii() and ch.islower() for ch in text)

    def fix_case(match: re.Match[str]) -> str:
        word = match.group(0)
        if any(ch in _TCVN3_LOWER_ONLY for ch in word) and (cell_caps or _caps_word(word)):
            return word.upper()
        return word

    return _WORDISH.sub(fix_case, decoded)


def _vni_decode(text: str) -> str:
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if i + 1 < n and ch in _VNI_BASES:
            uni = _VNI_PAIRS.get((ch, text[i + 1]))
            if uni is not None:
                out.append(uni)
                i += 2
                continue
        out.append(_VNI_SINGLE.get(ch, ch))
        i += 1
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str:
    """Decode legacy mojibake (``"tcvn3"`` or ``"vni"``) into NFC Unicode.

    Characters that are not legacy codes pass through unchanged, so ASCII digits,
    punctuation and abbreviations survive. Raises ``ValueError`` for an unknown encoding.
    """
    enc = _normalise_encoding(encoding)
    decoded = _tcvn3_decode(text) if enc == "tcvn3" else _vni_decode(text)
    return nfc(decoded)


def from_unicode(text: str, encoding: str) -> str:
    """Encode Unicode Vietnamese as the legacy mojibake a reader would see.

    Used to build test data and to explain to a clerk what a legacy cell looked like.
    TCVN3 has no capitals with tone marks: they are written with the lowercase code.
    """
    enc = _normalise_encoding(encoding)
    table = _UNI_TO_TCVN3 if enc == "tcvn3" else _UNI_TO_VNI
    return "".join(table.get(ch, ch) for ch in nfc(text))


def _normalise_encoding(encoding: str) -> str:
    key = encoding.strip().lower().replace("_", "-")
    aliases = {"tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vni": "vni", "vni-windows": "vni"}
    if key not in aliases:
        raise ValueError(f"Bảng mã không hỗ trợ: {encoding!r} (chỉ hỗ trợ 'tcvn3' hoặc 'vni').")
    return aliases[key]


# ---------------------------------------------------------------------------
# Vietnamese syllable check (phonotactics, not a dictionary): the detector trusts a
# conversion only when it turns gibberish into well-formed syllables.

# fmt: off
_ONSETS = (
    "ngh", "ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
)
# fmt: on
_STOPS = ("ch", "c", "p", "t")


def _rhymes() -> frozenset[str]:
    codas = {
        "a": "c ch m n ng nh p t i o u y",
        "ă": "c m n ng p t",
        "â": "c m n ng p t u y",
        "e": "c m n ng p t o",
        "ê": "ch nh m n p t u",
        "i": "ch nh m n p t u a",
        "o": "c m n ng p t i",
        "ô": "c m n ng p t i",
        "ơ": "m n p t i",
        "u": "c m n ng p t i a",
        "ư": "c m n ng t i u a",
        "y": "",
        "iê": "c m n ng p t u",
        "yê": "m n ng t u",
        "uô": "c m n ng t i",
        "ươ": "c m n ng p t i u",
        "oa": "c ch m n ng nh p t i y o",
        "oă": "c m n ng t",
        "oe": "n t o",
        "uâ": "n ng t y",
        "uê": "ch nh n",
        "uy": "ch nh n t p u a",
        "uyê": "n t",
        "uơ": "",
        "oo": "c ng",
    }
    open_ok = {"a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "oe", "uê", "uy", "uơ"}
    out: set[str] = set()
    for nucleus, tail in codas.items():
        if nucleus in open_ok:
            out.add(nucleus)
        for coda in tail.split():
            out.add(nucleus + coda)
    return frozenset(out)


_RHYMES = _rhymes()
_FRONT = ("i", "e", "ê", "y")
_VIET_LETTERS = frozenset("abcdđeghiklmnopqrstuvxyăâêôơư")
# Every lowercase NFC character a Vietnamese word may contain: ``ñ`` or ``ö`` are not
# "n/o with a tone", they are foreign letters.
_VIET_CHARS = _VIET_LETTERS | frozenset(_compose(v, "", tone) for v in "aăâeêioôơuưy" for tone in _TONES[1:])


def _split_tone(word: str) -> tuple[str, str] | None:
    """(lowercase letters without tone, tone mark) or None if not Vietnamese letters."""
    lowered = nfc(word.lower())
    if not lowered or any(ch not in _VIET_CHARS for ch in lowered):
        return None
    tone = ""
    base: list[str] = []
    for ch in unicodedata.normalize("NFD", lowered):
        if ch in _TONE_MARKS:
            if tone:
                return None
            tone = ch
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)), tone


def is_vietnamese_syllable(word: str) -> bool:
    """True when ``word`` is a well-formed Vietnamese syllable (any case, NFC or NFD)."""
    split = _split_tone(nfc(word))
    if split is None:
        return False
    letters, tone = split
    for onset in _ONSETS:
        if not letters.startswith(onset):
            continue
        rhyme = letters[len(onset) :]
        if onset == "gi" and not rhyme:
            rhyme = "i"
        if rhyme not in _RHYMES:
            continue
        if onset == "k" and not rhyme.startswith(_FRONT):
            continue
        if onset == "c" and rhyme.startswith(_FRONT):
            continue
        if onset in ("gh", "ngh") and not rhyme.startswith(("i", "e", "ê")):
            continue
        if onset in ("g", "ng") and rhyme.startswith(("e", "ê")):
            continue
        if onset == "qu" and rhyme.startswith(("u", "o")):
            continue
        if rhyme.endswith(_STOPS) and tone not in (_ACUTE, _DOT):
            continue
        return True
    return False


# ---------------------------------------------------------------------------
# Detection


def _is_abbreviation(word: str) -> bool:
    """``QĐ``, ``TĐKT``, ``ĐBSCL``: ASCII capitals with Đ, which legacy text writes as a code."""
    return len(word) >= 2 and "Đ" in word and all(("A" <= ch <= "Z") or ch == "Đ" for ch in word)


def _score(text: str, encoding: str) -> tuple[int, int, int, int]:
    """(evidence words, legacy codes in them, contradicting words, foreign words).

    A word is *evidence* when it contains legacy codes, is not Vietnamese as it stands,
    and decodes to a valid syllable (or to a capitalised abbreviation such as ``QĐ``).
    A word that decodes to nonsense *contradicts* the reading.
    """
    specials = _TCVN3_SPECIALS if encoding == "tcvn3" else _VNI_SPECIALS
    word_re = re.compile("[A-Za-z" + re.escape("".join(sorted(specials))) + "]+")
    evidence = codes = contra = foreign = 0
    for match in word_re.finditer(text):
        word = match.group(0)
        n_codes = sum(ch in specials for ch in word)
        if not n_codes:
            if len(word) >= 2 and not word.isupper() and not is_vietnamese_syllable(word):
                foreign += 1
            continue
        decoded = to_unicode(word, encoding)
        if decoded == nfc(word) or is_vietnamese_syllable(word):
            continue  # reads the same, or is already Vietnamese: no information
        if is_vietnamese_syllable(decoded) or _is_abbreviation(decoded):
            evidence += 1
            codes += n_codes
        else:
            contra += 1
    return evidence, codes, contra, foreign


# Character classes searched in C: every task row's texts pass through _eligible.
_BEYOND_LEGACY = re.compile("[^\x00-\xff" + re.escape("".join(sorted(_CP1252_EXTRAS))) + "]")
_HIGH_LATIN1 = re.compile("[\xa1-\xff]")


def _eligible(text: str) -> bool:
    """Only Latin-1 (plus Windows-1252 punctuation) and at least one non-ASCII code."""
    if not text or text.isascii():
        return False
    if _BEYOND_LEGACY.search(text):
        return False
    return _HIGH_LATIN1.search(text) is not None


def _decide(totals: dict[str, tuple[int, int, int, int]]) -> str | None:
    best: tuple[int, int] | None = None
    winner: str | None = None
    tie = False
    for encoding, (evidence, codes, contra, foreign) in totals.items():
        if evidence < 1 or codes < 2 or contra * 4 > evidence or foreign > 2 * evidence + 1:
            continue
        key = (evidence - contra, codes)
        if best is None or key > best:
            best, winner, tie = key, encoding, False
        elif key == best:
            tie = True
    return None if tie else winner


def detect_legacy(text: str) -> str | None:
    """``"tcvn3"``, ``"vni"`` or None for text that looks like normal Unicode/ASCII.

    Rules (all must hold): nothing outside Latin-1 except Windows-1252 punctuation
    (real Unicode Vietnamese nearly always has ư, ơ, đ, ạ … above U+00FF); at least one
    word is gibberish as it stands but a valid Vietnamese syllable once decoded; at
    least two legacy codes back that up; at most one word in five decodes to nonsense;
    and English words do not outnumber the evidence. When both encodings qualify the
    one with more evidence wins, a tie means "do not know" (None).
    """
    if not _eligible(text):
        return None
    return _decide({encoding: _score(text, encoding) for encoding in ENCODINGS})


def detect_legacy_many(texts: Iterable[str]) -> str | None:
    """Like :func:`detect_legacy` over a whole column or sheet, evidence pooled.

    A single short cell (``Sè``, one code) is too weak on its own; a column typed in
    the same font gives plenty. Cells with characters beyond Latin-1 (real Unicode) are
    left out of the pool, and any of them that *would* decode to nonsense still counts
    against the verdict through the contradiction share.
    """
    totals = {encoding: [0, 0, 0, 0] for encoding in ENCODINGS}
    for text in texts:
        if not isinstance(text, str) or not _eligible(text):
            continue
        for encoding in ENCODINGS:
            for i, value in enumerate(_score(text, encoding)):
                totals[encoding][i] += value
    return _decide({enc: (t[0], t[1], t[2], t[3]) for enc, t in totals.items()})


def fix_text(text: str) -> tuple[str, str | None]:
    """Return (text as NFC Unicode, detected legacy encoding or None).

    NFD text (decomposed diacritics, common from macOS and some web forms) is
    normalised to NFC so that it compares equal to what the clerk typed elsewhere.
    """
    if not text:
        return text, None
    encoding = detect_legacy(text)
    if encoding is None:
        return nfc(text), None
    return to_unicode(text, encoding), encoding

"""Text normalisation shared by training and inference.

Tone-mark convention: the "old" (traditional) placement is used everywhere, i.e. in an
open syllable ending in oa / oe / uy the tone mark sits on the first vowel:
hoà → hòa, khoẻ → khỏe, thuý → thúy, uỷ → ủy. Closed syllables (hoàng, quyết) are
identical in both conventions and are left alone.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Combining tone marks (grave, acute, tilde, hook above, dot below); other marks
# (circumflex, breve, horn) belong to the letter itself.
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# Chat abbreviations, matched as whole words only (case-insensitive).
ABBREVIATIONS = {
    "ko": "không",
    "k": "không",
    "kh": "không",
    "khg": "không",
    "kg": "không",
    "hok": "không",
    "hem": "không",
    "hông": "không",
    "hong": "không",
    "khum": "không",
    "dc": "được",
    "đc": "được",
    "dk": "được",
    "đươc": "được",
    "ng": "người",
    "j": "gì",
    "vs": "với",
    "cx": "cũng",
    "cg": "cũng",
    "bt": "bình thường",
    "nhiu": "nhiều",
    "r": "rồi",
    "mn": "mọi người",
    "mng": "mọi người",
    "wa": "quá",
    "lm": "làm",
    "ntn": "như thế nào",
    "bít": "biết",
    "bik": "biết",
    "trc": "trước",
    "thik": "thích",
    "iu": "yêu",
    "nhìu": "nhiều",
    "thui": "thôi",
    "hum": "hôm",
    "tks": "cảm ơn",
    "thanks": "cảm ơn",
    "cb": "cán bộ",
    "cbcc": "cán bộ công chức",
    "cbcnv": "cán bộ công nhân viên",
    "ubnd": "UBND",
    "hđnd": "HĐND",
    "sdt": "số điện thoại",
    "sđt": "số điện thoại",
}
_ABBREV_RE = re.compile(
    r"(?<![\w@.])(" + "|".join(sorted(map(re.escape, ABBREVIATIONS), key=len, reverse=True)) + r")(?![\w@]|\.\w)",
    re.IGNORECASE,
)
_REPEAT_RE = re.compile(r"([^\W\d])\1{2,}")  # "quáaaa" → "quá"; Vietnamese never triples a letter
_SPACE_RE = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([,.;:!?)\]…])")
_SPACE_AFTER_OPEN_RE = re.compile(r"([(\[])\s+")
_NO_SPACE_AFTER_RE = re.compile(r"([,;!?…])(?=[^\W\d_])")
_WORD_RE = re.compile(r"[^\W\d_]+")
# Only words ending in plain o/u + a toned a/e/y can need _fix_tone; matching just those
# avoids a Python callback per word.
_TONE_CANDIDATE_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]*[oOuU][àáảãạèéẻẽẹỳýỷỹỵÀÁẢÃẠÈÉẺẼẸỲÝỶỸỴ](?![^\W\d_])")

_VN_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")
# A plausible Vietnamese syllable written without diacritics.
_ASCII_SYLLABLE_RE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"(?:[aeiouy]{1,3})(?:ng|nh|ch|[cmnpt])?",
)


@dataclass(frozen=True)
class NormalizedText:
    text: str
    no_diacritics: bool


def _split_tone(char: str) -> tuple[str, str]:
    decomposed = unicodedata.normalize("NFD", char)
    tone = "".join(c for c in decomposed if c in _TONES)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, tone


def _fix_tone(match: re.Match) -> str:
    word = match.group(0)
    # Fast path: the tone must sit on a non-ASCII last letter of a word of ≥ 2 letters.
    if len(word) < 2 or word[-1].isascii():
        return word
    return _fix_tone_word(word)


@lru_cache(maxsize=65536)
def _fix_tone_word(word: str) -> str:
    parts = [_split_tone(c) for c in word]
    bases = "".join(b for b, _ in parts).lower()
    last_base, last_tone = parts[-1]
    if not last_tone or bases[-2:] not in ("oa", "oe", "uy"):
        return word
    if bases.endswith("uy") and bases[:-2].endswith("q"):  # "quý": u belongs to qu
        return word
    first_base, first_tone = parts[-2]
    if first_tone:
        return word
    return word[:-2] + unicodedata.normalize("NFC", first_base + last_tone) + last_base


def strip_diacritics(text: str) -> str:
    """Plain ASCII-ish form used for diacritic-insensitive matching."""
    if text.isascii():
        return text
    if len(text) <= 32:  # tokens and short phrases repeat a lot: cache them
        return _strip_diacritics_cached(text)
    return _strip_diacritics(text)


@lru_cache(maxsize=65536)
def _strip_diacritics_cached(text: str) -> str:
    return _strip_diacritics(text)


# Combining diacritical marks block (all Vietnamese marks live here), deleted in C.
_COMBINING_TABLE = {cp: None for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp))}


def _strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    stripped = decomposed.translate(_COMBINING_TABLE)
    if not stripped.isascii():  # other scripts: remove any remaining combining mark
        stripped = "".join(c for c in stripped if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


@lru_cache(maxsize=65536)
def _is_accented(word: str) -> bool:
    return any(c in _VN_LETTERS or unicodedata.decomposition(c) for c in word)


def has_no_diacritics(text: str) -> bool:
    """True when a text of several words looks Vietnamese but was typed without accents."""
    words = _WORD_RE.findall(text)
    if len(words) < 4:
        return False
    accented = 0
    for w in words:
        if not w.isascii() and _is_accented(w):
            accented += 1
            if accented * 10 > len(words):  # already above the 10 % limit below
                return False
    if accented / len(words) > 0.1:
        return False
    plain = [w.lower() for w in words if w.isascii()]
    if not plain:
        return False
    syllables = sum(1 for w in plain if _ASCII_SYLLABLE_RE.fullmatch(w))
    return syllables / len(plain) >= 0.8


def _expand(match: re.Match) -> str:
    return ABBREVIATIONS[match.group(0).lower()]


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _TONE_CANDIDATE_RE.sub(_fix_tone, text)
    text = _REPEAT_RE.sub(r"\1", text)
    text = _ABBREV_RE.sub(_expand, text)
    text = _SPACE_RE.sub(" ", text).strip()
    text = _SPACE_BEFORE_PUNCT_RE.sub(r"\1", text)
    text = _SPACE_AFTER_OPEN_RE.sub(r"\1", text)
    text = _NO_SPACE_AFTER_RE.sub(r"\1 ", text)
    return unicodedata.normalize("NFC", text)


def normalize(text: str) -> NormalizedText:
    clean = normalize_text(text)
    return NormalizedText(text=clean, no_diacritics=has_no_diacritics(clean))

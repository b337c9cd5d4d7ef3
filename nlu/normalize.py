"""Vietnamese text normalisation, applied identically to training data and live messages.

Steps: Unicode NFC, lower case, one tone-mark placement (hoà and hòa become the same
string), punctuation to spaces, whitespace collapsed, common chat abbreviations
expanded. `model_text` is that form with its diacritics kept: the classifier
(nlu/linear_intent.py) reads it both as written and folded, so marks that are present
count ("giảm cân" is not "giám hộ") while "giam ho" still matches the folded form of
either. `folded_text` folds the marks away: the key for comparing texts (near-duplicate
examples, review groups, topic keywords) whether typed with or without marks.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Combining marks that carry the tone (the other marks shape the vowel itself).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# Vowels whose own mark (circumflex, breve, horn) attracts the tone.
_SHAPED = frozenset("âêôơăư")
_VOWELS = frozenset("aeiouyâêôơăư")

# Chat abbreviations citizens use (domain.md §5), token by token.
ABBREVIATIONS: dict[str, str] = {
    "ko": "không",
    "k": "không",
    "kg": "không",
    "khg": "không",
    "hok": "không",
    "hông": "không",
    "dc": "được",
    "đc": "được",
    "duoc": "được",
    "ntn": "như thế nào",
    "sđt": "số điện thoại",
    "sdt": "số điện thoại",
    "đt": "điện thoại",
    "cmnd": "chứng minh nhân dân",
    "cccd": "căn cước công dân",
    "vk": "vợ",
    "ck": "chồng",
    "e": "em",
    "a": "anh",
    "c": "chị",
    "t": "tôi",
    "mk": "mình",
    "bn": "bao nhiêu",
    "bnh": "bao nhiêu",
    "ubnd": "ủy ban nhân dân",
    "hk": "hộ khẩu",
    "gks": "giấy khai sinh",
    "gcn": "giấy chứng nhận",
    "qsdd": "quyền sử dụng đất",
    "qsdđ": "quyền sử dụng đất",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "nvqs": "nghĩa vụ quân sự",
    "dvc": "dịch vụ công",
    "j": "gì",
    "z": "vậy",
    "v": "vậy",
    "r": "rồi",
    "ok": "ok",
    "oke": "ok",
    "okie": "ok",
    "thank": "cảm ơn",
    "thanks": "cảm ơn",
    "tks": "cảm ơn",
    "thx": "cảm ơn",
    "cám": "cảm",
}

_PUNCTUATION = re.compile(r"[^\w\s/\-]", re.UNICODE)
_LONE_DASH = re.compile(r"(?<![\w])[-/]+|[-/]+(?![\w])")
_SPACES = re.compile(r"\s+")


def _split_tone(word: str) -> tuple[str, str]:
    """Return `word` without its tone mark (NFC) and the tone mark ('' if none)."""
    tone = ""
    kept = []
    for char in unicodedata.normalize("NFD", word):
        if char in TONE_MARKS:
            tone = char
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def _tone_index(base: str) -> int | None:
    """Where the tone goes in a toneless syllable, by one fixed rule."""
    start = 0
    if base.startswith("qu") or (base.startswith("gi") and len(base) > 2 and base[2] in _VOWELS):
        start = 2
    while start < len(base) and base[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(base) and base[end] in _VOWELS:
        end += 1
    if start == end:
        return None
    cluster = range(start, end)
    shaped = [i for i in cluster if base[i] in _SHAPED]
    if shaped:
        return shaped[-1]
    if end < len(base) or base[start:end] in ("oa", "oe", "uy"):
        return end - 1
    return start + (end - start - 1) // 2 if end - start == 3 else start


def place_tone(word: str) -> str:
    """Rewrite `word` with its tone mark at the canonical position."""
    base, tone = _split_tone(word)
    if not tone:
        return base
    index = _tone_index(base)
    if index is None:
        return unicodedata.normalize("NFC", word)
    decomposed = unicodedata.normalize("NFD", base[index]) + tone
    return base[:index] + unicodedata.normalize("NFC", decomposed) + base[index + 1 :]


def normalize(text: str) -> str:
    """The canonical form of a citizen's text, as the NLU model sees it."""
    text = unicodedata.normalize("NFC", text).lower().replace("\u0111", "đ")
    text = _PUNCTUATION.sub(" ", text)
    text = _LONE_DASH.sub(" ", text)
    words = []
    for token in text.split():
        token = place_tone(token)
        words.append(ABBREVIATIONS.get(token, token))
    return _SPACES.sub(" ", " ".join(words)).strip()


@functools.lru_cache(maxsize=16384)
def strip_diacritics(text: str) -> str:
    """`text` without any Vietnamese diacritics (đ becomes d). Cached: the bot folds the
    same answer labels, lines and topic keywords for every message."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", bare).replace("đ", "d").replace("Đ", "D")


def has_diacritics(text: str) -> bool:
    """True when `text` carries at least one Vietnamese diacritic or đ."""
    return strip_diacritics(text) != unicodedata.normalize("NFC", text)


def model_text(text: str) -> str:
    """The exact string the NLU model is trained on and asked about (diacritics kept)."""
    return normalize(text)


def folded_text(text: str) -> str:
    """`model_text` without diacritics: equal for a text typed with or without marks."""
    return strip_diacritics(normalize(text))

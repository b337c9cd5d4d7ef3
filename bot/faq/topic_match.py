"""Messages that name only a field ("trợ cấp", "đất đai", "cho hỏi về hộ tịch ạ").

Such a message fits several procedures equally, and a classifier trained on whole
questions tends to pick the field's most common one with confidence. The bot answers it
instead with the topic's procedures to choose from. Matching is on the accent-folded,
normalised text (`nlu.normalize.folded_text`): polite and question words around the
field are dropped, and what is left must be one of the topic's keywords exactly.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from nlu.normalize import folded_text

# Words around a field name that do not narrow it to one procedure (accent-folded).
LEADING = (
    "cho toi hoi ve", "cho em hoi ve", "cho hoi ve", "toi muon hoi ve", "em muon hoi ve",
    "muon hoi ve", "hoi ve", "cho hoi", "hoi", "ve", "cac", "thu tuc", "giay to", "van de",
    "dang ky", "lam",
)  # fmt: skip
TRAILING = (
    "a", "nhe", "voi", "gi", "the nao", "nhu the nao", "ra sao", "sao", "giay to",
    "thu tuc", "can gi",
)  # fmt: skip
_LEADING_LONGEST_FIRST = sorted(LEADING, key=len, reverse=True)
_TRAILING_LONGEST_FIRST = sorted(TRAILING, key=len, reverse=True)


def core_phrase(text: str) -> str:
    """`text` folded, without the leading and trailing words that do not narrow it."""
    return _strip_generic(folded_text(text))


def _strip_generic(folded: str) -> str:
    core = f" {folded} "
    changed = True
    while changed:
        changed = False
        for word in _LEADING_LONGEST_FIRST:
            if core.startswith(f" {word} "):
                core, changed = core[len(word) + 1 :], True
        for word in _TRAILING_LONGEST_FIRST:
            if core.endswith(f" {word} "):
                core, changed = core[: -len(word) - 1], True
    return core.strip()


def fold_keywords(keywords: Iterable[str]) -> list[str]:
    """Keywords as written in the data file, in the form `core_phrase` compares."""
    return list(_folded_keywords(tuple(keywords)))


@functools.lru_cache(maxsize=256)
def _folded_keywords(keywords: tuple[str, ...]) -> tuple[str, ...]:
    """`fold_keywords` of one topic's keywords, folded once (they are read every message)."""
    return tuple(sorted({folded for folded in map(folded_text, keywords) if folded}))


@dataclass(frozen=True)
class FieldMention:
    """What a message names: no field at all ("thủ tục", "giấy tờ"), or one topic."""

    no_field: bool = False
    topic: str | None = None

    @property
    def offers_choices(self) -> bool:
        """True when the bot answers with a list to choose from rather than the NLU's pick."""
        return self.no_field or self.topic is not None


def read_field(text: str, topics: Iterable[tuple[str, Iterable[str]]]) -> FieldMention:
    """Whether `text` names no field, or exactly one topic's keyword (by topic id)."""
    folded = folded_text(text)
    core = _strip_generic(folded)
    if not core:
        return FieldMention(no_field=bool(folded))
    return FieldMention(topic=next((t for t, keywords in topics if core in keywords), None))

"""An immutable snapshot of what the answering path reads: the answers (procedures and
referrals), the topics and the units, with what is derived from them (the aspects each
answer has, the topic of each intent, folded keywords) computed once.

Plain frozen values, never ORM rows: the console edits rows, and a row cached across
sessions would be a trap. A snapshot is built by bot/faq/knowledge_load.py and kept by
bot/faq/knowledge_cache.py; rendered replies that depend only on the snapshot and the
question's (intent, aspect, full) are memoised in it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any, TypeVar, cast

from bot.faq.aspects import Aspect
from bot.faq.models import PROCEDURE, REFERRAL
from bot.faq.referral_render import render_referral
from bot.faq.render import aspects_of, render_answer, render_aspect, render_overview
from bot.faq.topic_match import FieldMention, fold_keywords, read_field
from bot.units.service import OldNameMention, old_names_in

# Office answers that end with every unit's details.
UNIT_INTENTS = frozenset({"gio_lam_viec", "dia_chi_mot_cua", "lich_tiep_cong_dan"})

T = TypeVar("T")


@dataclass(frozen=True)
class KnownAnswer:
    """One answer (`FaqAnswer`), active or not."""

    intent: str
    kind: str
    title: str
    topic: str | None
    summary: str
    sections: tuple[Mapping[str, str], ...]
    source_url: str | None
    checked_on: date | None
    active: bool


@dataclass(frozen=True)
class KnownTopic:
    """One topic (`FaqTopic`); `folded`: its keywords as `read_field` compares them."""

    id: str
    title: str
    position: int
    intents: tuple[str, ...]
    keywords: tuple[str, ...]
    folded: tuple[str, ...]


@dataclass(frozen=True)
class KnownUnit:
    """One unit (`Unit`): what replies show of it and the names citizens use for it."""

    code: str
    name: str
    kind: str
    position: int
    old_names: tuple[str, ...]
    old_names_in_part: tuple[str, ...]
    address: str | None
    phone: str | None
    hours: str | None
    reception_schedule: str | None
    note: str | None


def frozen_sections(sections: Iterable[Mapping[str, str]]) -> tuple[Mapping[str, str], ...]:
    """Answer sections as read-only mappings."""
    return tuple(MappingProxyType(dict(section)) for section in sections)


class Knowledge:
    """The knowledge at one `revision`. Read-only once built (the memo only caches values
    derived from it), so threads share it without locks."""

    def __init__(
        self,
        *,
        revision: int,
        answers: Iterable[KnownAnswer],
        topics: Sequence[KnownTopic],
        units: Sequence[KnownUnit],
    ) -> None:
        self.revision = revision
        self.answers: Mapping[str, KnownAnswer] = MappingProxyType({a.intent: a for a in answers})
        self.topics = tuple(topics)  # in menu order
        self.units = tuple(units)  # in display order
        self._aspects = {a.intent: tuple(aspects_of(a)) for a in self.answers.values() if a.active}
        self._topic_of: dict[str, KnownTopic] = {}
        for topic in self.topics:
            for intent in topic.intents:
                self._topic_of.setdefault(intent, topic)
        self._fields = [(t.id, t.folded) for t in self.topics]
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, make: Callable[[], T]) -> T:
        """`make()`, computed once per snapshot (`key` names it; two threads may both
        compute it: it depends only on the snapshot)."""
        try:
            return cast(T, self._memo[key])
        except KeyError:
            value = self._memo[key] = make()
            return value

    def active(self, intent: str) -> KnownAnswer | None:
        """The answer for `intent`, unless there is none or it is switched off."""
        answer = self.answers.get(intent)
        return answer if answer is not None and answer.active else None

    def is_referral(self, intent: str) -> bool:
        """True when `intent` is a referral to another body (not one of our procedures)."""
        answer = self.answers.get(intent)
        return answer is not None and answer.kind == REFERRAL

    def referral_html(self, intent: str) -> str | None:
        """The short referral reply for `intent`, or None when it is not an active referral."""
        answer = self.active(intent)
        if answer is None or answer.kind != REFERRAL:
            return None
        return self.memo(("referral", intent), lambda: render_referral(answer))

    def aspects(self, intent: str) -> tuple[Aspect, ...]:
        """The aspects the active answer for `intent` has sections on (none: shown whole)."""
        return self._aspects.get(intent, ())

    def answer_html(
        self,
        intent: str,
        text: str = "",
        aspect: Aspect | None = None,
        full: bool = False,
        also: tuple[Aspect, ...] = (),
    ) -> str | None:
        """The rendered answer (bot/faq/service.answer_html), or None."""
        answer = self.active(intent)
        if answer is None:
            return None
        mentions = old_names_in(self.units, text) if intent in UNIT_INTENTS else []
        if mentions:  # depends on the text: not memoised
            return self._render(answer, aspect, full, also, mentions)
        return self.memo(
            ("answer", intent, aspect, full, also),
            lambda: self._render(answer, aspect, full, also),
        )

    def _render(
        self,
        answer: KnownAnswer,
        aspect: Aspect | None,
        full: bool,
        also: tuple[Aspect, ...],
        mentions: Sequence[OldNameMention] = (),
    ) -> str:
        units = self.units if answer.intent in UNIT_INTENTS else ()
        if full or not self._aspects[answer.intent]:
            return render_answer(answer, units, mentions)
        if aspect is not None:
            return render_aspect(answer, aspect, units, mentions, also)
        return render_overview(answer, mentions)

    def titles(self, intents: Iterable[str]) -> dict[str, str]:
        """Titles of the given intents that have an active answer of ours (never a
        referral to another body: these are offered as our procedures)."""
        return {
            intent: answer.title
            for intent in intents
            if (answer := self.active(intent)) is not None and answer.kind == PROCEDURE
        }

    def topic_of(self, intent: str) -> KnownTopic | None:
        """The (first, in menu order) topic an intent is listed under."""
        return self._topic_of.get(intent)

    def topic(self, topic_id: str) -> KnownTopic | None:
        """The topic with this id."""
        return next((t for t in self.topics if t.id == topic_id), None)

    def topic_procedures(self, topic_id: str) -> tuple[str, list[tuple[str, str]]] | None:
        """A topic's title and its (intent, title) procedures that have an active answer of
        ours, in topic order."""
        topic = self.topic(topic_id)
        if topic is None:
            return None
        titles = self.titles(topic.intents)
        return topic.title, [(i, titles[i]) for i in topic.intents if i in titles]

    def field_named_by(self, text: str) -> FieldMention:
        """Whether `text` names no field ("thủ tục"), or only a topic's field ("trợ cấp ạ")."""
        return read_field(text, self._fields)


def known_topic(
    *,
    id: str,
    title: str,
    position: int,
    intents: Iterable[str] | None,
    keywords: Iterable[str] | None,
) -> KnownTopic:
    """A topic with its keywords folded."""
    words = tuple(keywords or ())
    return KnownTopic(id, title, position, tuple(intents or ()), words, tuple(fold_keywords(words)))

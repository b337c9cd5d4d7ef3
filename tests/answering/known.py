"""Knowledge snapshots built in memory, for tests of how answers are chosen."""

from __future__ import annotations

from bot.faq.knowledge import Knowledge, KnownAnswer
from bot.faq.models import PROCEDURE


def known_procedure(intent: str, *sections: tuple[str, str]) -> KnownAnswer:
    """An active procedure answer with these (label, text) sections."""
    return KnownAnswer(
        intent=intent,
        kind=PROCEDURE,
        title=intent,
        topic=None,
        summary="",
        sections=tuple({"label": label, "text": text} for label, text in sections),
        source_url=None,
        checked_on=None,
        active=True,
    )


def knowledge(*answers: KnownAnswer) -> Knowledge:
    """A snapshot of these answers, with no topics or units."""
    return Knowledge(revision=1, answers=list(answers), topics=[], units=[])

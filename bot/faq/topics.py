"""FAQ topics: the first level of the menu that needs no typing."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.knowledge_cache import knowledge_of
from bot.faq.models import FaqTopic
from bot.faq.topic_match import FieldMention, fold_keywords

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.yml"


def read_topics_file(path: Path = TOPICS_FILE) -> list[dict[str, Any]]:
    """The topics as listed in the data file."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def import_topics(
    *,
    session: Session,
    rows: Sequence[dict[str, Any]],
    overwrite: bool = False,
    skip: Collection[str] = (),
) -> int:
    """Add the topics the database lacks (with `overwrite`: make every listed topic as in
    `rows`); a topic already there only gains the intents no topic lists yet, so that a new
    procedure shows in the menu while admins' edits stay. Intents in `skip` (deleted by an
    admin) are left out. Returns the number of topics added or replaced."""
    listed = {intent for topic in list_topics(session=session) for intent in topic.intents}
    changed = 0
    for position, raw in enumerate(rows):
        intents = [i for i in raw.get("intents") or [] if i not in skip]
        topic = session.get(FaqTopic, raw["id"])
        if topic is not None and not overwrite:
            new = [i for i in intents if i not in listed]
            if new:
                topic.intents = [*topic.intents, *new]
            listed.update(new)
            continue
        if topic is None:
            topic = FaqTopic(id=raw["id"])
            session.add(topic)
        topic.title = raw["title"]
        topic.intents = intents
        # As written (the export writes them back); folded when compared.
        topic.keywords = list(raw.get("keywords") or [])
        topic.position = position
        listed.update(intents)
        changed += 1
    session.flush()
    return changed


def list_topics(*, session: Session) -> list[FaqTopic]:
    """Topics in menu order."""
    return list(session.scalars(select(FaqTopic).order_by(FaqTopic.position)))


def topic_of(*, session: Session, intent: str) -> FaqTopic | None:
    """The topic an intent is listed under (the row, to edit; the answering path reads
    `Knowledge.topic_of`)."""
    return next((t for t in list_topics(session=session) if intent in t.intents), None)


def field_named_by(*, session: Session, text: str) -> FieldMention:
    """Whether `text` names no field ("thủ tục"), or only a topic's field ("trợ cấp ạ")."""
    return knowledge_of(session).field_named_by(text)


def keywords_by_topic(*, session: Session) -> list[tuple[str, list[str]]]:
    """(topic id, folded keywords) of every topic, for `read_field`."""
    return [(t.id, fold_keywords(t.keywords)) for t in list_topics(session=session)]


def topic_procedures(
    *, session: Session, topic_id: str
) -> tuple[str, list[tuple[str, str]]] | None:
    """A topic's title and its (intent, title) procedures that have an answer of ours in use
    (a referral to another body is never listed), in topic order."""
    return knowledge_of(session).topic_procedures(topic_id)

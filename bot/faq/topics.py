"""FAQ topics: the first level of the menu that needs no typing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.models import FaqAnswer, FaqTopic
from bot.faq.topic_match import FieldMention, fold_keywords, read_field

TOPICS_FILE = Path(__file__).resolve().parent / "data" / "topics.yml"


def read_topics_file(path: Path = TOPICS_FILE) -> list[dict[str, Any]]:
    """The topics as listed in the data file."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def import_topics(*, session: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert or update the topics (the data file is the source of truth for the menu)."""
    for position, raw in enumerate(rows):
        topic = session.get(FaqTopic, raw["id"]) or FaqTopic(id=raw["id"])
        topic.title = raw["title"]
        topic.intents = list(raw.get("intents") or [])
        topic.keywords = fold_keywords(raw.get("keywords") or [])
        topic.position = position
        session.add(topic)
    session.flush()
    return len(rows)


def list_topics(*, session: Session) -> list[FaqTopic]:
    """Topics in menu order."""
    return list(session.scalars(select(FaqTopic).order_by(FaqTopic.position)))


def topic_of(*, session: Session, intent: str) -> FaqTopic | None:
    """The topic an intent is listed under."""
    return next((t for t in list_topics(session=session) if intent in t.intents), None)


def field_named_by(*, session: Session, text: str) -> FieldMention:
    """Whether `text` names no field ("thủ tục"), or only a topic's field ("trợ cấp ạ")."""
    return read_field(text, keywords_by_topic(session=session))


def keywords_by_topic(*, session: Session) -> list[tuple[str, list[str]]]:
    """(topic id, folded keywords) of every topic, for `read_field`."""
    return [(t.id, t.keywords) for t in list_topics(session=session)]


def topic_procedures(
    *, session: Session, topic_id: str
) -> tuple[str, list[tuple[str, str]]] | None:
    """A topic's title and its (intent, title) procedures that have an answer, in topic order."""
    topic = session.get(FaqTopic, topic_id)
    if topic is None:
        return None
    titles = {
        intent: title
        for intent, title in session.execute(
            select(FaqAnswer.intent, FaqAnswer.title).where(FaqAnswer.intent.in_(topic.intents))
        )
    }
    return topic.title, [(i, titles[i]) for i in topic.intents if i in titles]

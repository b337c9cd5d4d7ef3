"""FAQ topics: the first level of the menu that needs no typing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.models import FaqTopic

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
        topic.position = position
        session.add(topic)
    session.flush()
    return len(rows)


def list_topics(*, session: Session) -> list[FaqTopic]:
    """Topics in menu order."""
    return list(session.scalars(select(FaqTopic).order_by(FaqTopic.position)))

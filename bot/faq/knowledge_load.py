"""Reads a knowledge snapshot (bot/faq/knowledge.py) from the database: three plain
column queries, no ORM rows (nothing enters the session)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.knowledge import Knowledge, KnownAnswer, KnownUnit, frozen_sections, known_topic
from bot.faq.models import FaqAnswer, FaqTopic
from bot.units.models import Unit

# The columns of each snapshot value, by the value's field names.
_ANSWER = [getattr(FaqAnswer, f.name) for f in fields(KnownAnswer)]
_UNIT = [getattr(Unit, f.name) for f in fields(KnownUnit)]
_TOPIC = [FaqTopic.id, FaqTopic.title, FaqTopic.position, FaqTopic.intents, FaqTopic.keywords]


def load_knowledge(session: Session, revision: int) -> Knowledge:
    """The knowledge as `session`'s transaction sees it, labelled `revision` (read the
    revision first: the data is then at least as new as the label)."""
    answers = [
        KnownAnswer(
            **{
                **row,
                "summary": row["summary"] or "",
                "sections": frozen_sections(row["sections"] or []),
                "active": bool(row["active"]),
            }
        )
        for row in _rows(session, _ANSWER)
    ]
    topics = [known_topic(**row) for row in _rows(session, _TOPIC, FaqTopic.position)]
    units = [_unit(row) for row in _rows(session, _UNIT, Unit.position)]
    return Knowledge(revision=revision, answers=answers, topics=topics, units=units)


def _rows(session: Session, columns: Iterable[Any], *order: Any) -> list[dict[str, Any]]:
    """The rows of `columns`, as dicts by column name."""
    return [dict(row) for row in session.execute(select(*columns).order_by(*order)).mappings()]


def _unit(row: dict[str, Any]) -> KnownUnit:
    old: dict[str, Any] = {k: tuple(row[k] or ()) for k in ("old_names", "old_names_in_part")}
    return KnownUnit(**{**row, **old})

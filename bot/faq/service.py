"""FAQ answers: look-up by intent and import from the data files."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot.faq.aspects import Aspect
from bot.faq.knowledge import UNIT_INTENTS as UNIT_INTENTS
from bot.faq.knowledge_cache import knowledge_of
from bot.faq.models import PROCEDURE, FaqAnswer

ANSWERS_DIR = Path(__file__).resolve().parent / "data" / "answers"


@dataclass(frozen=True)
class AnswerData:
    """One answer as read from a data file."""

    intent: str
    title: str
    summary: str
    sections: list[dict[str, str]]
    source_url: str | None
    checked_on: date | None
    topic: str | None = None
    kind: str = PROCEDURE
    active: bool = True


def read_answer_file(path: Path) -> AnswerData:
    """Parse one `answers/<intent>.yml` file."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    checked = raw.get("checked_on")
    return AnswerData(
        intent=str(raw["intent"]),
        title=str(raw["title"]),
        summary=str(raw.get("summary") or ""),
        sections=[
            {"label": str(s["label"]), "text": str(s["text"])} for s in raw.get("sections", [])
        ],
        source_url=raw.get("source_url"),
        checked_on=date.fromisoformat(str(checked)) if checked else None,
        topic=raw.get("topic"),
        kind=str(raw.get("kind") or PROCEDURE),
        active=bool(raw.get("active", True)),
    )


def read_answer_files(directory: Path = ANSWERS_DIR) -> list[AnswerData]:
    """Every answer file in `directory`, sorted by file name."""
    return [read_answer_file(p) for p in sorted(directory.glob("*.yml"))]


def import_answers(
    *,
    session: Session,
    answers: Sequence[AnswerData],
    overwrite: bool = False,
    skip: Collection[str] = (),
) -> int:
    """Insert answers for new intents (and replace existing ones if `overwrite`); intents
    in `skip` (deleted by an admin) are left out."""
    changed = 0
    for data in answers:
        if data.intent in skip:
            continue
        row = session.get(FaqAnswer, data.intent)
        if row is not None and not overwrite:
            continue
        if row is None:
            row = FaqAnswer(intent=data.intent)
            session.add(row)
        row.title = data.title
        row.summary = data.summary
        row.sections = data.sections
        row.source_url = data.source_url
        row.checked_on = data.checked_on
        row.topic = data.topic
        row.kind = data.kind
        row.active = data.active
        changed += 1
    session.flush()
    return changed


def get_answer(*, session: Session, intent: str) -> FaqAnswer | None:
    """The answer for `intent`, if there is one."""
    return session.get(FaqAnswer, intent)


def answer_html(
    *,
    session: Session,
    intent: str,
    text: str = "",
    aspect: Aspect | None = None,
    full: bool = False,
) -> str | None:
    """The rendered answer for `intent`, or None (also for an intent switched off).

    `full`: the whole guide; an `aspect`: a short reply leading with it; else the overview
    (title, summary, what can be asked next). An office answer (no procedure sections) is
    short and always shown whole. Where it concerns the units, they are listed, and former
    units the citizen's `text` names are placed in today's units. Read from the knowledge
    snapshot (bot/faq/knowledge_cache.py)."""
    return knowledge_of(session).answer_html(intent, text=text, aspect=aspect, full=full)


def answer_aspects(*, session: Session, intent: str) -> list[Aspect]:
    """The aspects the answer for `intent` has sections on (none: shown whole)."""
    return list(knowledge_of(session).aspects(intent))


def titles(*, session: Session, intents: Sequence[str]) -> dict[str, str]:
    """Titles of the given intents that have an answer of ours in use (never a referral
    to another body: these are offered as our procedures)."""
    return knowledge_of(session).titles(intents)

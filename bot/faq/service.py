"""FAQ answers: look-up by intent and import from the data files."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.aspects import Aspect
from bot.faq.models import PROCEDURE, FaqAnswer
from bot.faq.render import aspects_of, render_answer, render_aspect, render_overview
from bot.units.service import list_units, old_names_mentioned

ANSWERS_DIR = Path(__file__).resolve().parent / "data" / "answers"
# Office answers that end with every unit's details, read from the units table.
UNIT_INTENTS = frozenset({"gio_lam_viec", "dia_chi_mot_cua", "lich_tiep_cong_dan"})


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
    units the citizen's `text` names are placed in today's units."""
    answer = session.get(FaqAnswer, intent)
    if answer is None or not answer.active:
        return None
    with_units = intent in UNIT_INTENTS
    units = list_units(session=session) if with_units else []
    old_names = old_names_mentioned(session=session, text=text) if with_units else []
    if full or not aspects_of(answer):
        return render_answer(answer, units, old_names)
    if aspect is not None:
        return render_aspect(answer, aspect, units, old_names)
    return render_overview(answer, old_names)


def answer_aspects(*, session: Session, intent: str) -> list[Aspect]:
    """The aspects the answer for `intent` has sections on (none: shown whole)."""
    answer = session.get(FaqAnswer, intent)
    return aspects_of(answer) if answer is not None and answer.active else []


def titles(*, session: Session, intents: Sequence[str]) -> dict[str, str]:
    """Titles of the given intents that have an answer of ours in use (never a referral
    to another body: these are offered as our procedures)."""
    rows = session.scalars(
        select(FaqAnswer).where(
            FaqAnswer.intent.in_(intents),
            FaqAnswer.active.is_(True),
            FaqAnswer.kind == PROCEDURE,
        )
    )
    return {row.intent: row.title for row in rows}

"""Intents as admins edit them: the list, the editor's form, saving and deleting.

An intent is an answer (`FaqAnswer`), its training examples (`FaqExample`) and its place in
the menu (`FaqTopic.intents`, in order). Answer edits are live at once: the bot reads the
answer table for every message. Every change is audited (target type "faq_intent"); a
deletion recorded there also keeps the start-up seeding from bringing the intent back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.audit.service import record
from bot.cases.clock import utcnow
from bot.cases.search import fold
from bot.faq.examples import delete_examples, example_counts, list_examples, replace_examples
from bot.faq.intent_rules import (
    IntentForm,
    Problem,
    answer_of,
    preview_html,
    validate_intent,
)
from bot.faq.models import PROCEDURE, AnswerFeedback, FaqAnswer, FaqTopic
from bot.faq.topics import list_topics
from bot.messages.models import InboundMessage
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.texts import knowledge as T

__all__ = [
    "IntentForm",
    "IntentInvalid",
    "IntentNotFound",
    "IntentRow",
    "NeedsConfirmation",
    "Problem",
    "delete_intent",
    "deleted_intents",
    "intent_references",
    "list_intents",
    "load_intent",
    "new_intent_form",
    "preview_html",
    "save_intent",
    "validate_intent",
]

TARGET = "faq_intent"
RECENT = timedelta(days=30)


class IntentNotFound(LookupError):
    """No answer with this intent."""


class IntentInvalid(ValueError):
    """The form has problems; nothing was saved."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class NeedsConfirmation(Exception):
    """Deleting the intent touches other data; ask the admin again, listing it."""

    def __init__(self, references: list[str]) -> None:
        super().__init__("; ".join(references))
        self.references = references


@dataclass(frozen=True)
class IntentRow:
    """One line of the admins' intent list."""

    intent: str
    title: str
    topic_id: str | None
    topic_title: str | None
    examples: int
    active: bool
    updated_at: datetime | None
    updated_by: str | None
    questions_30d: int
    # Share of "Chưa đúng" among the answer's feedback of the last 30 days (None: none).
    not_right_share: float | None
    # "procedure" | "referral" (another body's: bot/faq/referrals.py)
    kind: str = PROCEDURE


def list_intents(
    *,
    session: Session,
    q: str = "",
    topic: str | None = None,
    kind: str | None = None,
    now: datetime | None = None,
) -> list[IntentRow]:
    """Intents in menu order (those in no topic last, by title), filtered by a search
    on id and title (with or without diacritics), by topic id and by kind."""
    since = (now or utcnow()) - RECENT
    places = {
        intent: (t, index)
        for t in list_topics(session=session)
        for index, intent in enumerate(t.intents)
    }
    counts = example_counts(session=session)
    questions = _per_intent(
        session,
        select(InboundMessage.intent, func.count())
        .where(InboundMessage.created_at >= since)
        .group_by(InboundMessage.intent),
    )
    feedback = {
        intent: (int(wrong), int(total))
        for intent, wrong, total in session.execute(
            select(
                AnswerFeedback.intent,
                func.sum(case((AnswerFeedback.helpful.is_(False), 1), else_=0)),
                func.count(),
            )
            .where(AnswerFeedback.created_at >= since)
            .group_by(AnswerFeedback.intent)
        )
    }
    needle = fold(q)
    rows = []
    for answer in session.scalars(select(FaqAnswer)):
        place = places.get(answer.intent)
        if topic and (place is None or place[0].id != topic):
            continue
        if kind and answer.kind != kind:
            continue
        if needle and needle not in fold(f"{answer.intent} {answer.title}"):
            continue
        wrong, total = feedback.get(answer.intent, (0, 0))
        rows.append(
            (
                (0, place[0].position, place[1], "") if place else (1, 0, 0, fold(answer.title)),
                IntentRow(
                    intent=answer.intent,
                    title=answer.title,
                    topic_id=place[0].id if place else None,
                    topic_title=place[0].title if place else None,
                    examples=counts.get(answer.intent, 0),
                    active=answer.active,
                    updated_at=answer.updated_at,
                    updated_by=answer.updated_by,
                    questions_30d=questions.get(answer.intent, 0),
                    not_right_share=wrong / total if total else None,
                    kind=answer.kind,
                ),
            )
        )
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _per_intent(session: Session, stmt: Any) -> dict[str, int]:
    return {str(intent): int(count) for intent, count in session.execute(stmt) if intent}


def new_intent_form() -> IntentForm:
    """An empty form for a new intent, with the usual sections to fill in."""
    return IntentForm(
        intent="",
        title="",
        topic_id=None,
        summary="",
        sections=[{"label": label, "text": ""} for label in T.DEFAULT_SECTION_LABELS],
        source_url=None,
        checked_on=None,
        active=True,
        examples=[],
    )


def load_intent(*, session: Session, intent: str) -> IntentForm:
    """The intent as the editor shows it."""
    answer = session.get(FaqAnswer, intent)
    if answer is None:
        raise IntentNotFound(intent)
    topic = _topic_of(session, intent)
    return IntentForm(
        intent=answer.intent,
        title=answer.title,
        topic_id=topic.id if topic else None,
        summary=answer.summary,
        sections=[dict(s) for s in answer.sections],
        source_url=answer.source_url,
        checked_on=answer.checked_on,
        active=answer.active,
        examples=[e.text for e in list_examples(session=session, intent=intent)],
        kind=answer.kind,
    )


def save_intent(
    *, session: Session, actor: Actor, form: IntentForm, creating: bool = False
) -> None:
    """Create or update the intent: answer, menu place and examples (admins only, audited)."""
    require_admin(actor)
    row = session.get(FaqAnswer, form.intent)
    if not creating and row is None:
        raise IntentNotFound(form.intent)
    problems = validate_intent(session=session, form=form, creating=creating)
    if problems:
        raise IntentInvalid(problems)
    before = None if creating else _snapshot(load_intent(session=session, intent=form.intent))
    if row is None:
        row = FaqAnswer(intent=form.intent)
        session.add(row)
    content = answer_of(form)
    row.title, row.summary, row.sections = content.title, content.summary, content.sections
    row.source_url, row.checked_on, row.active = content.source_url, content.checked_on, form.active
    row.kind = form.kind
    row.updated_by, row.updated_at = actor.tag, utcnow()
    _place(session, form.intent, form.topic_id)
    replace_examples(session=session, actor_tag=actor.tag, intent=form.intent, texts=form.examples)
    session.flush()
    after = _snapshot(load_intent(session=session, intent=form.intent))
    _audit(
        session, actor, "create_intent" if creating else "save_intent", form.intent, before, after
    )


def intent_references(*, session: Session, intent: str) -> list[str]:
    """What deleting the intent would touch, for the admin to confirm."""
    references = [
        T.REFERENCE_TOPIC.format(topic=t.title)
        for t in list_topics(session=session)
        if intent in t.intents
    ]
    examples = example_counts(session=session).get(intent, 0)
    if examples:
        references.append(T.REFERENCE_EXAMPLES.format(count=examples))
    since = utcnow() - RECENT
    questions = session.scalar(
        select(func.count())
        .select_from(InboundMessage)
        .where(InboundMessage.intent == intent, InboundMessage.created_at >= since)
    )
    if questions:
        references.append(T.REFERENCE_QUESTIONS.format(count=questions))
    return references


def delete_intent(*, session: Session, actor: Actor, intent: str, confirmed: bool) -> None:
    """Delete the intent's answer, examples and menu place (admins only, audited); when
    anything refers to it, only once the admin confirmed."""
    require_admin(actor)
    if session.get(FaqAnswer, intent) is None:
        raise IntentNotFound(intent)
    references = intent_references(session=session, intent=intent)
    if references and not confirmed:
        raise NeedsConfirmation(references)
    before = _snapshot(load_intent(session=session, intent=intent))
    _place(session, intent, None)
    delete_examples(session=session, intent=intent)
    answer = session.get(FaqAnswer, intent)
    session.delete(answer)
    session.flush()
    _audit(session, actor, "delete_intent", intent, before, None)


def edited_intents(*, session: Session) -> set[str]:
    """Intents an admin changed in any way (saved, deleted, citizens' questions assigned)."""
    stmt = select(AuditEntry.target_id).where(AuditEntry.target_type == TARGET).distinct()
    return {target for target in session.scalars(stmt) if target}


def deleted_intents(*, session: Session) -> set[str]:
    """Intents an admin deleted (and did not create again): start-up seeding skips them."""
    last: dict[str, str] = {}
    stmt = (
        select(AuditEntry.target_id, AuditEntry.action)
        .where(
            AuditEntry.target_type == TARGET,
            AuditEntry.action.in_(("create_intent", "delete_intent")),
        )
        .order_by(AuditEntry.id)
    )
    for target, action in session.execute(stmt):
        if target:
            last[target] = action
    return {intent for intent, action in last.items() if action == "delete_intent"}


def _topic_of(session: Session, intent: str) -> FaqTopic | None:
    return next((t for t in list_topics(session=session) if intent in t.intents), None)


def _place(session: Session, intent: str, topic_id: str | None) -> None:
    """List the intent under `topic_id` only (keeping its place there, else at the end)."""
    for topic in list_topics(session=session):
        if topic.id == topic_id:
            if intent not in topic.intents:
                topic.intents = [*topic.intents, intent]
        elif intent in topic.intents:
            topic.intents = [i for i in topic.intents if i != intent]


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    intent: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record(
        session=session,
        actor=actor.tag,
        action=action,
        target_type=TARGET,
        target_id=intent,
        before=before,
        after=after,
    )


def _snapshot(form: IntentForm) -> dict[str, Any]:
    data = asdict(form)
    data["checked_on"] = form.checked_on.isoformat() if form.checked_on else None
    return data

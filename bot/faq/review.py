""" "Câu hỏi chưa trả lời được": citizens' questions the bot did not answer well, grouped
when alike, which an admin assigns to an intent (they become its training examples,
flagged as from citizens) or dismisses."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.answering.service import CONVERSATION_ACTIONS
from bot.audit.service import record
from bot.digits import parse_digits
from bot.faq.examples import add_examples
from bot.faq.models import AnswerFeedback, FaqAnswer
from bot.faq.topic_match import read_field
from bot.faq.topics import keywords_by_topic
from bot.messages.models import InboundMessage
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.texts import review as texts
from nlu.normalize import folded_text

FALLBACK = "fallback"
NOT_RIGHT = "not_right"
ASSIGNED = "assigned"
DISMISSED = "dismissed"
MAX_GROUPS = 200
# Rows of each kind read to build the groups (the newest ones).
SCAN_LIMIT = 5000
TOP_RANKED = 3

Row = InboundMessage | AnswerFeedback


class ReviewProblem(ValueError):
    """An assignment or dismissal that cannot be done; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Ranked:
    """One intent the model ranked for a question, with its title."""

    intent: str
    title: str
    confidence: float


@dataclass(frozen=True)
class Question:
    """One question waiting for review."""

    ref: str  # "m<id>": a fallback message; "f<id>": a "Chưa đúng" feedback
    at: datetime
    text: str
    reason: str  # FALLBACK | NOT_RIGHT
    # The model's top intent (fallback) or the intent answered and marked "Chưa đúng".
    intent: str | None
    confidence: float | None
    ranking: list[dict[str, object]]


@dataclass
class Group:
    """Alike questions (same text once folded), newest first."""

    key: str
    questions: list[Question] = field(default_factory=list)
    ranked: list[Ranked] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def last_at(self) -> datetime:
        return self.questions[0].at

    @property
    def typed(self) -> list[str]:
        """The distinct texts as citizens typed them."""
        return list(dict.fromkeys(q.text for q in self.questions))


@dataclass(frozen=True)
class Unanswered:
    """The page's groups, and how many there are in all."""

    groups: list[Group]
    total: int


@dataclass(frozen=True)
class IntentChoice:
    """An intent questions may be assigned to."""

    intent: str
    title: str
    faq: bool


def pending_questions(*, session: Session, limit: int = SCAN_LIMIT) -> list[Question]:
    """Unreviewed fallback questions and answers marked "Chưa đúng", newest first.

    A message that named only a field, or none ("trợ cấp", "thủ tục"), got its list of
    choices by design; it is no example of any one procedure, so it is left out.
    """
    topics = keywords_by_topic(session=session)
    fallbacks = session.scalars(
        select(InboundMessage)
        .where(
            InboundMessage.action == FALLBACK,
            InboundMessage.nlu_error.is_(None),
            InboundMessage.review_state.is_(None),
        )
        .order_by(InboundMessage.id.desc())
        .limit(limit)
    )
    items = [
        Question(f"m{m.id}", m.created_at, m.text, FALLBACK, m.intent, m.confidence, m.ranking)
        for m in fallbacks
        if not read_field(m.text, topics).offers_choices
    ]
    wrong = session.execute(
        select(AnswerFeedback, InboundMessage)
        .join(InboundMessage, AnswerFeedback.inbound_message_id == InboundMessage.id)
        .where(AnswerFeedback.helpful.is_(False), AnswerFeedback.review_state.is_(None))
        .order_by(AnswerFeedback.id.desc())
        .limit(limit)
    )
    items += [
        Question(f"f{f.id}", f.created_at, m.text, NOT_RIGHT, f.intent, m.confidence, m.ranking)
        for f, m in wrong
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]


def intent_titles(*, session: Session, intents: Iterable[str] | None = None) -> dict[str, str]:
    """Titles of FAQ intents (all, or those given) and of the conversation intents."""
    stmt = select(FaqAnswer.intent, FaqAnswer.title)
    if intents is not None:
        stmt = stmt.where(FaqAnswer.intent.in_(list(intents)))
    return {**texts.CONVERSATION_LABELS, **{i: t for i, t in session.execute(stmt)}}


def unanswered(*, session: Session, actor: Actor, max_groups: int = MAX_GROUPS) -> Unanswered:
    """The questions to review, alike ones grouped, newest group first (admins only)."""
    require_admin(actor)
    groups: OrderedDict[str, Group] = OrderedDict()
    for question in pending_questions(session=session):
        key = folded_text(question.text)
        if key:
            groups.setdefault(key, Group(key)).questions.append(question)
    shown = list(groups.values())[:max_groups]
    named = {str(r.get("name")) for g in shown for q in g.questions for r in q.ranking}
    named |= {q.intent for g in shown for q in g.questions if q.intent}
    titles = intent_titles(session=session, intents=named)
    for group in shown:
        newest = group.questions[0]
        group.ranked = [
            Ranked(name, titles.get(name, name), _confidence(r.get("confidence")))
            for r in newest.ranking[:TOP_RANKED]
            for name in [str(r.get("name"))]
        ]
        group.reasons = list(dict.fromkeys(_reason(q, titles) for q in group.questions))
    return Unanswered(shown, len(groups))


def _confidence(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _reason(question: Question, titles: dict[str, str]) -> str:
    if question.reason == NOT_RIGHT and question.intent:
        return texts.REASON_NOT_RIGHT.format(title=titles.get(question.intent, question.intent))
    return texts.REASON_FALLBACK


def intent_choices(*, session: Session) -> list[IntentChoice]:
    """Active FAQ intents by title, then the conversation intents."""
    faq = session.execute(
        select(FaqAnswer.intent, FaqAnswer.title)
        .where(FaqAnswer.active.is_(True))
        .order_by(FaqAnswer.title)
    )
    return [IntentChoice(i, t, True) for i, t in faq] + [
        IntentChoice(i, texts.CONVERSATION_LABELS.get(i, i), False) for i in CONVERSATION_ACTIONS
    ]


def assign(*, session: Session, actor: Actor, refs: Sequence[str], intent: str) -> int:
    """Make the questions `refs` training examples of `intent` (source "citizen") and mark
    them assigned; returns how many were assigned."""
    require_admin(actor)
    if not intent:
        raise ReviewProblem(texts.PROBLEM_NO_INTENT)
    if intent not in {c.intent for c in intent_choices(session=session)}:
        raise ReviewProblem(texts.PROBLEM_UNKNOWN_INTENT)
    rows = _pending_rows(session=session, refs=refs)
    examples = list(dict.fromkeys(" ".join(_text_of(session, row).split()) for row in rows))
    added = add_examples(
        session=session, actor_tag=actor.tag, intent=intent, texts=examples, source="citizen"
    )
    _mark(session=session, actor=actor, rows=rows, state=ASSIGNED)
    record(
        session=session,
        actor=actor.tag,
        action="review_assigned",
        target_type="faq_intent",
        target_id=intent,
        before={"items": _refs(rows), "review_state": None},
        after={"review_state": ASSIGNED, "examples": examples, "added": [e.text for e in added]},
    )
    return len(rows)


def dismiss(*, session: Session, actor: Actor, refs: Sequence[str]) -> int:
    """Mark the questions `refs` dismissed; returns how many were."""
    require_admin(actor)
    rows = _pending_rows(session=session, refs=refs)
    _mark(session=session, actor=actor, rows=rows, state=DISMISSED)
    record(
        session=session,
        actor=actor.tag,
        action="review_dismissed",
        target_type="review_question",
        target_id=",".join(_refs(rows))[:200],
        before={"items": _refs(rows), "review_state": None},
        after={"review_state": DISMISSED},
    )
    return len(rows)


def _pending_rows(*, session: Session, refs: Sequence[str]) -> list[Row]:
    """The rows `refs` name that still wait for review (locked for update); malformed refs
    and rows that are no question to review are ignored."""
    ids: dict[str, list[int]] = {"m": [], "f": []}
    for ref in refs:
        kind, number = ref[:1], ref[1:]
        if kind in ids and (value := parse_digits(number)) is not None:
            ids[kind].append(value)
    if not ids["m"] and not ids["f"]:
        raise ReviewProblem(texts.PROBLEM_NO_ITEMS)
    rows: list[Row] = list(
        session.scalars(
            select(InboundMessage)
            .where(
                InboundMessage.id.in_(ids["m"]),
                InboundMessage.action == FALLBACK,
                InboundMessage.review_state.is_(None),
            )
            .with_for_update()
        )
    )
    rows += session.scalars(
        select(AnswerFeedback)
        .where(
            AnswerFeedback.id.in_(ids["f"]),
            AnswerFeedback.helpful.is_(False),
            AnswerFeedback.review_state.is_(None),
        )
        .with_for_update()
    )
    if not rows:
        raise ReviewProblem(texts.PROBLEM_ALREADY_REVIEWED)
    return rows


def _text_of(session: Session, row: Row) -> str:
    if isinstance(row, InboundMessage):
        return row.text
    message = session.get(InboundMessage, row.inbound_message_id)
    return message.text if message is not None else ""


def _mark(*, session: Session, actor: Actor, rows: list[Row], state: str) -> None:
    for row in rows:
        row.review_state = state
        row.reviewed_by = actor.tag
    session.flush()


def _refs(rows: list[Row]) -> list[str]:
    return [f"{'m' if isinstance(r, InboundMessage) else 'f'}{r.id}" for r in rows]

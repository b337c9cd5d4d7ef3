"""Citizens' feedback on answers, and the questions admins should review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.models import AnswerFeedback
from bot.faq.topic_match import read_field
from bot.faq.topics import keywords_by_topic
from bot.messages.models import InboundMessage
from bot.messages.service import own_message


def record_feedback(
    *,
    session: Session,
    chat_id: int,
    intent: str,
    helpful: bool,
    inbound_message_id: int | None = None,
) -> AnswerFeedback:
    """Store a "Hữu ích" / "Chưa đúng" press; a question not the chat's own is not linked."""
    if own_message(session=session, chat_id=chat_id, message_id=inbound_message_id) is None:
        inbound_message_id = None
    row = AnswerFeedback(
        chat_id=chat_id, intent=intent, helpful=helpful, inbound_message_id=inbound_message_id
    )
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class ReviewItem:
    """A question the bot did not answer well: a candidate training example."""

    at: datetime
    text: str
    intent: str | None
    confidence: float | None
    reason: str


def review_queue(*, session: Session, limit: int = 100) -> list[ReviewItem]:
    """Unanswered (fallback) questions and answers marked "Chưa đúng", newest first.

    A message that named only a field, or none ("trợ cấp", "thủ tục"), got its list of
    choices by design; it is no example of any one procedure, so it is left out.
    """
    topics = keywords_by_topic(session=session)
    fallbacks = session.scalars(
        select(InboundMessage)
        .where(InboundMessage.action == "fallback", InboundMessage.nlu_error.is_(None))
        .order_by(InboundMessage.id.desc())
        .limit(limit)
    )
    items = [
        ReviewItem(m.created_at, m.text, m.intent, m.confidence, "fallback")
        for m in fallbacks
        if not read_field(m.text, topics).offers_choices
    ]
    wrong = session.execute(
        select(AnswerFeedback, InboundMessage)
        .join(InboundMessage, AnswerFeedback.inbound_message_id == InboundMessage.id)
        .where(AnswerFeedback.helpful.is_(False))
        .order_by(AnswerFeedback.id.desc())
        .limit(limit)
    )
    items += [
        ReviewItem(f.created_at, m.text, f.intent, m.confidence, "not_right")
        for f, m in wrong.all()
    ]
    return sorted(items, key=lambda item: item.at, reverse=True)[:limit]

"""Citizens' feedback on answers, and the questions admins should review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.faq.models import AnswerFeedback
from bot.faq.review import pending_questions
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
    """Unreviewed fallback questions and answers marked "Chưa đúng", newest first (the
    same as the console's "Câu hỏi chưa trả lời được", ungrouped)."""
    return [
        ReviewItem(q.at, q.text, q.intent, q.confidence, q.reason)
        for q in pending_questions(session=session, limit=limit)
    ]


def printable(text: str) -> str:
    """`text` with control and other non-printable characters escaped as in repr()."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)

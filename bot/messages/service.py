"""Recording incoming citizen messages with their NLU result."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.messages.models import InboundMessage
from nlu.client import ParseResult


def record_inbound(
    *,
    session: Session,
    chat_id: int,
    text: str,
    action: str,
    update_id: int | None = None,
    parse: ParseResult | None = None,
    nlu_error: str | None = None,
) -> InboundMessage:
    """Store one message; a redelivered update (same update_id) updates its row instead."""
    row = None
    if update_id is not None:
        row = session.scalars(
            select(InboundMessage).where(InboundMessage.update_id == update_id)
        ).first()
    if row is None:
        row = InboundMessage(update_id=update_id, chat_id=chat_id)
        session.add(row)
    row.text = text
    row.action = action
    row.nlu_error = nlu_error
    if parse is not None:
        row.normalized_text = parse.normalized_text
        row.intent = parse.intent
        row.confidence = parse.confidence
        row.ranking = [{"name": s.name, "confidence": s.confidence} for s in parse.ranking]
    else:
        row.ranking = []
    session.flush()
    return row


def own_message(*, session: Session, chat_id: int, message_id: int | None) -> InboundMessage | None:
    """The stored message `message_id`, if it is this chat's own (else None)."""
    message = session.get(InboundMessage, message_id) if message_id is not None else None
    return message if message is not None and message.chat_id == chat_id else None

"""Recording incoming citizen messages with their NLU result."""

from __future__ import annotations

from typing import cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from bot.messages.models import InboundMessage
from nlu.client import ParseResult

# Core statements on the table: no ORM unit of work for each message.
_TABLE = cast(Table, InboundMessage.__table__)


def record_inbound(
    *,
    session: Session,
    chat_id: int,
    text: str,
    action: str,
    update_id: int | None = None,
    parse: ParseResult | None = None,
    nlu_error: str | None = None,
) -> int:
    """Store one message and return its id; a redelivered update (same update_id) updates
    its row instead. Core statements: this runs for every message a citizen sends."""
    values: dict[str, object] = {
        "chat_id": chat_id,
        "text": text,
        "action": action,
        "nlu_error": nlu_error,
        "normalized_text": parse.normalized_text if parse is not None else None,
        "intent": parse.intent if parse is not None else None,
        "confidence": parse.confidence if parse is not None else None,
        "ranking": [{"name": s.name, "confidence": s.confidence} for s in parse.ranking]
        if parse is not None
        else [],
    }
    if update_id is not None:
        existing = session.execute(
            select(_TABLE.c.id).where(_TABLE.c.update_id == update_id)
        ).scalar()
        if existing is not None:
            session.execute(update(_TABLE).where(_TABLE.c.id == existing).values(values))
            return int(existing)
    inserted = session.execute(
        insert(_TABLE).values(update_id=update_id, **values).returning(_TABLE.c.id)
    )
    return int(inserted.scalar_one())


def own_message(*, session: Session, chat_id: int, message_id: int | None) -> InboundMessage | None:
    """The stored message `message_id`, if it is this chat's own (else None)."""
    message = session.get(InboundMessage, message_id) if message_id is not None else None
    return message if message is not None and message.chat_id == chat_id else None

"""The outbox: enqueue a message, pick the due ones, record each attempt's outcome."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.events import SYSTEM, append_event
from bot.cases.status import EventKind
from bot.outbox.models import OutboxMessage

MAX_ATTEMPTS = 12
BASE_DELAY = 2.0
MAX_DELAY = 3600.0


class OutboxStatus(StrEnum):
    """Where a message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Purpose(StrEnum):
    """Who a message is for: a citizen (news of their case) or a unit's staff group."""

    CITIZEN = "citizen"
    STAFF_ALERT = "staff_alert"
    STAFF_DIGEST = "staff_digest"


def enqueue(
    *,
    session: Session,
    chat_id: int,
    text: str,
    parse_mode: str | None = "HTML",
    reply_markup: dict[str, Any] | None = None,
    case_id: int | None = None,
    purpose: Purpose = Purpose.CITIZEN,
    now: datetime | None = None,
) -> OutboxMessage:
    """Queue a message; it goes out with the transaction's commit, not before.

    Only a citizen's messages are logged on their case (`case_id` of a staff alert is
    a reference, not a message in the case's conversation).
    """
    message = OutboxMessage(
        chat_id=chat_id,
        text=text,
        parse_mode=parse_mode,
        reply_markup=reply_markup,
        case_id=case_id,
        purpose=purpose.value,
        status=OutboxStatus.PENDING.value,
        attempts=0,
        next_attempt_at=now or utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def due_ids(*, session: Session, now: datetime | None = None, limit: int = 20) -> list[int]:
    """Pending messages whose next attempt is due, oldest first."""
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= (now or utcnow()),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get(*, session: Session, message_id: int) -> OutboxMessage | None:
    """The message with this id."""
    return session.get(OutboxMessage, message_id)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt number `attempts + 1`: 2 s, 4 s, 8 s … up to an hour."""
    return timedelta(seconds=min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def mark_sent(*, session: Session, message_id: int, now: datetime | None = None) -> None:
    """Record a delivered message (and log it on its case)."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return
    message.status = OutboxStatus.SENT.value
    message.attempts += 1
    message.sent_at = now or utcnow()
    message.last_error = None
    _log(session, message, EventKind.NOTIFICATION_SENT)


def mark_attempt_failed(
    *,
    session: Session,
    message_id: int,
    error: str,
    permanent: bool = False,
    retry_after: float | None = None,
    now: datetime | None = None,
) -> None:
    """Record a failed attempt: retry later with backoff, or give up for good."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return
    message.attempts += 1
    message.last_error = error[:300]
    if permanent or message.attempts >= MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED.value
        _log(session, message, EventKind.NOTIFICATION_FAILED)
        return
    delay = timedelta(seconds=retry_after) if retry_after else backoff(message.attempts)
    message.next_attempt_at = (now or utcnow()) + delay


def _log(session: Session, message: OutboxMessage, kind: EventKind) -> None:
    if message.case_id is not None and message.purpose == Purpose.CITIZEN.value:
        append_event(
            session=session,
            case_id=message.case_id,
            kind=kind,
            actor=SYSTEM,
            data={"outbox_id": message.id, "error": message.last_error},
        )

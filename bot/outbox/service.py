"""The outbox: enqueue a message, pick the due ones, record each attempt's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from bot.cases.clock import as_utc, utcnow
from bot.cases.events import SYSTEM, append_event
from bot.cases.models import Case
from bot.cases.status import EventKind
from bot.outbox.models import OutboxMessage

BASE_DELAY = 2.0
# Transient failures (network, 5xx, timeouts, 429) are retried at least this often, so a
# message goes out within a few minutes of the Bot API coming back.
MAX_DELAY = 300.0
# ... until the message is this old (the `outbox_retry_hours` setting overrides it).
DEFAULT_GIVE_UP_AFTER = timedelta(hours=72)


class OutboxStatus(StrEnum):
    """Where a message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    # An attempt that may have reached Telegram (its answer was lost, or its sender died
    # mid-send): not sent again automatically, so the citizen never reads it twice;
    # staff see it at /admin/outbox and may send it again.
    UNCERTAIN = "uncertain"


# Statuses an attempt's outcome may still change (a late outcome corrects "uncertain").
_OPEN = (OutboxStatus.PENDING.value, OutboxStatus.UNCERTAIN.value)


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
        created_at=now or utcnow(),
    )
    session.add(message)
    session.flush()
    return message


def due_ids(*, session: Session, now: datetime | None = None, limit: int = 20) -> list[int]:
    """Pending messages whose attempt is due, in the order they were queued; a message
    waits while an earlier one to the same chat is pending and not yet due (order per chat).
    """
    moment = now or utcnow()
    earlier = aliased(OutboxMessage)
    blocked_by_earlier = exists().where(
        and_(
            earlier.chat_id == OutboxMessage.chat_id,
            earlier.id < OutboxMessage.id,
            earlier.status == OutboxStatus.PENDING.value,
            earlier.next_attempt_at > moment,
        )
    )
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING.value,
            OutboxMessage.next_attempt_at <= moment,
            ~blocked_by_earlier,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def get(*, session: Session, message_id: int) -> OutboxMessage | None:
    """The message with this id."""
    return session.get(OutboxMessage, message_id)


def backoff(attempts: int) -> timedelta:
    """The wait before attempt number `attempts + 1`: 2 s, 4 s, 8 s … up to five minutes."""
    return timedelta(seconds=min(BASE_DELAY * 2 ** max(attempts - 1, 0), MAX_DELAY))


def mark_sent(*, session: Session, message_id: int, now: datetime | None = None) -> None:
    """Record a delivered message (and log it on its case)."""
    message = _open(session, message_id)
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
    give_up_after: timedelta = DEFAULT_GIVE_UP_AFTER,
    now: datetime | None = None,
) -> None:
    """Record a failed attempt: a permanent error (blocked, bad request) fails the message
    at once; a transient one is retried with capped backoff until it is `give_up_after` old.
    """
    message = _open(session, message_id)
    if message is None:
        return
    moment = now or utcnow()
    message.attempts += 1
    message.last_error = error[:300]
    message.status = OutboxStatus.PENDING.value  # it did not arrive: retried after all
    too_old = moment - as_utc(message.created_at) >= give_up_after
    if permanent or too_old:
        message.status = OutboxStatus.FAILED.value
        _log(session, message, EventKind.NOTIFICATION_FAILED)
        return
    delay = timedelta(seconds=retry_after) if retry_after else backoff(message.attempts)
    message.next_attempt_at = moment + delay


def mark_uncertain(
    *, session: Session, message_id: int, error: str, now: datetime | None = None
) -> None:
    """Record an attempt that may have reached Telegram: it is not tried again by itself."""
    message = _open(session, message_id)
    if message is None:
        return
    message.status = OutboxStatus.UNCERTAIN.value
    message.attempts += 1
    message.last_error = error[:300]


def defer(
    *, session: Session, message_id: int, seconds: float, now: datetime | None = None
) -> None:
    """Telegram asked us to slow down (429 retry_after): try again then. Not a failure:
    no attempt is counted and staff are not shown it."""
    message = _open(session, message_id)
    if message is None:
        return
    message.status = OutboxStatus.PENDING.value
    message.next_attempt_at = (now or utcnow()) + timedelta(seconds=seconds)


def _open(session: Session, message_id: int) -> OutboxMessage | None:
    """The message if an outcome may still be recorded for it; its claim ends here."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status not in _OPEN:
        return None
    message.claimed_by = None
    message.lease_until = None
    message.sending_since = None
    return message


def retry(*, session: Session, message_id: int, now: datetime | None = None) -> bool:
    """Staff asked to send a failed, uncertain (or waiting) message again: it is queued
    anew, due now, with a fresh retry window. False when there is nothing to retry
    (already sent)."""
    message = session.get(OutboxMessage, message_id)
    if message is None or message.status == OutboxStatus.SENT.value:
        return False
    moment = now or utcnow()
    message.claimed_by = None
    message.lease_until = None
    message.sending_since = None
    message.status = OutboxStatus.PENDING.value
    message.attempts = 0
    message.next_attempt_at = moment
    message.created_at = moment  # the retry window starts again
    return True


@dataclass(frozen=True)
class Trouble:
    """A message staff should look at: what it was for and why it has not gone out."""

    id: int
    case_code: str | None
    purpose: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    last_error: str | None


def troubled(*, session: Session, limit: int = 200) -> list[Trouble]:
    """Failed and uncertain messages, and pending ones whose last attempt failed, newest
    first."""
    stmt = (
        select(OutboxMessage, Case.code)
        .outerjoin(Case, Case.id == OutboxMessage.case_id)
        .where(
            OutboxMessage.status.in_([OutboxStatus.FAILED.value, OutboxStatus.UNCERTAIN.value])
            | (
                (OutboxMessage.status == OutboxStatus.PENDING.value)
                & OutboxMessage.last_error.is_not(None)
            )
        )
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return [
        Trouble(
            id=m.id,
            case_code=code,
            purpose=m.purpose,
            status=m.status,
            attempts=m.attempts,
            created_at=as_utc(m.created_at),
            next_attempt_at=as_utc(m.next_attempt_at),
            last_error=m.last_error,
        )
        for m, code in session.execute(stmt)
    ]


def _log(session: Session, message: OutboxMessage, kind: EventKind) -> None:
    if message.case_id is not None and message.purpose == Purpose.CITIZEN.value:
        append_event(
            session=session,
            case_id=message.case_id,
            kind=kind,
            actor=SYSTEM,
            data={"outbox_id": message.id, "error": message.last_error},
        )

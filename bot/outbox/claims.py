"""Several sender processes share one outbox: a sender claims due messages with a lease,
records each attempt before it sends, and so no message is taken twice.

- Claiming: a chat's earliest pending message (its head) is taken with
  `SELECT … FOR UPDATE SKIP LOCKED` (PostgreSQL; SQLite has one writer at a time and
  ignores the clause) and a conditional UPDATE that sets `claimed_by` and `lease_until`;
  a head under another sender's live lease is left alone. Whoever holds a chat's head
  may also take the messages right after it, so a chat's messages are never sent by two
  senders at once, and never out of order.
- Before each send the sender commits `sending_since` (renewing its lease). If the lease
  runs out while that mark is still there, the sender died mid-send: the message may
  have reached Telegram, so it becomes "uncertain" for staff, not sent again blindly.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.cases.clock import as_utc, utcnow
from bot.outbox.models import OutboxMessage
from bot.outbox.service import OutboxStatus

# What an uncertain message says when its sender stopped in the middle of sending it.
ABANDONED = "sender stopped mid-send; the message may have been delivered"

_PENDING = OutboxMessage.status == OutboxStatus.PENDING.value


def sender_id() -> str:
    """An id for this process's sender: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Claimed:
    """What one send needs, read when the message was claimed."""

    id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None


def claim(
    *,
    session: Session,
    sender: str,
    lease: timedelta,
    chats: int = 50,
    per_chat: int = 3,
    now: datetime | None = None,
) -> list[Claimed]:
    """Claim due messages for `sender` until `now + lease`, in queue order: the heads of
    up to `chats` chats, each followed by at most `per_chat - 1` more of its chat's due
    messages. Abandoned sends are settled as uncertain first."""
    moment = now or utcnow()
    settle_abandoned(session=session, now=moment)
    heads = _claim(session, _free_heads(session, moment, chats), sender, moment, lease)
    if not heads:
        return []
    followers = _followers(session, heads, moment, per_chat - 1)
    taken = heads + _claim(session, followers, sender, moment, lease)
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.id.in_(taken)).order_by(OutboxMessage.id)
    )
    return [Claimed(m.id, m.chat_id, m.text, m.parse_mode, m.reply_markup) for m in rows]


def _free(moment: datetime) -> ColumnElement[bool]:
    """Pending, due, under no live lease, and no attempt in progress."""
    return and_(
        _PENDING,
        OutboxMessage.next_attempt_at <= moment,
        or_(OutboxMessage.lease_until.is_(None), OutboxMessage.lease_until <= moment),
        OutboxMessage.sending_since.is_(None),
    )


def _free_heads(session: Session, moment: datetime, limit: int) -> list[int]:
    """Free chat heads, oldest first; on PostgreSQL locked, skipping rows another
    sender is claiming right now."""
    earlier = aliased(OutboxMessage)
    has_earlier = exists().where(
        earlier.chat_id == OutboxMessage.chat_id,
        earlier.id < OutboxMessage.id,
        earlier.status == OutboxStatus.PENDING.value,
    )
    stmt = (
        select(OutboxMessage.id)
        .where(_free(moment), ~has_earlier)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(stmt))


def _claim(
    session: Session, wanted: list[int], sender: str, moment: datetime, lease: timedelta
) -> list[int]:
    """Lease the rows of `wanted` that are still free; the UPDATE checks that again
    itself, so two senders cannot both win a row (PostgreSQL re-reads a row another
    transaction changed before updating it; SQLite has one writer at a time)."""
    if not wanted:
        return []
    stmt = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(wanted), _free(moment))
        .values(claimed_by=sender, lease_until=moment + lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(stmt))


def _followers(session: Session, heads: list[int], moment: datetime, per_chat: int) -> list[int]:
    """The due messages right after each claimed head, stopping at the first one that
    is not free (order per chat), at most `per_chat` a chat."""
    if per_chat <= 0:
        return []
    head_of = dict(
        session.execute(
            select(OutboxMessage.chat_id, OutboxMessage.id).where(OutboxMessage.id.in_(heads))
        ).all()
    )
    rows = session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.chat_id,
            OutboxMessage.next_attempt_at,
            OutboxMessage.lease_until,
            OutboxMessage.sending_since,
        )
        .where(OutboxMessage.chat_id.in_(head_of), _PENDING)
        .order_by(OutboxMessage.chat_id, OutboxMessage.id)
    ).all()
    taken: list[int] = []
    count: dict[int, int] = {}
    stopped: set[int] = set()
    for message_id, chat_id, due_at, lease_until, sending_since in rows:
        if message_id <= head_of[chat_id] or chat_id in stopped:
            continue
        free = (
            as_utc(due_at) <= moment
            and (lease_until is None or as_utc(lease_until) <= moment)
            and sending_since is None
        )
        if not free or count.get(chat_id, 0) >= per_chat:
            stopped.add(chat_id)
            continue
        count[chat_id] = count.get(chat_id, 0) + 1
        taken.append(message_id)
    return sorted(taken)


def begin_attempt(
    *, session: Session, message_id: int, sender: str, lease: timedelta, now: datetime | None = None
) -> bool:
    """Record that `sender` is about to send the message (and renew its lease); False
    when the message is no longer this sender's to send."""
    moment = now or utcnow()
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claimed_by == sender,
            _PENDING,
            OutboxMessage.sending_since.is_(None),
        )
        .values(sending_since=moment, lease_until=moment + lease)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def release(*, session: Session, sender: str, message_ids: list[int]) -> None:
    """Give back claimed messages this sender will not attempt in this round."""
    if not message_ids:
        return
    session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(message_ids),
            OutboxMessage.claimed_by == sender,
            OutboxMessage.sending_since.is_(None),
        )
        .values(claimed_by=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )


def settle_abandoned(*, session: Session, now: datetime | None = None) -> int:
    """Messages whose sender's lease ran out in the middle of a send become uncertain;
    returns how many."""
    moment = now or utcnow()
    result = session.execute(
        update(OutboxMessage)
        .where(
            _PENDING,
            OutboxMessage.sending_since.is_not(None),
            OutboxMessage.lease_until <= moment,
        )
        .values(
            status=OutboxStatus.UNCERTAIN.value,
            last_error=ABANDONED,
            claimed_by=None,
            lease_until=None,
            sending_since=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)

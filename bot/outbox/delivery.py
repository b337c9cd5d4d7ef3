"""Sending due outbox messages through the Bot API, with retries and backoff on failure."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.cases.clock import utcnow
from bot.db_outage import survives_outage
from bot.outbox import service as outbox

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class Pending:
    """What one send needs, read from the database."""

    id: int
    chat_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None


async def deliver_due(
    *,
    bot: Bot,
    sessions: sessionmaker[Session],
    limit: int = 20,
    give_up_after: timedelta = outbox.DEFAULT_GIVE_UP_AFTER,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Send every due message once, in order per chat; returns how many went out.

    When a message to a chat fails, the chat's later messages wait for it.
    """
    ids = await _db(sessions, lambda s: outbox.due_ids(session=s, limit=limit, now=clock()))
    sent = 0
    held: set[int] = set()
    for message_id in ids:
        pending = await _db(sessions, lambda s, i=message_id: _load(s, i))  # type: ignore[misc]
        if pending is None or pending.chat_id in held:
            continue
        if await _send_one(bot, sessions, pending, give_up_after, clock):
            sent += 1
        else:
            held.add(pending.chat_id)
    return sent


async def _send_one(
    bot: Bot,
    sessions: sessionmaker[Session],
    pending: Pending,
    give_up_after: timedelta,
    clock: Callable[[], datetime],
) -> bool:
    """One attempt; the outcome is written back in its own transaction."""
    markup = (
        InlineKeyboardMarkup.de_json(pending.reply_markup, bot) if pending.reply_markup else None
    )
    error: str | None = None
    permanent = False
    retry_after: float | None = None
    try:
        await bot.send_message(
            chat_id=pending.chat_id,
            text=pending.text,
            parse_mode=pending.parse_mode,
            reply_markup=markup,
        )
    except Forbidden as exc:  # the citizen blocked the bot: retrying cannot help
        error, permanent = f"forbidden: {exc.message}", True
    except BadRequest as exc:  # e.g. chat not found, malformed text
        error, permanent = f"bad request: {exc.message}", True
    except RetryAfter as exc:
        error, retry_after = "retry after", _seconds(exc.retry_after)
    except TelegramError as exc:  # network, timeouts, 5xx: transient, retried
        error = f"{type(exc).__name__}: {exc.message}"
    if error is None:
        await _db(
            sessions, lambda s: outbox.mark_sent(session=s, message_id=pending.id, now=clock())
        )
        return True
    log.warning("Outbox message %s not delivered: %s", pending.id, error)
    await _db(
        sessions,
        lambda s: outbox.mark_attempt_failed(
            session=s,
            message_id=pending.id,
            error=error or "",
            permanent=permanent,
            retry_after=retry_after,
            give_up_after=give_up_after,
            now=clock(),
        ),
    )
    return False


def _seconds(value: Any) -> float:
    """retry_after as seconds, whether PTB gives an int or a timedelta."""
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


def _load(session: Session, message_id: int) -> Pending | None:
    message = outbox.get(session=session, message_id=message_id)
    if message is None or message.status != outbox.OutboxStatus.PENDING.value:
        return None
    return Pending(
        message.id, message.chat_id, message.text, message.parse_mode, message.reply_markup
    )


async def _db(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    def run() -> T:
        with sessions() as session, session.begin():
            return work(session)

    return await asyncio.to_thread(run)


@survives_outage("outbox")
async def outbox_job(context: Any) -> None:
    """The repeating JobQueue job: deliver what is due (background work opens its own session)."""
    services = context.bot_data
    await deliver_due(
        bot=context.bot,
        sessions=services.sessions,
        give_up_after=timedelta(hours=services.settings.outbox_retry_hours),
    )

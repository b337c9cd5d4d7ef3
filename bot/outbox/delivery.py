"""Sending due outbox messages through the Bot API, with retries and backoff on failure.

One round: claim due messages (bot.outbox.claims), send each chat's in order, chats side
by side, paced per chat and overall like Telegram allows, and record every outcome.

What an outcome means:
- sent: recorded at once;
- a 429 (after PTB's rate limiter has waited its retry_after and tried again): the
  message waits retry_after more, no attempt counted;
- Forbidden, BadRequest: failed for good (retrying cannot help);
- the request may have reached Telegram (a read timeout, a connection lost while waiting
  for the answer; bot.outbox.arrival): "uncertain", not retried, unless the
  `outbox_resend_uncertain` setting prefers a possible duplicate to a possible loss;
- any other error (no connection, 5xx): retried with capped backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.cases.clock import utcnow
from bot.db_outage import survives_outage
from bot.outbox import claims
from bot.outbox import service as outbox
from bot.outbox.arrival import may_have_arrived
from bot.outbox.claims import Claimed
from bot.ratelimit import BULK_PER_SECOND, BulkPacer

log = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_LEASE = timedelta(seconds=60)
ROUND_SIZE = 100  # chats claimed per round (or in flight while draining)
# Messages of one chat taken at a time: at one a second after a burst of three, a chat's
# five take about three seconds, well inside a lease (renewed before every send).
PER_CHAT = 5
CLAIM_EVERY = 0.25  # seconds: while draining, finished chats are replaced this often


@dataclass
class Sender:
    """One sending process: its id in `claimed_by`, its lease, its per-chat pacing."""

    id: str = field(default_factory=claims.sender_id)
    lease: timedelta = DEFAULT_LEASE
    pacer: BulkPacer = field(default_factory=BulkPacer)
    resend_uncertain: bool = False


@dataclass(frozen=True)
class Round:
    """What one round did."""

    claimed: int
    sent: int


async def deliver_due(
    *,
    bot: Bot,
    sessions: sessionmaker[Session],
    sender: Sender | None = None,
    chats: int = ROUND_SIZE,
    give_up_after: timedelta = outbox.DEFAULT_GIVE_UP_AFTER,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """One round: send what is due, in order per chat; returns how many went out."""
    done = await run_round(
        bot=bot,
        sessions=sessions,
        sender=sender or process_sender(),
        chats=chats,
        give_up_after=give_up_after,
        clock=clock,
    )
    return done.sent


async def drain(
    *,
    bot: Bot,
    sessions: sessionmaker[Session],
    sender: Sender,
    keep_going: Callable[[], bool] = lambda: True,
    chats: int = ROUND_SIZE,
    give_up_after: timedelta = outbox.DEFAULT_GIVE_UP_AFTER,
    clock: Callable[[], datetime] = utcnow,
) -> int:
    """Send until nothing is due (or `keep_going()` says stop); returns how many went out.

    A pipeline rather than rounds: each claimed chat is a task, and more is claimed as
    tasks finish, so a chat waiting for its pace (a group: one message in three seconds)
    holds up no other chat. Claimed chats are leased by this sender, so a later claim
    never takes them again.
    """
    attempt = _Attempt(bot, sessions, sender, give_up_after, clock)
    tasks: set[asyncio.Task[int]] = set()
    sent = 0
    try:
        while True:
            room = chats - len(tasks)
            if keep_going() and room > 0:
                batch = await _claim(sessions, sender, room, clock)
                tasks |= {asyncio.create_task(attempt.chat(m)) for m in _by_chat(batch)}
            if not tasks:
                return sent
            done, tasks = await asyncio.wait(
                tasks, timeout=CLAIM_EVERY, return_when=asyncio.FIRST_COMPLETED
            )
            if done and len(tasks) > chats // 2:
                more, tasks = await asyncio.wait(tasks, timeout=CLAIM_EVERY)
                done |= more
            sent += sum(task.result() for task in done)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def run_round(
    *,
    bot: Bot,
    sessions: sessionmaker[Session],
    sender: Sender,
    chats: int,
    give_up_after: timedelta,
    clock: Callable[[], datetime],
) -> Round:
    """Claim, send chat by chat (chats concurrently), give back what was not attempted."""
    batch = await _claim(sessions, sender, chats, clock)
    attempt = _Attempt(bot, sessions, sender, give_up_after, clock)
    results = await asyncio.gather(*(attempt.chat(messages) for messages in _by_chat(batch)))
    return Round(claimed=len(batch), sent=sum(results))


async def _claim(
    sessions: sessionmaker[Session], sender: Sender, chats: int, clock: Callable[[], datetime]
) -> list[Claimed]:
    return await _db(
        sessions,
        lambda s: claims.claim(
            session=s,
            sender=sender.id,
            lease=sender.lease,
            chats=chats,
            per_chat=PER_CHAT,
            now=clock(),
        ),
    )


def _by_chat(batch: list[Claimed]) -> list[list[Claimed]]:
    """Each chat's claimed messages, in order."""
    chats: dict[int, list[Claimed]] = {}
    for message in batch:
        chats.setdefault(message.chat_id, []).append(message)
    return list(chats.values())


@dataclass(frozen=True)
class _Attempt:
    bot: Bot
    sessions: sessionmaker[Session]
    sender: Sender
    give_up_after: timedelta
    clock: Callable[[], datetime]

    async def chat(self, messages: list[Claimed]) -> int:
        """Send one chat's messages in order; after a message that did not go out, give
        the rest back (they wait for it)."""
        sent = 0
        for number, message in enumerate(messages):
            async with self.sender.pacer.slot(message.chat_id):
                ok = await self._begin(message) and await self.send(message)
            if not ok:
                await self._release([m.id for m in messages[number:]])
                break
            sent += 1
        return sent

    async def _release(self, ids: list[int]) -> None:
        await _db(
            self.sessions,
            lambda s: claims.release(session=s, sender=self.sender.id, message_ids=ids),
        )

    async def _begin(self, message: Claimed) -> bool:
        return await _db(
            self.sessions,
            lambda s: claims.begin_attempt(
                session=s,
                message_id=message.id,
                sender=self.sender.id,
                lease=self.sender.lease,
                now=self.clock(),
            ),
        )

    async def send(self, message: Claimed) -> bool:
        """One attempt, its attempt mark already committed; the outcome is written back
        in its own transaction. True when the message went out."""
        markup = (
            InlineKeyboardMarkup.de_json(message.reply_markup, self.bot)
            if message.reply_markup
            else None
        )
        try:
            await self.bot.send_message(
                chat_id=message.chat_id,
                text=message.text,
                parse_mode=message.parse_mode,
                reply_markup=markup,
            )
        except TelegramError as exc:
            await self._failed(message, exc)
            return False
        await self._record(
            lambda s, now: outbox.mark_sent(session=s, message_id=message.id, now=now)
        )
        return True

    async def _failed(self, message: Claimed, exc: TelegramError) -> None:
        if isinstance(exc, RetryAfter):
            wait = _seconds(exc.retry_after)
            log.info("Outbox message %s rate limited; again in %.0f s", message.id, wait)
            await self._record(
                lambda s, now: outbox.defer(session=s, message_id=message.id, seconds=wait, now=now)
            )
            return
        permanent = isinstance(exc, Forbidden | BadRequest)
        if isinstance(exc, Forbidden):  # the citizen blocked the bot
            error = f"forbidden: {exc.message}"
        elif isinstance(exc, BadRequest):  # e.g. chat not found, malformed text
            error = f"bad request: {exc.message}"
        else:
            error = f"{type(exc).__name__}: {exc.message}"
        if not permanent and may_have_arrived(exc) and not self.sender.resend_uncertain:
            log.warning("Outbox message %s may have been delivered: %s", message.id, error)
            await self._record(
                lambda s, now: outbox.mark_uncertain(
                    session=s, message_id=message.id, error=error, now=now
                )
            )
            return
        log.warning("Outbox message %s not delivered: %s", message.id, error)
        await self._record(
            lambda s, now: outbox.mark_attempt_failed(
                session=s,
                message_id=message.id,
                error=error,
                permanent=permanent,
                give_up_after=self.give_up_after,
                now=now,
            )
        )

    async def _record(self, work: Callable[[Session, datetime], None]) -> None:
        await _db(self.sessions, lambda s: work(s, self.clock()))


def _seconds(value: Any) -> float:
    """retry_after as seconds, whether PTB gives an int or a timedelta."""
    return float(value.total_seconds()) if hasattr(value, "total_seconds") else float(value)


# PostgreSQL's "deadlock detected": two senders' multi-row updates (a claim, a release)
# met on the same rows in different orders and one was rolled back; doing it again is
# what the server asks.
DEADLOCK = "40P01"
DEADLOCK_TRIES = 3


def is_deadlock(exc: OperationalError) -> bool:
    """True when the database rolled the transaction back to break a deadlock."""
    return getattr(exc.orig, "sqlstate", None) == DEADLOCK


# The outbox's database work runs on threads of its own: a burst of notices (several
# transactions per message, some waiting on row locks) must not queue the citizens' turns
# behind it in the event loop's default executor, which the handlers use.
THREADS = 3
_EXECUTOR = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="outbox")


async def _db(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run `work` in a transaction of its own on an outbox thread; again, up to
    `DEADLOCK_TRIES` times in all, if the database broke a deadlock by rolling it back."""

    def run() -> T:
        attempt = 1
        while True:
            try:
                with sessions() as session, session.begin():
                    return work(session)
            except OperationalError as exc:
                if attempt >= DEADLOCK_TRIES or not is_deadlock(exc):
                    raise
                attempt += 1

    return await asyncio.get_running_loop().run_in_executor(_EXECUTOR, run)


_process_sender: Sender | None = None


def process_sender(
    *,
    lease: timedelta = DEFAULT_LEASE,
    resend_uncertain: bool = False,
    per_second: float = BULK_PER_SECOND,
) -> Sender:
    """This process's sender (one id, one pacer), made on first use."""
    global _process_sender  # one sender per process, by design
    if _process_sender is None:
        pacer = BulkPacer(overall_per_second=per_second)
        _process_sender = Sender(lease=lease, pacer=pacer, resend_uncertain=resend_uncertain)
    return _process_sender


# The drain each application is running, if any (keyed by id: one per Application).
_draining: dict[int, asyncio.Task[Any]] = {}


async def outbox_job(context: Any) -> None:
    """The repeating JobQueue job: start draining the outbox unless a drain is running.

    The drain is a task of its own (awaited when the application stops), so a long one
    (a thousand notifications take half a minute at Telegram's pace) never makes the
    scheduler skip runs of this job.
    """
    app = context.application
    running = _draining.get(id(app))
    if running is not None and not running.done():
        return
    _draining[id(app)] = app.create_task(_drain_job(context), name="outbox-drain")


@survives_outage("outbox")
async def _drain_job(context: Any) -> None:
    """Deliver what is due (background work opens its own session)."""
    services = context.bot_data
    settings = services.settings
    sender = process_sender(
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        resend_uncertain=settings.outbox_resend_uncertain,
        per_second=settings.outbox_per_second,
    )
    app = context.application
    await drain(
        bot=context.bot,
        sessions=services.sessions,
        sender=sender,
        keep_going=lambda: bool(app.running),
        give_up_after=timedelta(hours=settings.outbox_retry_hours),
    )

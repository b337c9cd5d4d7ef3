"""The Bot API down for an hour (and more), simulated with an injected clock: messages wait,
go out afterwards in order per chat, and only a message too old or refused fails."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.orm import Session
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.delivery import Sender, deliver_due
from bot.ratelimit import BulkPacer

START = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
TICK = timedelta(seconds=30)


@dataclass
class Clock:
    """The time the outbox sees; the test moves it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


def connect_timeout() -> TimedOut:
    """A timeout before the request left (PTB keeps httpx's error as the cause)."""
    error = TimedOut()
    error.__cause__ = httpx.ConnectTimeout("connect")
    return error


def unpaced() -> Sender:
    """A sender without per-chat pacing: these tests move a fake clock, not real time."""
    return Sender(pacer=BulkPacer(burst=10**6, per_second=10**6, overall_per_second=10**6))


@dataclass
class FlakyBot:
    """A Bot API that is down for everyone, refuses some chats, or works."""

    down: bool = False
    blocked: set[int] = field(default_factory=set)
    broken: set[int] = field(default_factory=set)  # chats whose connections time out
    sent: list[tuple[int, str]] = field(default_factory=list)
    tries: int = 0

    async def send_message(self, *, chat_id: int, text: str, **_: Any) -> None:
        self.tries += 1
        if self.down:
            raise NetworkError("Bad Gateway")
        if chat_id in self.blocked:
            raise Forbidden("bot was blocked by the user")
        if chat_id in self.broken:
            raise connect_timeout()
        self.sent.append((chat_id, text))


@dataclass
class Outbox:
    """The outbox of one test database, delivered by ticks of the fake clock."""

    db_url: str
    bot: FlakyBot = field(default_factory=FlakyBot)
    clock: Clock = field(default_factory=Clock)
    give_up_after: timedelta = timedelta(hours=72)
    sender: Sender = field(default_factory=unpaced)

    def queue(self, chat_id: int, text: str) -> int:
        with session_factory(self.db_url)() as session, session.begin():
            return outbox.enqueue(session=session, chat_id=chat_id, text=text, now=self.clock()).id

    async def run(self, duration: timedelta) -> None:
        """Deliver every TICK for `duration`, as the bot's job does."""
        end = self.clock.now + duration
        while self.clock.now < end:
            await deliver_due(
                bot=self.bot,  # type: ignore[arg-type]
                sessions=session_factory(self.db_url),
                sender=self.sender,
                give_up_after=self.give_up_after,
                clock=self.clock,
            )
            self.clock.now += TICK

    def status(self, message_id: int) -> tuple[str, int, str | None]:
        with session_factory(self.db_url)() as session:
            message = outbox.get(session=session, message_id=message_id)
            assert message is not None
            return message.status, message.attempts, message.last_error

    def texts_to(self, chat_id: int) -> list[str]:
        return [text for chat, text in self.bot.sent if chat == chat_id]


async def test_an_hour_down_then_everything_goes_out_in_order_per_chat(
    db_url: str, db: Session
) -> None:
    box = Outbox(db_url, FlakyBot(down=True))
    ids = [box.queue(1, "a1"), box.queue(2, "b1"), box.queue(1, "a2")]
    await box.run(timedelta(minutes=40))
    ids += [box.queue(2, "b2"), box.queue(1, "a3")]  # staff keep replying meanwhile
    await box.run(timedelta(minutes=30))
    assert box.bot.sent == [] and {box.status(i)[0] for i in ids} == {"pending"}
    # Backoff is capped at five minutes: roughly one try a message each five minutes.
    assert box.bot.tries < len(ids) * (70 / 5 + 8)
    box.bot.down = False
    await box.run(outbox.backoff(99) + TICK)
    assert box.texts_to(1) == ["a1", "a2", "a3"] and box.texts_to(2) == ["b1", "b2"]
    assert {box.status(i)[0] for i in ids} == {"sent"}


async def test_a_later_message_waits_for_an_earlier_one_of_its_chat(
    db_url: str, db: Session
) -> None:
    box = Outbox(db_url, FlakyBot(broken={1}))
    first = box.queue(1, "a1")
    other = box.queue(2, "b1")
    await box.run(timedelta(minutes=10))  # a1 is now in a long backoff
    second = box.queue(1, "a2")  # due at once, but must not overtake a1
    box.bot.broken.clear()
    with session_factory(db_url)() as session:
        assert second not in outbox.due_ids(session=session, now=box.clock())
    await box.run(TICK)
    assert box.texts_to(1) == [] and box.texts_to(2) == ["b1"]  # other chats are not held
    await box.run(outbox.backoff(99))
    assert box.texts_to(1) == ["a1", "a2"]
    assert [box.status(i)[0] for i in (first, other, second)] == ["sent"] * 3


async def test_a_message_too_old_fails_and_frees_its_chat(db_url: str, db: Session) -> None:
    box = Outbox(db_url, FlakyBot(down=True), give_up_after=timedelta(hours=2))
    old = box.queue(1, "a1")
    await box.run(timedelta(hours=1))
    newer = box.queue(1, "a2")
    await box.run(timedelta(hours=1, minutes=6))
    status, attempts, error = box.status(old)
    assert status == "failed" and attempts > 20 and error == "NetworkError: Bad Gateway"
    assert box.status(newer)[0] == "pending"  # younger: still retried
    box.bot.down = False
    await box.run(outbox.backoff(99) + TICK)
    assert box.texts_to(1) == ["a2"]


async def test_a_blocked_chat_fails_at_once_without_holding_later_messages(
    db_url: str, db: Session
) -> None:
    box = Outbox(db_url, FlakyBot(blocked={1}))
    refused = box.queue(1, "a1")
    await box.run(TICK)
    assert box.status(refused) == ("failed", 1, "forbidden: bot was blocked by the user")
    box.bot.blocked.clear()
    later = box.queue(1, "a2")
    await box.run(TICK)
    assert box.status(later)[0] == "sent" and box.texts_to(1) == ["a2"]


async def test_staff_retry_sends_a_failed_message_again(db_url: str, db: Session) -> None:
    box = Outbox(db_url, FlakyBot(blocked={1}))
    message = box.queue(1, "a1")
    await box.run(TICK)
    assert box.status(message)[0] == "failed"
    with session_factory(db_url)() as session, session.begin():
        [shown] = outbox.troubled(session=session)
        assert (shown.id, shown.status, shown.case_code) == (message, "failed", None)
        assert outbox.retry(session=session, message_id=message, now=box.clock())
    box.bot.blocked.clear()
    await box.run(TICK)
    assert box.status(message) == ("sent", 1, None)
    with session_factory(db_url)() as session, session.begin():
        assert outbox.troubled(session=session) == []
        assert not outbox.retry(session=session, message_id=message)  # sent: nothing to do

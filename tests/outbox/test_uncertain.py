"""A send that may have reached Telegram is not sent again by itself: it waits, marked
"uncertain", for staff; a send that certainly did not leave is retried as usual."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.orm import Session
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.arrival import may_have_arrived
from bot.outbox.delivery import Sender
from tests.outbox.test_outage import TICK, Outbox, unpaced


def caused(error: TelegramError, cause: Exception) -> TelegramError:
    """`error` raised from `cause`, as PTB raises transport errors."""
    error.__cause__ = cause
    return error


REQUEST = httpx.Request("POST", "http://127.0.0.1/bot/sendMessage")


@pytest.mark.parametrize(
    ("error", "arrived"),
    [
        (caused(TimedOut(), httpx.ReadTimeout("read", request=REQUEST)), True),
        (caused(NetworkError("x"), httpx.RemoteProtocolError("gone", request=REQUEST)), True),
        (caused(NetworkError("x"), httpx.ReadError("reset", request=REQUEST)), True),
        (TimedOut(), True),  # no cause known: assume the worst
        (caused(TimedOut(), httpx.ConnectTimeout("connect", request=REQUEST)), False),
        (caused(TimedOut(), httpx.PoolTimeout("pool", request=REQUEST)), False),
        (caused(TimedOut(), httpx.WriteTimeout("write", request=REQUEST)), False),
        (caused(NetworkError("x"), httpx.ConnectError("refused", request=REQUEST)), False),
        (NetworkError("Bad Gateway"), False),  # a 502 answer: Telegram refused it
        (BadRequest("chat not found"), False),
    ],
)
def test_what_may_have_arrived(error: TelegramError, arrived: bool) -> None:
    assert may_have_arrived(error) is arrived


@dataclass
class LossyBot:
    """Telegram receives every message, but the answer for the chats in `lost` is lost."""

    lost: set[int] = field(default_factory=set)
    received: list[tuple[int, str]] = field(default_factory=list)

    async def send_message(self, *, chat_id: int, text: str, **_: Any) -> None:
        self.received.append((chat_id, text))
        if chat_id in self.lost:
            raise caused(TimedOut(), httpx.ReadTimeout("read", request=REQUEST))


async def test_a_lost_answer_is_not_resent_until_staff_ask(db_url: str, db: Session) -> None:
    box = Outbox(db_url, LossyBot(lost={1}))  # type: ignore[arg-type]
    first = box.queue(1, "a1")
    await box.run(TICK)
    second = box.queue(1, "a2")
    await box.run(timedelta(minutes=30))
    bot: LossyBot = box.bot  # type: ignore[assignment]
    assert bot.received == [(1, "a1"), (1, "a2")]  # each once: no blind retry
    assert box.status(first) == ("uncertain", 1, "TimedOut: Timed out")
    with session_factory(db_url)() as session, session.begin():
        shown = outbox.troubled(session=session)
        assert [(t.id, t.status) for t in shown] == [(second, "uncertain"), (first, "uncertain")]
        assert outbox.retry(session=session, message_id=first, now=box.clock())
    bot.lost.clear()
    await box.run(TICK)
    assert bot.received[-1] == (1, "a1") and box.status(first) == ("sent", 1, None)


async def test_an_uncertain_message_does_not_hold_its_chat(db_url: str, db: Session) -> None:
    box = Outbox(db_url, LossyBot(lost={1}))  # type: ignore[arg-type]
    box.queue(1, "a1")
    await box.run(TICK)
    box.bot.lost.clear()  # type: ignore[attr-defined]
    later = box.queue(1, "a2")
    await box.run(TICK)
    assert box.status(later)[0] == "sent"


async def test_the_office_may_prefer_a_duplicate_to_a_loss(db_url: str, db: Session) -> None:
    sender: Sender = unpaced()
    sender.resend_uncertain = True
    box = Outbox(db_url, LossyBot(lost={1}), sender=sender)  # type: ignore[arg-type]
    message = box.queue(1, "a1")
    await box.run(TICK)
    assert box.status(message)[0] == "pending"
    box.bot.lost.clear()  # type: ignore[attr-defined]
    await box.run(timedelta(seconds=5))
    assert box.bot.received == [(1, "a1"), (1, "a1")]  # type: ignore[attr-defined]
    assert box.status(message)[0] == "sent"

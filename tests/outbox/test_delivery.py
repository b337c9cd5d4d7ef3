"""Delivery of due messages through a fake Bot: success, blocked citizen, rate limit, outage."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg.errors
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.delivery import DEADLOCK_TRIES, _db, deliver_due
from bot.outbox.models import OutboxMessage


class FakeBot:
    """Records send_message calls; raises the queued errors first."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.sent: list[dict[str, Any]] = []

    async def send_message(self, **kwargs: Any) -> None:
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(kwargs)


def queue(db_url: str, **kwargs: Any) -> int:
    with session_factory(db_url)() as session, session.begin():
        return outbox.enqueue(session=session, chat_id=1, text="tin", **kwargs).id


def status(db_url: str, message_id: int) -> tuple[str, int, str | None]:
    with session_factory(db_url)() as session:
        message = outbox.get(session=session, message_id=message_id)
        assert message is not None
        return message.status, message.attempts, message.last_error


ERRORS: dict[str, Callable[[], Exception]] = {
    "blocked": lambda: Forbidden("bot was blocked by the user"),
    "rate limited": lambda: RetryAfter(timedelta(seconds=5)),
    "bad gateway": lambda: NetworkError("Bad Gateway"),
}


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (None, "sent"),
        ("blocked", "failed"),
        ("rate limited", "pending"),
        ("bad gateway", "pending"),
    ],
)
async def test_one_attempt(
    db_url: str, db: Session, error: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # as bot.app sets it for the running bot
    markup = {"inline_keyboard": [[{"text": "5", "callback_data": "case:rate:QH-2611-0001:5"}]]}
    message_id = queue(db_url, reply_markup=markup)
    bot = FakeBot(*([ERRORS[error]()] if error else []))
    sent = await deliver_due(bot=bot, sessions=session_factory(db_url))  # type: ignore[arg-type]
    assert status(db_url, message_id)[0] == expected
    assert sent == (1 if expected == "sent" else 0)
    if expected == "sent":
        assert bot.sent[0]["reply_markup"].inline_keyboard[0][0].callback_data.endswith(":5")


def _deadlock() -> OperationalError:
    return OperationalError("UPDATE outbox …", {}, psycopg.errors.DeadlockDetected("deadlock"))


async def test_a_transaction_rolled_back_for_a_deadlock_is_done_again(db_url: str) -> None:
    """Two senders' updates can meet on the same rows in different orders; PostgreSQL
    rolls one back ("deadlock detected") and that one is simply run again."""
    sessions = session_factory(db_url)
    calls: list[int] = []

    def work(session: Session) -> int:
        calls.append(1)
        message = outbox.enqueue(session=session, chat_id=1, text="tin", parse_mode=None)
        session.flush()
        if len(calls) == 1:
            raise _deadlock()  # after a write: the first try's row must not stay
        return message.id

    await _db(sessions, work)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    assert len(calls) == 2


async def test_other_errors_and_a_deadlock_every_time_are_raised(db_url: str) -> None:
    sessions = session_factory(db_url)
    tries: list[int] = []

    def deadlocked(session: Session) -> None:
        tries.append(1)
        raise _deadlock()

    with pytest.raises(OperationalError):
        await _db(sessions, deadlocked)
    assert len(tries) == DEADLOCK_TRIES

    def gone(session: Session) -> None:
        tries.append(1)
        raise OperationalError("SELECT 1", {}, psycopg.errors.AdminShutdown("shutting down"))

    tries.clear()
    with pytest.raises(OperationalError):
        await _db(sessions, gone)
    assert len(tries) == 1


async def test_outbox_work_never_waits_behind_a_busy_default_executor(db_url: str) -> None:
    """The handlers' database work uses the loop's default executor; the outbox has threads
    of its own, so neither queues behind the other's burst."""
    sessions = session_factory(db_url)
    release = threading.Event()
    loop = asyncio.get_running_loop()
    busy = [loop.run_in_executor(None, release.wait) for _ in range(64)]  # all its threads
    try:
        name = await asyncio.wait_for(
            _db(sessions, lambda s: threading.current_thread().name), timeout=5
        )
    finally:
        release.set()
        await asyncio.gather(*busy)
    assert name.startswith("outbox")

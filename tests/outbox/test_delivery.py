"""Delivery of due messages through a fake Bot: success, blocked citizen, rate limit, outage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.db import session_factory
from bot.outbox import service as outbox
from bot.outbox.delivery import deliver_due


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

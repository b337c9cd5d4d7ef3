"""The error handler: our own Bad Request is an error worth reading, a network blip is not."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from telegram import Chat, Message, Update
from telegram.error import BadRequest, NetworkError, TimedOut

from bot import texts
from handlers.errors import on_error


class FakeBot:
    def __init__(self) -> None:
        self.sent: list[tuple[int, str]] = []

    async def send_message(self, chat_id: int, text: str) -> None:
        self.sent.append((chat_id, text))


def update_from(chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    return Update(1, message=Message(1, None, chat, text="x"))  # type: ignore[arg-type]


async def handle(error: Exception) -> FakeBot:
    bot = FakeBot()
    context: Any = SimpleNamespace(error=error, bot=bot)
    await on_error(update_from(7001), context)
    return bot


async def test_bad_request_is_logged_as_an_error_with_its_message_and_apologised_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    error = BadRequest("Can't parse entities: unclosed start tag at byte offset 3")
    error.__cause__ = ValueError("the cause")
    bot = await handle(error)
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert record.levelno == logging.ERROR
    assert "Can't parse entities" in record.getMessage() and "the cause" in record.getMessage()
    assert bot.sent == [(7001, texts.ERROR)]


@pytest.mark.parametrize("error", [NetworkError("connection reset"), TimedOut()])
async def test_transient_network_errors_stay_warnings(
    caplog: pytest.LogCaptureFixture, error: Exception
) -> None:
    bot = await handle(error)
    [record] = [r for r in caplog.records if r.name == "handlers.errors"]
    assert record.levelno == logging.WARNING and bot.sent == []

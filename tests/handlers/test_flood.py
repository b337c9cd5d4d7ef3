"""A chat flooding the bot: one polite slow-down, the excess dropped, others unaffected."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.context import TiepdanApp
from bot.db import session_scope
from bot.messages.models import InboundMessage
from bot.settings import Settings
from bot.texts import cases as texts
from tests.handlers.harness import Citizen, bot_settings


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str) -> Settings:
    return bot_settings(tmp_path, sandbox_url).model_copy(update={"chat_messages_per_minute": 3})


@pytest.fixture
async def neighbour(sandbox_url: str, bot: TiepdanApp) -> AsyncIterator[Citizen]:
    person = Citizen(sandbox_url, chat_id=7002, first_name="Hùng")
    yield person
    await person.aclose()


async def test_flood_gets_one_slow_down_and_is_dropped(
    citizen: Citizen, neighbour: Citizen, settings: Settings
) -> None:
    for number in range(8):
        await citizen.send(f"câu hỏi số {number}")
    replies = await citizen.replies(4)
    await asyncio.sleep(0.5)  # anything more would have come by now
    replies += await _more(citizen)
    assert [r["text"] for r in replies].count(texts.SLOW_DOWN) == 1
    assert len(replies) == 4  # three answers and the notice
    await neighbour.send("làm giấy khai sinh")
    assert (await neighbour.last())["text"] != texts.SLOW_DOWN
    with session_scope(settings.database_url) as session:
        count = (
            select(func.count()).select_from(InboundMessage).where(InboundMessage.chat_id == 7001)
        )
        assert session.scalar(count) == 3  # the dropped ones never reached the NLU


async def _more(citizen: Citizen) -> list[dict[str, object]]:
    try:
        return await citizen.replies(1, wait=0.1)
    except TimeoutError:
        return []

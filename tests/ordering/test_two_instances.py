"""Two bot instances on one database: one chat's updates reach either, in turns or at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.context import TiepdanApp
from bot.ordering.shared import SharedChatState
from bot.settings import Settings
from bot.texts import cases as texts
from tests.handlers.harness import Citizen, bot_settings
from tests.handlers.test_complaint import begin
from tests.handlers.test_hostile_input import to_attachments
from tests.ordering.test_intake_races import png, stored_cases, summary_after_files
from tests.ordering.two_bots import Router, two_bots

POSTGRES_ONLY = [pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str, db_url: str) -> Settings:
    # Shared mode: automatic on PostgreSQL, forced on SQLite (state re-read, no lock).
    return bot_settings(tmp_path, sandbox_url, db_url).model_copy(update={"shared_state": True})


@pytest.fixture
def router() -> Router:
    return Router()


@pytest.fixture
async def bots(settings: Settings, router: Router) -> AsyncIterator[list[TiepdanApp]]:
    async with two_bots(settings, router) as apps:
        yield apps


async def test_an_intake_alternating_between_two_bots_continues_at_every_step(
    sandbox_url: str, bots: list[TiepdanApp], router: Router, settings: Settings
) -> None:
    assert all(isinstance(b.update_processor.guard, SharedChatState) for b in bots)  # type: ignore[attr-defined]
    citizen = Citizen(sandbox_url, chat_id=7301)
    try:
        await to_attachments(citizen)  # each step checks the bot's answer to the last
        await citizen.post("photo", content_base64=png(1), file_name="1.png")
        assert "(1/10)" in (await citizen.last())["text"]
        await citizen.post("photo", content_base64=png(2), file_name="2.png")
        files = await citizen.last()
        assert "(2/10)" in files["text"]
        await citizen.click(await summary_after_files(citizen, files), texts.BUTTON_CONFIRM)
        receipt = await citizen.last()
    finally:
        await citizen.aclose()
    [case] = stored_cases(settings)
    assert case.code in receipt["text"]
    assert case.details["content"] == "Đèn đường hỏng" and len(case.attachments) == 2
    assert sorted(set(router.routed.values())) == [0, 1]
    assert len(router.routed) >= 14  # every step, taken in turns by the two bots


@pytest.mark.parametrize("db_url", POSTGRES_ONLY, indirect=True)
async def test_bursts_of_one_chat_split_over_two_bots_lose_nothing(
    sandbox_url: str, bots: list[TiepdanApp], settings: Settings
) -> None:
    people = [Citizen(sandbox_url, chat_id=7400 + n) for n in range(3)]
    parts = {p.chat_id: [f"Ý {i} của đơn {p.chat_id}" for i in range(1, 7)] for p in people}

    async def lodge(citizen: Citizen) -> None:
        await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
        await citizen.click(await citizen.last(), "case:anon:yes")
        assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
        # Six parts at once: the two bots get them alternately and race for the chat.
        await asyncio.gather(*(citizen.send(part) for part in parts[citizen.chat_id]))
        replies = await citizen.replies(6)
        assert [r["text"] for r in replies] == [texts.PART_SAVED] * 6
        await citizen.click(replies[-1], "case:done")
        summary = await summary_after_files(citizen, await citizen.last())
        await citizen.click(summary, texts.BUTTON_CONFIRM)
        assert "Đã tiếp nhận đơn" in (await citizen.last())["text"]

    try:
        await asyncio.gather(*(lodge(p) for p in people))
    finally:
        for person in people:
            await person.aclose()
    found = {case.chat_id: case for case in stored_cases(settings)}
    assert sorted(found) == sorted(parts)
    for chat_id, wanted in parts.items():
        # No part lost to the other bot's stale copy (their order across bots is not fixed).
        assert sorted(found[chat_id].details["content"].split("\n")) == sorted(wanted)

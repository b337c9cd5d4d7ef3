"""Fixtures: the sandbox in process and the real bot application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.context import TiepdanApp
from bot.settings import Settings
from tests.handlers.harness import Citizen, bot_settings, running_bot, sandbox_server


@pytest.fixture
async def sandbox_url() -> AsyncIterator[str]:
    async with sandbox_server() as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str) -> Settings:
    return bot_settings(tmp_path, sandbox_url)


@pytest.fixture
async def bot(settings: Settings) -> AsyncIterator[TiepdanApp]:
    async with running_bot(settings) as app:
        yield app


@pytest.fixture
async def citizen(sandbox_url: str, bot: TiepdanApp) -> AsyncIterator[Citizen]:
    person = Citizen(sandbox_url, chat_id=7001)
    yield person
    await person.aclose()

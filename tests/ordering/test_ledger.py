"""The ledger of handled updates: an update delivered again to another instance (the first
never answered the webhook) is not handled twice; old records go in the daily purge."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.context import TiepdanApp
from bot.db import session_scope
from bot.ordering.ledger import KEEP, forget_old
from bot.ordering.models import ProcessedUpdate
from bot.settings import Settings
from tests.handlers.harness import Citizen, bot_settings
from tests.ordering.test_two_instances import POSTGRES_ONLY
from tests.ordering.two_bots import Router, two_bots


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str, db_url: str) -> Settings:
    return bot_settings(tmp_path, sandbox_url, db_url)


@pytest.fixture
def router() -> Router:
    return Router(twice=True)


@pytest.fixture
async def bots(settings: Settings, router: Router) -> AsyncIterator[list[TiepdanApp]]:
    async with two_bots(settings, router) as apps:
        yield apps


@pytest.mark.parametrize("db_url", POSTGRES_ONLY, indirect=True)
async def test_an_update_delivered_to_both_instances_is_answered_once(
    sandbox_url: str, bots: list[TiepdanApp], router: Router, settings: Settings
) -> None:
    citizen = Citizen(sandbox_url, chat_id=7401)
    try:
        await citizen.send("/start")
        await citizen.send("/help")
        await citizen.send("/menu")
        await citizen.replies(count=3)
        await asyncio.sleep(1.0)  # time for a second answer to any of them
        replies = (await citizen.client.get("/messages", params={"chat_id": 7401})).json()
    finally:
        await citizen.aclose()
    # Each of the three updates reached both bots; each was answered by one of them only.
    assert len(router.routed) == 3
    assert [r["from"] for r in replies].count("bot") == 3, [r["text"][:40] for r in replies]
    with session_scope(settings.database_url) as session:
        recorded = set(session.scalars(select(ProcessedUpdate.update_id)))
    assert recorded == set(router.routed)


def test_old_records_are_purged(session: Session) -> None:
    now = utcnow()
    session.add_all(
        [
            ProcessedUpdate(update_id=1, processed_at=now - KEEP - timedelta(minutes=1)),
            ProcessedUpdate(update_id=2, processed_at=now - KEEP + timedelta(minutes=1)),
        ]
    )
    session.flush()
    assert forget_old(session=session, now=now) == 1
    assert session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1

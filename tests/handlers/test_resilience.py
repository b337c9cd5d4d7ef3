"""Restarts, repeated updates and a database outage never lose or duplicate a case."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from telegram import Update

from bot.context import TiepdanApp
from bot.db import session_scope
from bot.settings import Settings
from bot.state.models import StoredState
from bot.texts import cases as texts
from handlers import complaint_summary
from tests.handlers.harness import Citizen, bot_settings, running_bot
from tests.handlers.test_complaint import begin, cases


async def to_summary(citizen: Citizen) -> dict[str, Any]:
    """An anonymous petition up to its summary."""
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:yes")
    await citizen.last()
    await citizen.send("Rác thải đổ trộm ở đầu ngõ")
    await citizen.click(await citizen.last(), "case:done")
    await citizen.click(await citizen.last(), "case:done")
    return await citizen.last()


def stored_states(settings: Settings) -> dict[str, Any]:
    with session_scope(settings.database_url) as session:
        return {f"{s.namespace}/{s.key}": s.value for s in session.scalars(select(StoredState))}


async def test_a_restart_resumes_the_conversation_at_its_step(
    sandbox_url: str, tmp_path: Path
) -> None:
    settings = bot_settings(tmp_path, sandbox_url)
    citizen = Citizen(sandbox_url, chat_id=7101)
    async with running_bot(settings):
        ask_location = await begin(citizen, "phan_anh")
        # Written at once, not at shutdown: a crash here would lose nothing.
        states = stored_states(settings)
        assert states["conversation:case_intake/[7101, 7101]"] == "location"
        assert states["user_data/7101"]["case_draft"]["address"] == "tổ 7, khu 2"
    async with running_bot(settings):
        await citizen.click(ask_location, "case:skip")
        assert texts.ASK_IDENTITY["phan_anh"] in (await citizen.last())["text"]
    await citizen.aclose()


async def test_a_repeated_confirmation_creates_one_case(
    citizen: Citizen, settings: Settings, bot: TiepdanApp
) -> None:
    summary = await to_summary(citizen)
    data = next(b["callback_data"] for r in summary["reply_markup"]["inline_keyboard"] for b in r)
    update = Update.de_json(
        {
            "update_id": 10_000_001,
            "callback_query": {
                "id": "redelivered",
                "chat_instance": "x",
                "data": data,
                "from": {"id": citizen.chat_id, "is_bot": False, "first_name": "Lan"},
                "message": {
                    "message_id": summary["message_id"],
                    "date": summary["date"],
                    "chat": {"id": citizen.chat_id, "type": "private"},
                    "text": "summary",
                },
            },
        },
        bot.bot,
    )
    # The same update delivered twice at once, then the citizen pressing the button again.
    await asyncio.gather(bot.process_update(update), bot.process_update(update))
    await citizen.click(summary, data)
    receipts = await citizen.replies(3)
    [case] = cases(settings)
    assert all(case.code in r["text"] for r in receipts)


async def test_database_down_at_confirm_keeps_the_draft(
    citizen: Citizen, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = await to_summary(citizen)

    def unavailable(**_: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    with monkeypatch.context() as patch:
        patch.setattr(complaint_summary, "submit_case", unavailable)
        await citizen.click(summary, texts.BUTTON_CONFIRM)
        [apology, again] = await citizen.replies(2)
    assert apology["text"] == texts.DATABASE_DOWN and cases(settings) == []
    assert "Vui lòng kiểm tra lại" in again["text"]
    await citizen.click(again, texts.BUTTON_CONFIRM)
    receipt = await citizen.last()
    [case] = cases(settings)
    assert case.code in receipt["text"]


async def test_stale_buttons_after_the_flow(citizen: Citizen, settings: Settings) -> None:
    summary = await to_summary(citizen)
    await citizen.click(summary, texts.BUTTON_CONFIRM)
    receipt = await citizen.last()
    await citizen.click(summary, "case:edit")
    assert (await citizen.last())["text"] == texts.DRAFT_GONE
    await citizen.click(summary, texts.BUTTON_CONFIRM)
    assert (await citizen.last())["text"] == receipt["text"]
    assert len(cases(settings)) == 1

"""One chat's updates in order, chats side by side: the real bot against the sandbox."""

from __future__ import annotations

import asyncio
import base64
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from telegram import Update
from telegram.ext import ApplicationHandlerStop, MessageHandler, filters

from bot.cases.models import Case
from bot.context import Context, TiepdanApp
from bot.db import session_scope
from bot.ordering import ChatOrderedProcessor
from bot.settings import Settings
from bot.texts import cases as texts
from tests.handlers.harness import Citizen, buttons
from tests.handlers.test_complaint import begin
from tests.handlers.test_hostile_input import to_attachments

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02"


def png(number: int) -> str:
    """A distinct small PNG (stored by hash, so each must differ), base64."""
    return base64.b64encode(PNG + number.to_bytes(4, "big") + bytes(60)).decode()


def stored_cases(settings: Settings) -> list[Case]:
    with session_scope(settings.database_url) as session:
        query = select(Case).options(selectinload(Case.attachments)).order_by(Case.id)
        return list(session.scalars(query))


async def summary_after_files(citizen: Citizen, files_step: dict[str, Any]) -> dict[str, Any]:
    await citizen.click(files_step, "case:done")
    summary = await citizen.last()
    assert "Vui lòng kiểm tra lại" in summary["text"]
    return summary


async def test_the_bot_runs_the_chat_ordered_processor(bot: TiepdanApp) -> None:
    assert isinstance(bot.update_processor, ChatOrderedProcessor)
    assert bot.update_processor.max_running == bot.bot_data.settings.max_concurrent_updates
    assert bot.update_processor.guard is None  # SQLite: one process, nothing shared


async def test_an_album_of_twelve_photos_attaches_ten_and_politely_refuses_two(
    citizen: Citizen, settings: Settings
) -> None:
    await to_attachments(citizen)
    album = [citizen.post("photo", content_base64=png(i), file_name=f"{i}.png") for i in range(12)]
    await asyncio.gather(*album)  # sent at once, as a client sends an album
    replies = await citizen.replies(12)
    saved = [r for r in replies if r["text"].startswith("📎 Đã nhận")]
    refused = [r for r in replies if r["text"] == texts.ATTACHMENT_TOO_MANY.format(max_count=10)]
    assert len(saved) == 10 and len(refused) == 2, [r["text"] for r in replies]
    # Counted one after another: 1/10 … 10/10, then the two refusals.
    assert [f"({n}/10)" in r["text"] for n, r in enumerate(replies[:10], 1)] == [True] * 10
    await citizen.click(await summary_after_files(citizen, replies[-1]), texts.BUTTON_CONFIRM)
    assert "Đã tiếp nhận đơn" in (await citizen.last())["text"]
    [case] = stored_cases(settings)
    assert len(case.attachments) == 10


async def test_a_double_tapped_confirm_makes_one_case(citizen: Citizen, settings: Settings) -> None:
    await to_attachments(citizen)
    summary = await summary_after_files(citizen, {"message_id": citizen.seen, "reply_markup": None})
    confirm = buttons(summary)[texts.BUTTON_CONFIRM]
    await asyncio.gather(
        citizen.click(summary, confirm), citizen.click(summary, confirm)
    )  # both taps delivered back to back
    replies = await citizen.replies(2)
    [case] = stored_cases(settings)
    # The first tap lodges the case; the second shows the same receipt again.
    assert all(case.code in r["text"] for r in replies), [r["text"] for r in replies]


async def lodge_with_a_burst(citizen: Citizen, parts: list[str]) -> str:
    """An anonymous phản ánh whose content parts are sent without waiting for replies,
    with one photo; returns the receipt."""
    await citizen.click(await begin(citizen, "phan_anh"), "case:skip")
    await citizen.click(await citizen.last(), "case:anon:yes")
    assert texts.ASK_FIELD["content"] in (await citizen.last())["text"]
    for part in parts:
        await citizen.send(part)
    replies = await citizen.replies(len(parts))
    assert [r["text"] for r in replies] == [texts.PART_SAVED] * len(parts)
    await citizen.click(replies[-1], "case:done")
    assert "ảnh hoặc giấy tờ" in (await citizen.last())["text"]
    await citizen.post("photo", content_base64=png(citizen.chat_id), file_name="anh.png")
    summary = await summary_after_files(citizen, await citizen.last())
    await citizen.click(summary, texts.BUTTON_CONFIRM)
    receipt: str = (await citizen.last())["text"]
    return receipt


async def test_ten_interleaved_intakes_each_end_with_their_own_content_in_order(
    sandbox_url: str, bot: TiepdanApp, settings: Settings
) -> None:
    people = [Citizen(sandbox_url, chat_id=7100 + n, first_name=f"Dân {n}") for n in range(10)]
    parts = {p.chat_id: [f"Phần {i} của đơn số {p.chat_id}" for i in range(1, 5)] for p in people}
    try:
        receipts = await asyncio.gather(*(lodge_with_a_burst(p, parts[p.chat_id]) for p in people))
    finally:
        for person in people:
            await person.aclose()
    found = {case.chat_id: case for case in stored_cases(settings)}
    assert sorted(found) == sorted(parts)
    for person, receipt in zip(people, receipts, strict=True):
        case = found[person.chat_id]
        assert case.code in receipt
        assert case.details["content"] == "\n".join(parts[person.chat_id])
        assert len(case.attachments) == 1


async def test_a_slow_update_delays_its_own_chat_only(sandbox_url: str, bot: TiepdanApp) -> None:
    async def slow(update: Update, context: Context) -> None:
        await asyncio.sleep(1.0)
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "xong việc chậm")
        raise ApplicationHandlerStop

    bot.add_handler(MessageHandler(filters.Regex("^chậm$"), slow), group=-10)
    a, b = Citizen(sandbox_url, chat_id=7201), Citizen(sandbox_url, chat_id=7202)
    try:
        await a.send("chậm")
        await a.send("/help")  # must wait for the slow one: same chat
        started = time.monotonic()
        await b.send("/help")
        await b.last()
        b_waited = time.monotonic() - started
        replies = await a.replies(2, wait=5)
        a_waited = time.monotonic() - started
    finally:
        await a.aclose()
        await b.aclose()
    assert b_waited < 0.5, b_waited  # not behind chat A's slow update
    assert a_waited > 0.9
    assert replies[0]["text"] == "xong việc chậm" and replies[1]["text"] != "xong việc chậm"

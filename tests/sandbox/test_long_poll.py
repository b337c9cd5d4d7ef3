"""`GET /sandbox/api/messages?wait=`: the control API's long poll for the bot's replies."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import create_app, waiters
from bot.sandbox.state import SandboxState
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

CHAT, OTHER = 1001, 1002
API = "/sandbox/api"


@pytest.fixture
def state() -> SandboxState:
    return SandboxState(token=TOKEN, bot_username="tiepdan_bot")


@pytest.fixture
async def client(state: SandboxState) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(token=TOKEN)
    app.state.sandbox = state
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def citizen_sends(client: httpx.AsyncClient, chat_id: int, text: str) -> int:
    response = await client.post(f"{API}/send", json={"chat_id": chat_id, "text": text})
    message_id: int = response.json()["message_id"]
    return message_id


async def bot_sends(client: httpx.AsyncClient, chat_id: int, text: str, delay: float = 0) -> None:
    await asyncio.sleep(delay)
    response = await client.post(
        f"/bot{TOKEN}/sendMessage", data={"chat_id": str(chat_id), "text": text}
    )
    assert response.json()["ok"], response.text


async def poll(client: httpx.AsyncClient, **params: Any) -> tuple[list[Any], float]:
    """The messages a long poll returned and how long it was held."""
    start = time.monotonic()
    response = await client.get(f"{API}/messages", params=params)
    assert response.status_code == 200, response.text
    result: list[Any] = response.json()
    return result, time.monotonic() - start


async def test_a_held_poll_returns_as_soon_as_the_bot_replies(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    asked = await citizen_sends(client, CHAT, "xin chào")
    (found, held), _ = await asyncio.gather(
        poll(client, chat_id=CHAT, after=asked, wait=10),
        bot_sends(client, CHAT, "Chào bạn", delay=0.2),
    )
    assert [m["text"] for m in found] == ["Chào bạn"]
    assert found[0]["message_id"] == asked + 1
    assert 0.15 < held < 2.0
    assert state.bot_sent.held == 0


async def test_a_poll_with_nothing_new_answers_empty_when_the_time_is_up(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    asked = await citizen_sends(client, CHAT, "xin chào")
    found, held = await poll(client, chat_id=CHAT, after=asked, wait=0.3)
    assert found == []
    assert 0.25 < held < 2.0
    assert state.bot_sent.held == 0


async def test_what_is_already_there_comes_at_once(client: httpx.AsyncClient) -> None:
    asked = await citizen_sends(client, CHAT, "xin chào")
    await bot_sends(client, CHAT, "Chào bạn")
    found, held = await poll(client, chat_id=CHAT, after=asked, wait=10)
    assert [m["text"] for m in found] == ["Chào bạn"]
    assert held < 1.0
    # ... and what lies at or before `after` is not new: the poll waits.
    found, held = await poll(client, chat_id=CHAT, after=asked + 1, wait=0.2)
    assert found == []
    assert held > 0.15


async def test_without_wait_the_endpoint_answers_at_once(client: httpx.AsyncClient) -> None:
    found, held = await poll(client, chat_id=CHAT, after=0)
    assert found == []
    assert held < 1.0
    asked = await citizen_sends(client, CHAT, "xin chào")
    await bot_sends(client, CHAT, "Chào bạn")
    found, _ = await poll(client, chat_id=CHAT, after=0)
    assert [m["message_id"] for m in found] == [asked + 1]


async def test_another_chats_reply_or_the_citizens_own_message_do_not_release_it(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    asked = await citizen_sends(client, CHAT, "xin chào")
    await citizen_sends(client, OTHER, "alo")

    async def others() -> None:
        await bot_sends(client, OTHER, "Chào bạn khác", delay=0.05)
        await citizen_sends(client, CHAT, "còn tôi thì sao")

    (found, held), _ = await asyncio.gather(
        poll(client, chat_id=CHAT, after=asked, wait=0.4), others()
    )
    assert found == []
    assert held > 0.35


async def test_a_poll_may_wait_for_a_chat_that_does_not_exist_yet(
    client: httpx.AsyncClient,
) -> None:
    async def first_contact() -> None:
        await citizen_sends(client, CHAT, "xin chào")
        await bot_sends(client, CHAT, "Chào bạn", delay=0.1)

    (found, _), _ = await asyncio.gather(poll(client, chat_id=CHAT, wait=10), first_contact())
    assert [m["text"] for m in found] == ["Chào bạn"]


async def test_many_polls_of_one_chat_all_return(
    client: httpx.AsyncClient, state: SandboxState
) -> None:
    asked = await citizen_sends(client, CHAT, "xin chào")
    polls = [poll(client, chat_id=CHAT, after=asked, wait=10) for _ in range(5)]
    *results, _ = await asyncio.gather(*polls, bot_sends(client, CHAT, "Chào bạn", delay=0.1))
    assert all([m["text"] for m in found] == ["Chào bạn"] for found, _ in results)
    assert state.bot_sent.held == 0


@pytest.mark.parametrize("wait", ["soon", "nan", "inf"])
async def test_a_wait_that_is_not_a_number_is_refused(client: httpx.AsyncClient, wait: str) -> None:
    response = await client.get(f"{API}/messages", params={"chat_id": CHAT, "wait": wait})
    assert response.status_code == 400
    assert "wait" in response.json()["error"]


async def test_the_wait_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(waiters, "MAX_WAIT_SECONDS", 0.1)
    start = time.monotonic()
    assert await waiters.ChatWaiters().until(CHAT, list, wait=3600) == []
    assert time.monotonic() - start < 1.0

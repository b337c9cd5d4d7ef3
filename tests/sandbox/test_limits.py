"""Telegram's sending limits in the sandbox: off by default; when on, 30 a second per
bot, bursts then one a second per private chat, 20 a minute per group, every refusal a
429 with retry_after, counted."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest

from bot.sandbox import create_app
from bot.sandbox.limits import OutboundLimits
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN


@dataclass
class FakeTime:
    now: float = 100.0

    def __call__(self) -> float:
        return self.now


def limits() -> tuple[OutboundLimits, FakeTime]:
    clock = FakeTime()
    return OutboundLimits(enabled=True, clock=clock), clock


def test_off_by_default_and_other_methods_are_never_limited() -> None:
    assert all(OutboundLimits().check("sendMessage", "1") is None for _ in range(100))
    on, _ = limits()
    assert all(on.check("getUpdates", None) is None for _ in range(100))


def test_a_private_chat_gets_a_burst_then_one_a_second() -> None:
    on, clock = limits()
    assert [on.check("sendMessage", "7") for _ in range(4)] == [None, None, None, 1]
    assert on.check("sendMessage", "8") is None  # another chat is not held
    clock.now += 1.0
    assert on.check("sendMessage", "7") is None
    assert on.check("sendMessage", "7") == 1
    assert on.refused == 2 and on.ignored_retry_after == 0
    clock.now += 0.5  # back before the retry_after of 1 s is over
    assert on.check("sendMessage", "7") == 1
    assert on.ignored_retry_after == 1


def test_a_group_gets_twenty_a_minute() -> None:
    on, clock = limits()
    assert all(on.check("sendMessage", "-100") is None for _ in range(20))
    assert on.check("sendMessage", "-100") == 3  # the next token in three seconds
    clock.now += 3.0
    assert on.check("sendMessage", "-100") is None


def test_the_bot_gets_thirty_a_second_overall() -> None:
    on, clock = limits()
    assert all(on.check("sendMessage", str(chat)) is None for chat in range(1, 31))
    assert on.check("sendPhoto", "31") == 1
    clock.now += 0.5
    assert sum(on.check("sendMessage", str(c)) is None for c in range(40, 60)) == 15


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(token=TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def send(client: httpx.AsyncClient, chat_id: int) -> httpx.Response:
    data = {"chat_id": json.dumps(chat_id), "text": "tin"}
    return await client.post(f"/bot{TOKEN}/sendMessage", data=data)


async def test_switched_on_by_the_control_api_it_answers_like_telegram(
    client: httpx.AsyncClient,
) -> None:
    await client.post("/sandbox/api/send", json={"chat_id": 5, "text": "/start"})
    assert [(await send(client, 5)).status_code for _ in range(5)] == [200] * 5  # off
    switched = await client.post("/sandbox/api/limits", json={"enabled": True})
    assert switched.json()["enabled"] is True and switched.json()["refused"] == 0
    codes = [(await send(client, 5)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = await send(client, 5)
    assert refused.json() == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    status = (await client.get("/sandbox/api/status")).json()
    assert status["limits"]["refused"] == 2
    calls = (await client.get("/sandbox/api/calls", params={"method": "sendMessage"})).json()
    assert [c["status"] for c in calls].count(429) == 2
    bad = await client.post("/sandbox/api/limits", json={"chat_per_second": 0})
    assert bad.status_code == 400
    off = await client.post("/sandbox/api/limits", json={"enabled": False})
    assert off.json()["enabled"] is False and (await send(client, 5)).status_code == 200


async def test_the_constructor_switches_them_on() -> None:
    app = create_app(token=TOKEN, outbound_limits=True)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        assert (await client.get("/sandbox/api/limits")).json()["enabled"] is True

"""The sandbox delivering updates by webhook: headers, retries, order per chat, 409, info."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox.webhook import SECRET_HEADER
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN
from tests.e2e.stack import free_port
from tests.handlers.harness import sandbox_server
from tests.webhook.receivers import Recorder, serving


@pytest.fixture
async def sandbox() -> AsyncIterator[httpx.AsyncClient]:
    """The real sandbox server (lifespan and delivery loop running) and a client for it."""
    async with sandbox_server() as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


async def bot_call(client: httpx.AsyncClient, method: str, **params: Any) -> httpx.Response:
    """Call a Bot API method like PTB (a form, non-strings JSON-encoded)."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    return await client.post(f"/bot{TOKEN}/{method}", data=data)


async def bot_result(client: httpx.AsyncClient, method: str, **params: Any) -> Any:
    response = await bot_call(client, method, **params)
    assert response.status_code == 200, response.text
    return response.json()["result"]


async def citizen_says(client: httpx.AsyncClient, chat_id: int, text: str) -> int:
    response = await client.post("/sandbox/api/send", json={"chat_id": chat_id, "text": text})
    assert response.status_code == 200, response.text
    update_id: int = response.json()["update_id"]
    return update_id


async def until(condition: Any) -> None:
    """Wait (at most 10 s) until `condition()` holds."""
    async with asyncio.timeout(10):
        while True:
            if condition():
                return
            await asyncio.sleep(0.02)


async def test_updates_are_posted_with_the_secret_header(sandbox: httpx.AsyncClient) -> None:
    recorder = Recorder()
    async with serving(recorder.app()) as url:
        await bot_result(sandbox, "setWebhook", url=f"{url}/hook", secret_token="s3cret_-X")
        update_id = await citizen_says(sandbox, 501, "Xin chào")
        await until(lambda: len(recorder.taken()) == 1)
    headers, update, _ = recorder.received[0]
    assert headers[SECRET_HEADER.lower()] == "s3cret_-X"
    assert headers["content-type"] == "application/json"
    assert update["update_id"] == update_id
    assert update["message"]["text"] == "Xin chào"
    assert update["message"]["chat"]["id"] == 501
    info = await bot_result(sandbox, "getWebhookInfo")
    assert info["url"] == f"{url}/hook" and info["pending_update_count"] == 0
    assert "last_error_date" not in info
    status = (await sandbox.get("/sandbox/api/status")).json()
    assert status["polling"] is True  # the chat page shows the bot online


async def test_no_secret_header_without_a_secret(sandbox: httpx.AsyncClient) -> None:
    recorder = Recorder()
    async with serving(recorder.app()) as url:
        await bot_result(sandbox, "setWebhook", url=f"{url}/hook")
        await citizen_says(sandbox, 502, "a")
        await until(lambda: len(recorder.taken()) == 1)
    assert SECRET_HEADER.lower() not in recorder.received[0][0]


async def test_a_failed_delivery_is_retried_until_it_succeeds(sandbox: httpx.AsyncClient) -> None:
    recorder = Recorder(statuses=[503, 500])
    async with serving(recorder.app()) as url:
        await bot_result(sandbox, "setWebhook", url=f"{url}/hook", secret_token="t")
        update_id = await citizen_says(sandbox, 503, "lần một")
        await until(lambda: len(recorder.received) == 1)
        info = await bot_result(sandbox, "getWebhookInfo")
        assert info["pending_update_count"] == 1  # stays queued while failing
        assert (
            info["last_error_message"] == "Wrong response from the webhook: 503 Service Unavailable"
        )
        assert abs(info["last_error_date"] - time.time()) < 5
        started = time.monotonic()
        await until(lambda: len(recorder.taken()) == 1)
        waited = time.monotonic() - started
    assert [status for _, _, status in recorder.received] == [503, 500, 200]
    assert [u["update_id"] for _, u, _ in recorder.received] == [update_id] * 3
    assert 1.2 < waited < 4.0  # backoff 0.5 s then 1 s (the first wait began before `started`)
    info = await bot_result(sandbox, "getWebhookInfo")
    assert info["pending_update_count"] == 0
    assert info["last_error_message"].endswith("500 Internal Server Error")  # the last failure


async def test_unreachable_webhook_keeps_updates_and_get_updates_conflicts(
    sandbox: httpx.AsyncClient,
) -> None:
    await bot_result(sandbox, "setWebhook", url=f"http://127.0.0.1:{free_port()}/hook")
    first = await citizen_says(sandbox, 504, "một")
    second = await citizen_says(sandbox, 505, "hai")
    for _ in range(200):
        info = await bot_result(sandbox, "getWebhookInfo")
        if "last_error_message" in info:
            break
        await asyncio.sleep(0.02)
    assert info["last_error_message"] == "Connection refused"
    assert info["pending_update_count"] == 2
    conflict = await bot_call(sandbox, "getUpdates", timeout=0)
    assert conflict.status_code == 409
    assert "webhook is active" in conflict.json()["description"]
    status = (await sandbox.get("/sandbox/api/status")).json()
    assert status["polling"] is False  # deliveries fail: the chat page shows it offline
    # Back to polling: the undelivered updates are still there, in order.
    assert await bot_result(sandbox, "deleteWebhook") is True
    updates = await bot_result(sandbox, "getUpdates", timeout=0)
    assert [u["update_id"] for u in updates] == [first, second]


async def test_delete_webhook_can_drop_pending_updates(sandbox: httpx.AsyncClient) -> None:
    await bot_result(sandbox, "setWebhook", url=f"http://127.0.0.1:{free_port()}/hook")
    await citizen_says(sandbox, 506, "một")
    await bot_result(sandbox, "deleteWebhook", drop_pending_updates=True)
    assert (await bot_result(sandbox, "getWebhookInfo"))["pending_update_count"] == 0
    assert await bot_result(sandbox, "getUpdates", timeout=0) == []


async def test_one_chat_at_a_time_in_order_chats_in_parallel(sandbox: httpx.AsyncClient) -> None:
    recorder = Recorder(delay=0.1)
    async with serving(recorder.app()) as url:
        await bot_result(sandbox, "setWebhook", url=f"{url}/hook", max_connections=3)
        sent: dict[int, list[int]] = {chat: [] for chat in (601, 602, 603, 604)}
        for round_ in range(3):
            for chat in sent:
                sent[chat].append(await citizen_says(sandbox, chat, f"tin {round_}"))
        await until(lambda: len(recorder.taken()) == 12)
    assert recorder.max_per_chat == 1  # never two updates of one chat at once
    assert 2 <= recorder.max_total <= 3  # chats in parallel, up to max_connections
    for chat, ids in sent.items():
        delivered = [u["update_id"] for u in recorder.taken() if u["message"]["chat"]["id"] == chat]
        assert delivered == ids


async def test_updates_of_a_type_not_allowed_are_dropped(sandbox: httpx.AsyncClient) -> None:
    recorder = Recorder()
    async with serving(recorder.app()) as url:
        await bot_result(
            sandbox, "setWebhook", url=f"{url}/hook", allowed_updates=["callback_query"]
        )
        await citizen_says(sandbox, 507, "không được gửi")
        for _ in range(200):
            info = await bot_result(sandbox, "getWebhookInfo")
            if info["pending_update_count"] == 0:
                break
            await asyncio.sleep(0.02)
    assert info["allowed_updates"] == ["callback_query"]
    assert info["pending_update_count"] == 0
    assert recorder.received == []


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"url": "ftp://x/hook"}, "HTTPS URL must be provided"),
        ({"url": "https://x/hook", "secret_token": "có dấu"}, "unallowed characters"),
        ({"url": "https://x/hook", "secret_token": "x" * 257}, "unallowed characters"),
        ({"url": "https://x/hook", "max_connections": 0}, "max_connections"),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    sandbox: httpx.AsyncClient, params: dict[str, Any], error: str
) -> None:
    response = await bot_call(sandbox, "setWebhook", **params)
    assert response.status_code == 400
    assert error in response.json()["description"]
    assert (await bot_result(sandbox, "getWebhookInfo"))["url"] == ""

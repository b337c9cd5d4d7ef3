"""The control API's optional chat_type: a member writing and clicking in a group."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from bot.sandbox import create_app
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

GROUP = -5001
API = "/sandbox/api"


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(token=TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def updates(client: httpx.AsyncClient) -> list[Any]:
    result: list[Any] = (await client.post(f"/bot{TOKEN}/getUpdates")).json()["result"]
    return result


async def test_a_group_message_and_click_carry_a_group_chat_and_a_member(
    client: httpx.AsyncClient,
) -> None:
    body = {"chat_id": GROUP, "text": "/tracuu", "first_name": "Lan", "chat_type": "group"}
    assert (await client.post(f"{API}/send", json=body)).status_code == 200
    [update] = await updates(client)
    message = update["message"]
    assert message["chat"] == {"id": GROUP, "title": "Nhóm Lan", "type": "group"}
    assert message["from"]["id"] == 5001
    markup = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    data = {"chat_id": str(GROUP), "text": "Chọn", "reply_markup": json.dumps(markup)}
    sent = (await client.post(f"/bot{TOKEN}/sendMessage", data=data)).json()["result"]
    click = {"chat_id": GROUP, "message_id": sent["message_id"], "data": "a"}
    assert (await client.post(f"{API}/click", json=click)).status_code == 200
    query = (await updates(client))[-1]["callback_query"]
    assert query["message"]["chat"]["type"] == "group" and query["from"]["id"] == 5001


async def test_an_unknown_chat_type_is_refused(client: httpx.AsyncClient) -> None:
    body = {"chat_id": GROUP, "text": "x", "chat_type": "channel"}
    response = await client.post(f"{API}/send", json=body)
    assert response.status_code == 400 and "chat_type" in response.text

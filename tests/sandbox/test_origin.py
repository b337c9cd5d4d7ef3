"""The control API cannot be driven cross-site: changing requests need no Origin or the
sandbox's own, and a JSON body; the Bot API and reads are unaffected."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.sandbox.server import bind_socket, create_app
from bot.settings import SANDBOX_BOT_TOKEN as TOKEN

API = "/sandbox/api"
CHAT = 4242
SEND = {"chat_id": CHAT, "text": "xin chào"}


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(token=TOKEN))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8081") as client:
        yield client


async def pending(client: httpx.AsyncClient) -> int:
    count: int = (await client.get(f"{API}/status")).json()["pending_updates"]
    return count


async def test_own_page_and_scripts_may_drive_it(client: httpx.AsyncClient) -> None:
    assert (await client.post(f"{API}/send", json=SEND)).status_code == 200  # no Origin
    own = {"Origin": "http://127.0.0.1:8081"}
    assert (await client.post(f"{API}/send", json=SEND, headers=own)).status_code == 200
    json_utf8 = {"Content-Type": "application/json; charset=utf-8"}
    body = b'{"chat_id": 4242, "text": "ok"}'
    assert (await client.post(f"{API}/send", content=body, headers=json_utf8)).status_code == 200
    assert (await client.post(f"{API}/reset")).status_code == 200  # no body at all
    assert (await client.delete(f"{API}/faults", headers=own)).status_code == 200


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://127.0.0.1:9999", "https://127.0.0.1:8081", "null"]
)
async def test_another_origin_is_refused(client: httpx.AsyncClient, origin: str) -> None:
    for request in (
        client.post(f"{API}/send", json=SEND, headers={"Origin": origin}),
        client.post(f"{API}/reset", headers={"Origin": origin}),
        client.delete(f"{API}/faults", headers={"Origin": origin}),
    ):
        response = await request
        assert response.status_code == 403 and "cross-origin" in response.json()["error"]
    assert await pending(client) == 0


@pytest.mark.parametrize(
    "host", ["rebind.example:8081", "localhost.evil.example", "1.2.3.4.nip.io"]
)
async def test_a_host_name_other_than_localhost_is_refused(
    client: httpx.AsyncClient, host: str
) -> None:
    """DNS rebinding: a page on a name that now resolves here is same-origin with itself."""
    headers = {"Host": host, "Origin": f"http://{host}"}
    response = await client.post(f"{API}/send", json=SEND, headers=headers)
    assert response.status_code == 403 and "localhost" in response.json()["error"]
    for own in ("localhost:8081", "[::1]:8081", "127.0.0.1"):
        headers = {"Host": own, "Origin": f"http://{own}"}
        assert (await client.post(f"{API}/send", json=SEND, headers=headers)).status_code == 200
    assert await pending(client) == 3


@pytest.mark.parametrize(
    "content_type",
    [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"],
)
async def test_a_body_that_is_not_json_is_refused(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    """What a form or a no-cors fetch of another page can send, even with a JSON text."""
    headers = {"Content-Type": content_type} if content_type else {}
    body = '{"chat_id": 4242, "text": "xin chào"}'.encode()
    response = await client.post(f"{API}/send", content=body, headers=headers)
    assert response.status_code == 403 and "application/json" in response.json()["error"]
    assert await pending(client) == 0


async def test_reads_and_the_bot_api_are_unaffected(client: httpx.AsyncClient) -> None:
    evil = {"Origin": "https://evil.example"}
    await client.post(f"{API}/send", json=SEND)  # the chat exists for the bot once it wrote
    status = await client.get(f"{API}/status", headers=evil)
    assert status.status_code == 200 and "access-control-allow-origin" not in status.headers
    sent = await client.post(
        f"/bot{TOKEN}/sendMessage", data={"chat_id": str(CHAT), "text": "x"}, headers=evil
    )
    assert sent.status_code == 200  # PTB posts forms; the Bot API checks its token


def test_binding_beyond_loopback_warns(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.sandbox.server"):
        bind_socket("127.0.0.1", 0).close()
        assert not caplog.records
        bind_socket("0.0.0.0", 0).close()
    [record] = caplog.records
    assert "not a loopback address" in record.getMessage() and "0.0.0.0" in record.getMessage()

"""The bot's webhook endpoint: secret checked on every request, updates queued, refusals
logged once."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from telegram import Bot, Update

from bot.settings import SANDBOX_BOT_TOKEN
from bot.webhook.endpoint import SECRET_HEADER, create_webhook_app
from bot.webhook.refusals import RefusalLog

SECRET = "the-right_secret"
PATH = "/telegram/webhook"
UPDATE = {
    "update_id": 77,
    "message": {
        "message_id": 5,
        "date": 1_700_000_000,
        "chat": {"id": 901, "type": "private", "first_name": "Lan"},
        "from": {"id": 901, "is_bot": False, "first_name": "Lan"},
        "text": "Xin chào",
    },
}
LOGGER = "tests.webhook.endpoint"


@pytest.fixture
def queue() -> asyncio.Queue[Any]:
    return asyncio.Queue()


def webhook_client(queue: asyncio.Queue[Any], **options: Any) -> httpx.AsyncClient:
    """A client of the endpoint in process, feeding `queue` (`options`: create_webhook_app's
    others, e.g. completions and timeout)."""
    app = create_webhook_app(
        path=PATH,
        secret=SECRET,
        bot=Bot(SANDBOX_BOT_TOKEN),
        queue=queue,
        refusals=RefusalLog(logging.getLogger(LOGGER)),
        **options,
    )
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


@pytest.fixture
async def client(queue: asyncio.Queue[Any]) -> AsyncIterator[httpx.AsyncClient]:
    async with webhook_client(queue) as client:
        yield client


async def test_a_good_request_puts_the_update_on_the_queue(
    client: httpx.AsyncClient, queue: asyncio.Queue[Any]
) -> None:
    response = await client.post(PATH, json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    update = queue.get_nowait()
    assert isinstance(update, Update)
    assert update.update_id == 77
    assert update.effective_chat is not None and update.effective_chat.id == 901
    assert update.message is not None and update.message.text == "Xin chào"
    assert update.get_bot().token == SANDBOX_BOT_TOKEN  # replies can be sent from it


async def test_wrong_or_missing_secret_gets_403_logged_once(
    client: httpx.AsyncClient, queue: asyncio.Queue[Any], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER)
    attempts: list[dict[str, str]] = [
        {},
        {SECRET_HEADER: "wrong"},
        {SECRET_HEADER: SECRET + "x"},
        {SECRET_HEADER: SECRET[:-1]},
        {SECRET_HEADER: ""},
    ]
    for headers in attempts:
        response = await client.post(PATH, json=UPDATE, headers=headers)
        assert response.status_code == 403
    assert queue.empty()
    lines = [r for r in caplog.records if r.name == LOGGER]
    assert len(lines) == 1
    assert "secret token" in lines[0].getMessage()
    assert SECRET not in lines[0].getMessage()


async def test_a_non_ascii_secret_header_is_refused_not_an_error(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        PATH, json=UPDATE, headers={SECRET_HEADER.encode(): "bí mật".encode()}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": 1, "message": {"x": 1}}'],
)
async def test_a_body_that_is_no_update_gets_400(
    client: httpx.AsyncClient, queue: asyncio.Queue[Any], body: bytes
) -> None:
    headers = {SECRET_HEADER: SECRET, "content-type": "application/json"}
    response = await client.post(PATH, content=body, headers=headers)
    assert response.status_code == 400
    assert queue.empty()


async def test_only_post_on_the_configured_path(client: httpx.AsyncClient) -> None:
    headers = {SECRET_HEADER: SECRET}
    assert (await client.get(PATH, headers=headers)).status_code == 405
    assert (await client.post("/other", json=UPDATE, headers=headers)).status_code == 404


def test_refusals_after_the_first_are_summed_up_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [1000.0]
    refusals = RefusalLog(logging.getLogger(LOGGER), interval=60.0, clock=lambda: now[0])
    caplog.set_level(logging.WARNING, logger=LOGGER)
    for _ in range(5):
        refusals.refused("10.0.0.9")
        now[0] += 1.0
    assert len(caplog.records) == 1
    now[0] += 60.0
    refusals.refused("10.0.0.9")  # a minute on: one line sums up the 5 since the first
    assert len(caplog.records) == 2
    assert "refused 5 more requests" in caplog.records[1].getMessage()
    refusals.refused("10.0.0.9")
    refusals.flush()  # on stop: what is left
    assert "refused 1 more requests" in caplog.records[2].getMessage()
    refusals.flush()
    assert len(caplog.records) == 3

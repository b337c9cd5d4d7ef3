"""The real bot in webhook mode against the in-process sandbox: setWebhook, replies, and the
webhook left in place on stop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from bot.app import build_application
from bot.bootstrap import prepare_database
from bot.context import TiepdanApp
from bot.settings import SANDBOX_BOT_TOKEN, Settings
from bot.webhook.config import derive_secret
from bot.webhook.receiver import receive_updates
from tests.e2e.stack import free_port
from tests.handlers.harness import Citizen, bot_settings, sandbox_server


@contextlib.asynccontextmanager
async def webhook_bot(settings: Settings) -> AsyncIterator[TiepdanApp]:
    """The bot as `tiepdan bot` runs it with TELEGRAM_WEBHOOK_URL set."""
    await asyncio.to_thread(prepare_database, settings)
    app = build_application(settings)
    async with app:
        await app.start()
        try:
            async with receive_updates(app, settings):
                yield app
        finally:
            await app.stop()
            await app.bot_data.nlu.aclose()


async def test_the_bot_answers_through_its_webhook(tmp_path: Path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/webhook"
    async with sandbox_server() as sandbox_url:
        settings = bot_settings(tmp_path, sandbox_url).model_copy(
            update={"telegram_webhook_url": hook, "webhook_port": port}
        )
        api = httpx.AsyncClient(base_url=f"{sandbox_url}/bot{SANDBOX_BOT_TOKEN}", timeout=10)
        citizen = Citizen(sandbox_url, chat_id=8101)
        try:
            async with webhook_bot(settings):
                info = (await api.post("/getWebhookInfo")).json()["result"]
                assert info["url"] == hook and info["max_connections"] == 40
                assert "message" in info["allowed_updates"]
                await citizen.send("/start")
                reply = await citizen.last()
                assert reply["text"].startswith("Kính chào ông/bà Lan!")
                # Nobody polls: the updates came by webhook.
                polls = await citizen.client.get("/calls", params={"method": "getUpdates"})
                assert polls.json() == []
                # The secret is the one derived from the token; a wrong one is refused.
                async with httpx.AsyncClient() as outsider:
                    refused = await outsider.post(hook, json={"update_id": 1})
                    assert refused.status_code == 403
                    header = {"X-Telegram-Bot-Api-Secret-Token": derive_secret(SANDBOX_BOT_TOKEN)}
                    accepted = await outsider.post(hook, json={"update_id": 10**6}, headers=header)
                    assert accepted.status_code == 200
            # Stopped: the webhook stays set for the other instance, updates wait for it.
            info = (await api.post("/getWebhookInfo")).json()["result"]
            assert info["url"] == hook
            await citizen.send("còn ai không?")
            await asyncio.sleep(0.3)
            info = (await api.post("/getWebhookInfo")).json()["result"]
            assert info["pending_update_count"] == 1
            assert info["last_error_message"] == "Connection refused"
        finally:
            await api.aclose()
            await citizen.aclose()

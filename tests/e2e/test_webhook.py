"""A real `tiepdan run` in webhook mode: the sandbox posts updates to the bot's webhook."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.settings import SANDBOX_BOT_TOKEN
from tests.e2e.stack import Citizen, Stack, free_port

pytestmark = pytest.mark.e2e


def test_citizens_are_answered_through_the_webhook(tmp_path: Path) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/webhook"
    stack = Stack(
        workdir=tmp_path / "stack",
        args=["--no-rasa"],  # nothing answers at RASA_URL: the "understanding unavailable" reply
        env_overrides={"TELEGRAM_WEBHOOK_URL": hook, "WEBHOOK_PORT": str(port)},
    )
    with stack.running(ready_timeout=60):
        bot_api = f"http://127.0.0.1:{stack.sandbox_port}/bot{SANDBOX_BOT_TOKEN}"
        info = httpx.post(f"{bot_api}/getWebhookInfo").json()["result"]
        assert info["url"] == hook

        lan, minh = Citizen(stack, 9101, "Lan"), Citizen(stack, 9102, "Minh")
        lan.send("/start")
        minh.send("/start")
        assert lan.replies(1)[-1]["text"].startswith("Kính chào ông/bà Lan!")
        assert minh.replies(1)[-1]["text"].startswith("Kính chào ông/bà Minh!")
        lan.send("Làm giấy khai sinh cần gì?")
        assert lan.replies(1)[-1]["text"]  # answered, though the NLU is down

        # The bot never polled: every update came by webhook.
        assert httpx.get(f"{stack.api}/calls", params={"method": "getUpdates"}).json() == []
        info = httpx.post(f"{bot_api}/getWebhookInfo").json()["result"]
        assert info["pending_update_count"] == 0 and "last_error_date" not in info

        # Forged updates without the secret are refused, and logged once.
        forged = {"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "x"}}
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guess"}, {}):
            assert httpx.post(hook, json=forged, headers=headers).status_code == 403
        assert stack.log().count("without the right secret token") == 1
        assert "Webhook:            " + hook in stack.log()
    assert stack.process is not None and stack.process.returncode == 0

"""The real bot (bot.app) polling an in-process sandbox, and a citizen driving it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from bot.app import build_application
from bot.bootstrap import prepare_database
from bot.context import TiepdanApp
from bot.sandbox.server import bind_socket, create_app, serve_app
from bot.settings import Settings
from tests.e2e.stack import free_port


def bot_settings(tmp_path: Path, sandbox_url: str, database_url: str | None = None) -> Settings:
    """Settings for a bot on a temporary database talking to the sandbox at `sandbox_url`."""
    return Settings(
        database_url=database_url or f"sqlite:///{tmp_path / 'bot.db'}",
        var_dir=tmp_path / "var",
        telegram_api_base_url=f"{sandbox_url}/bot",
        rasa_url=f"http://127.0.0.1:{free_port()}",
        rasa_token="test-token",  # type: ignore[arg-type]
        rasa_timeout=0.3,
        outbox_interval=0.2,
        chat_messages_per_minute=10_000,  # tests type faster than any citizen
    )


@contextlib.asynccontextmanager
async def sandbox_server() -> AsyncIterator[str]:
    """The sandbox on a free loopback port; yields its base URL."""
    sock = bind_socket("127.0.0.1", 0)
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    server = asyncio.create_task(serve_app(create_app(), sock))
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"{url}/sandbox/api/status")).status_code == 200:
                    break
            await asyncio.sleep(0.05)
    try:
        yield url
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server


@contextlib.asynccontextmanager
async def running_bot(settings: Settings) -> AsyncIterator[TiepdanApp]:
    """The bot as `tiepdan bot` runs it: database prepared, post_init, polling."""
    await asyncio.to_thread(prepare_database, settings)
    app = build_application(settings)
    async with app:
        assert app.post_init is not None
        await app.post_init(app)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)


class Citizen:
    """One sandbox chat, played through the control API."""

    def __init__(self, sandbox_url: str, chat_id: int, first_name: str = "Lan") -> None:
        self.client = httpx.AsyncClient(base_url=f"{sandbox_url}/sandbox/api", timeout=10)
        self.chat_id = chat_id
        self.first_name = first_name
        self.seen = 0

    async def send(self, text: str) -> dict[str, Any]:
        """Type a text."""
        return await self.post("send", text=text, first_name=self.first_name)

    async def click(self, message: dict[str, Any], label_or_data: str) -> dict[str, Any]:
        """Press the button of `message` whose text or callback data is `label_or_data`."""
        found = buttons(message)
        data = found.get(label_or_data, label_or_data)
        return await self.post("click", message_id=message["message_id"], data=data)

    async def post(self, kind: str, **body: Any) -> dict[str, Any]:
        """Any control request for this chat."""
        response = await self.client.post(f"/{kind}", json={"chat_id": self.chat_id, **body})
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    async def replies(self, count: int = 1, wait: float = 10.0) -> list[dict[str, Any]]:
        """Wait for `count` new bot messages and return all new ones."""
        deadline = time.monotonic() + wait
        while True:
            params = {"chat_id": self.chat_id, "after": self.seen}
            messages: list[dict[str, Any]] = (
                await self.client.get("/messages", params=params)
            ).json()
            if len(messages) >= count:
                await asyncio.sleep(0.05)  # let a burst finish
                messages = (await self.client.get("/messages", params=params)).json()
                self.seen = max(m["message_id"] for m in messages)
                return messages
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} replies, got {messages}")
            await asyncio.sleep(0.02)

    async def last(self, wait: float = 10.0) -> dict[str, Any]:
        """The newest bot message after waiting for at least one new one."""
        return (await self.replies(1, wait))[-1]

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Callback data by button text of a message's inline keyboard."""
    markup = message.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}

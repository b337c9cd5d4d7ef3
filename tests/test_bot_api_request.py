"""The Bot API client: a burst opens the connections it needs, and few stay open idle."""

from __future__ import annotations

import asyncio
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.bot_api_request import KEEP_IDLE, bot_api_request
from tests.fake_nlu import send_json, serving

BURST = 3 * KEEP_IDLE


async def test_a_burst_opens_what_it_needs_and_keeps_few_connections_idle() -> None:
    clients: set[int] = set()

    class SlowBotApi(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Telegram

        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            clients.add(self.client_address[1])
            time.sleep(0.2)  # every request of the burst is in flight at once
            send_json(self, 200, {"ok": True, "result": True})

    request = bot_api_request()
    await request.initialize()
    try:
        with serving(SlowBotApi) as url:
            answers = await asyncio.gather(
                *(request.post(f"{url}/botTOKEN/sendMessage") for _ in range(BURST))
            )
            pool = request._client._transport._pool  # type: ignore[attr-defined]
            assert answers == [True] * BURST
            assert len(clients) == BURST  # one connection each: none waited for another
            assert len(pool.connections) == KEEP_IDLE
    finally:
        await request.shutdown()

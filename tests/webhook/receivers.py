"""A stand-in for the bot's webhook server: records what the sandbox posts, answers as told."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.sandbox.webhook import chat_key
from bot.serving import QuietServer


@dataclass
class Recorder:
    """Answers each POST with the next status of `statuses` (then 200), after `delay`."""

    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    received: list[tuple[dict[str, str], dict[str, Any], int]] = field(default_factory=list)
    in_flight: dict[int | str, int] = field(default_factory=dict)
    max_per_chat: int = 0
    max_total: int = 0

    def app(self) -> Starlette:
        """The ASGI app taking the posts at /hook."""
        return Starlette(routes=[Route("/hook", self._receive, methods=["POST"])])

    def taken(self) -> list[dict[str, Any]]:
        """The updates answered with 2xx, in the order they arrived."""
        return [update for _, update, status in self.received if 200 <= status < 300]

    async def _receive(self, request: Request) -> Response:
        update = json.loads(await request.body())
        key = chat_key(update)
        self.in_flight[key] = self.in_flight.get(key, 0) + 1
        self.max_per_chat = max(self.max_per_chat, self.in_flight[key])
        self.max_total = max(self.max_total, sum(self.in_flight.values()))
        try:
            await asyncio.sleep(self.delay)
            status = self.statuses.pop(0) if self.statuses else 200
            self.received.append((dict(request.headers), update, status))
            return Response(status_code=status)
        finally:
            self.in_flight[key] -= 1


@contextlib.asynccontextmanager
async def serving(app: Starlette) -> AsyncIterator[str]:
    """Serve `app` on a free loopback port; yields its base URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    server = QuietServer(uvicorn.Config(app, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        yield url
    finally:
        server.should_exit = True
        await task
        listener.close()

"""A round-robin reverse proxy for tests: the webhook URL the sandbox posts to, in front
of several bot instances, like nginx's `upstream` with `proxy_next_upstream error`.

A request goes to the next instance in turn; an instance that refuses the connection is
skipped for that request (the next one gets it); when none answers, the sandbox gets 502
and retries later, as Telegram would.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from itertools import count

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.serving import QuietServer


class Balancer:
    """Forwards every POST to one of `backends` (base URLs), round robin."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = backends
        self._turn = count()
        self.forwarded = [0] * len(backends)
        self.skipped = 0

    def app(self) -> Starlette:
        """The ASGI app: every path is forwarded as it is."""
        return Starlette(routes=[Route("/{path:path}", self._forward, methods=["POST"])])

    async def _forward(self, request: Request) -> Response:
        body = await request.body()
        headers = {
            k: v for k, v in request.headers.items() if k.lower() not in {"host", "content-length"}
        }
        first = next(self._turn)
        async with httpx.AsyncClient(timeout=30.0) as client:
            for step in range(len(self.backends)):
                index = (first + step) % len(self.backends)
                url = self.backends[index] + request.url.path
                try:
                    answer = await client.post(url, content=body, headers=headers)
                except httpx.TransportError:
                    self.skipped += 1
                    continue
                self.forwarded[index] += 1
                return Response(answer.content, status_code=answer.status_code)
        return Response("no instance answered", status_code=502)


@contextlib.contextmanager
def running_balancer(backends: list[str], port: int) -> Iterator[Balancer]:
    """A balancer on 127.0.0.1:`port` in a background thread, for the block's duration."""
    balancer = Balancer(backends)
    config = uvicorn.Config(balancer.app(), host="127.0.0.1", port=port, log_level="warning")
    server = QuietServer(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError(f"the balancer could not listen on port {port}")
        threading.Event().wait(0.05)
    try:
        yield balancer
    finally:
        server.should_exit = True
        thread.join(timeout=10)

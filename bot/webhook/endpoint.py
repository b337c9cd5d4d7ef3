"""The webhook endpoint: checks the secret token, parses the update, queues it for PTB."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Bot, Update

from bot.webhook.completion import Completions
from bot.webhook.refusals import RefusalLog

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


# The longest a delivery waits for its update to be handled before it is answered anyway
# (Telegram itself gives up on a webhook request after about a minute).
HANDLING_TIMEOUT = 25.0


def create_webhook_app(
    *,
    path: str,
    secret: str,
    bot: Bot,
    queue: asyncio.Queue[Any],
    refusals: RefusalLog,
    completions: Completions | None = None,
    timeout: float = HANDLING_TIMEOUT,
) -> Starlette:
    """An ASGI app taking Telegram's POSTs at `path`: 403 without the right secret token,
    400 for a body that is no update, else 200 once the update put on `queue` (the
    Application's update_queue) has been handled — at once, without `completions`."""
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        # Starlette decodes headers as latin-1, so this round-trips any header bytes.
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            refusals.refused(request.client.host if request.client else "unknown")
            return Response(status_code=403)
        update = _parse(await request.body(), bot)
        if update is None:
            return Response("not a Telegram update", status_code=400)
        if completions is None:
            queue.put_nowait(update)
            return Response(status_code=200)
        with completions.expecting(update.update_id) as handled:
            queue.put_nowait(update)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(handled), timeout)
        return Response(status_code=200)

    return Starlette(routes=[Route(path, receive, methods=["POST"])])


def _parse(body: bytes, bot: Bot) -> Update | None:
    """The update in a request body, or None when it is not one."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        return Update.de_json(data, bot)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None

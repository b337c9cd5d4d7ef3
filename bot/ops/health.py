"""Readiness: does the database answer, the NLU server, the Bot API?

Each check gives "ok" or "down: <reason>", where the reason is an exception's type or an
HTTP status, never a URL (the Bot API's carries the bot token, the NLU's the Rasa token).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.switch import serving_url

OK = "ok"
# Each check gives up after this long; a probe must answer before the orchestrator's own
# timeout (commonly 1 to 5 s).
CHECK_TIMEOUT = 2.0
# A Bot API that answered getMe is taken as reachable this long (Telegram is not asked on
# every probe).
BOT_API_TTL = 10.0


class Down(Exception):
    """A check failed for the reason given."""


class Readiness:
    """The readiness checks of one process, with the Bot API's success cached."""

    def __init__(
        self,
        settings: Settings,
        sessions: sessionmaker[Session],
        *,
        timeout: float = CHECK_TIMEOUT,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._sessions = sessions
        self._timeout = timeout
        self._transport = transport
        self._clock = clock
        self._bot_api_ok_at: float | None = None

    async def checks(self) -> dict[str, str]:
        """Every check, run concurrently: {"database": "ok", "nlu": "down: …", …}."""
        names = ("database", "nlu", "bot_api")
        results = await asyncio.gather(
            *(_outcome(check, self._timeout) for check in (self._db, self._nlu, self._bot_api))
        )
        return dict(zip(names, results, strict=True))

    async def _db(self) -> None:
        def select_one() -> None:
            with self._sessions() as session:
                session.execute(text("SELECT 1"))

        await asyncio.to_thread(select_one)

    async def _nlu(self) -> None:
        settings = self._settings
        token = await asyncio.to_thread(rasa_token, settings)
        url = await asyncio.to_thread(serving_url, settings)
        body = await self._get_json(f"{url}/status", params={"token": token})
        if not body.get("model_file"):
            raise Down("no model loaded")

    async def _bot_api(self) -> None:
        now = self._clock()
        if self._bot_api_ok_at is not None and now - self._bot_api_ok_at < BOT_API_TTL:
            return
        settings = self._settings
        body = await self._get_json(f"{settings.bot_api_base_url}{settings.bot_token}/getMe")
        if body.get("ok") is not True:
            raise Down("getMe refused")
        self._bot_api_ok_at = now

    async def _get_json(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=self._timeout, transport=self._transport) as http:
            response = await http.get(url, params=params)
        if response.status_code != 200:
            raise Down(f"HTTP {response.status_code}")
        body = response.json()
        if not isinstance(body, dict):
            raise Down("unexpected answer")
        return body


async def _outcome(check: Callable[[], Awaitable[None]], seconds: float) -> str:
    """ "ok", or "down: " and why, without any detail that could carry a secret."""
    try:
        await asyncio.wait_for(check(), seconds)
    except Down as exc:
        return f"down: {exc}"
    except TimeoutError:
        return "down: timed out"
    except Exception as exc:  # any failure means not ready; its type says enough
        return f"down: {type(exc).__name__}"
    return OK

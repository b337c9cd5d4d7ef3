"""Long polls of the control API: callers held until the bot sends something to a chat."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# The longest a control API caller may be held (`GET /sandbox/api/messages?wait=`).
MAX_WAIT_SECONDS = 30.0


class ChatWaiters:
    """Per chat, the held callers; the send path wakes a chat's callers with `notify`."""

    def __init__(self) -> None:
        self._events: dict[int, set[asyncio.Event]] = {}

    def notify(self, chat_id: int) -> None:
        """The bot put a message into this chat: wake whoever waits for it."""
        for event in self._events.get(chat_id, ()):
            event.set()

    @property
    def held(self) -> int:
        """How many callers are held now."""
        return sum(len(events) for events in self._events.values())

    async def until(self, chat_id: int, found: Callable[[], T], wait: float) -> T:
        """`found()` as soon as it is truthy after a `notify` of this chat, or its value
        once `wait` seconds (capped at MAX_WAIT_SECONDS) have passed."""
        deadline = time.monotonic() + min(max(wait, 0.0), MAX_WAIT_SECONDS)
        result = found()
        while not result and (remaining := deadline - time.monotonic()) > 0:
            event = asyncio.Event()
            waiting = self._events.setdefault(chat_id, set())
            waiting.add(event)
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                pass
            finally:
                waiting.discard(event)
                if not waiting:
                    self._events.pop(chat_id, None)
            result = found()
        return result

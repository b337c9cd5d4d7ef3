"""Updates of different chats run concurrently; the updates of one chat, in arrival order.

PTB's `concurrent_updates(True)` runs every update at once, so two updates of one chat (a
photo album, a double-tapped button) race through the same conversation. This processor
gives each chat a turn: an update waits for the one before it in its chat, then for one of
`max_running` slots shared by all chats. A chat's turn-taking state exists only while it
has updates in flight, so idle chats cost no memory.

PTB admits an update (its own semaphore) *before* handing it over, and an update waiting
for its chat's turn keeps that admission; so admission is sized well above the running
bound, and a chat with a backlog (an album, a flood) waits without taking the slots that
other chats run in.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# Updates admitted (running or waiting for their chat's turn) per running slot.
ADMITTED_PER_SLOT = 16


def ordering_key(update: object) -> int | None:
    """The chat an update belongs to (else its user; None: it runs unordered)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class ChatGuard(Protocol):
    """What runs around a chat's update once its turn has come (e.g. a lock shared with
    other processes and a fresh read of the chat's state)."""

    def hold(self, chat: int, update: object) -> AbstractAsyncContextManager[bool]:
        """Surround the processing of `update` of `chat`; yields False when the update must
        not run (another process has handled it already)."""
        ...

    async def close(self) -> None:
        """Free what the guard holds (at shutdown)."""
        ...


@dataclass
class _Turns:
    """One chat's queue: a FIFO lock, and how many of its updates are in flight."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    in_flight: int = 0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs different chats' updates concurrently (at most `max_running` at once) and each
    chat's updates one after another, in the order they arrived."""

    __slots__ = ("_chats", "_max_running", "_running", "guard", "on_done")

    def __init__(self, max_running: int = 256, *, guard: ChatGuard | None = None) -> None:
        if max_running < 1:
            raise ValueError("max_running must be at least 1")
        super().__init__(max_running * ADMITTED_PER_SLOT)
        self._max_running = max_running
        self._running = asyncio.BoundedSemaphore(max_running)
        self._chats: dict[int, _Turns] = {}
        self.guard = guard
        # Called with each update once it is handled (or skipped): the webhook answers then.
        self.on_done: Callable[[object], None] | None = None

    @property
    def max_running(self) -> int:
        """How many updates run at once (different chats)."""
        return self._max_running

    @property
    def busy_chats(self) -> int:
        """Chats with an update running or waiting (their turn state is in memory)."""
        return len(self._chats)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Run one update in its chat's turn, then report it done (`on_done`)."""
        try:
            await self._in_turn(update, coroutine)
        finally:
            if self.on_done is not None:
                self.on_done(update)

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for the chat's turn (joined before any await, so in arrival order), then
        for a running slot; run the update inside the guard, if any."""
        chat = ordering_key(update)
        if chat is None:
            try:
                async with self._running:
                    await coroutine
            finally:
                _discard_unstarted(coroutine)
            return
        turns = self._chats.get(chat)
        if turns is None:
            turns = self._chats[chat] = _Turns()
        turns.in_flight += 1
        try:
            async with turns.lock, self._running:
                if self.guard is None:
                    await coroutine
                else:
                    async with self.guard.hold(chat, update) as runs:
                        if runs:
                            await coroutine
        finally:
            _discard_unstarted(coroutine)
            turns.in_flight -= 1
            if turns.in_flight == 0:
                del self._chats[chat]

    async def initialize(self) -> None:
        """Nothing to set up (the guard connects on first use)."""

    async def shutdown(self) -> None:
        """Close the guard's resources."""
        if self.guard is not None:
            await self.guard.close()


def _discard_unstarted(coroutine: Awaitable[Any]) -> None:
    """Close an update's coroutine that never ran (cancelled while waiting for its turn),
    so it is not reported as "never awaited"."""
    if (
        inspect.iscoroutine(coroutine)
        and inspect.getcoroutinestate(coroutine) == inspect.CORO_CREATED
    ):
        coroutine.close()

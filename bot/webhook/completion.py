"""Answering a webhook delivery once its update is handled, not when it is queued.

Telegram repeats a delivery until it gets a 2xx answer. Answering only after the update
has run means an instance killed mid-update gets no answer in, so the update is delivered
again (to another instance behind the proxy) instead of being lost; the ledger
(bot/ordering/ledger.py) keeps that second delivery from being handled twice. A
deliverer that waits for a chat's answer before sending its next update (the sandbox
does) thereby hands a chat's updates to the instances one at a time, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

from telegram import Update


class Completions:
    """Futures for updates awaiting their handling, by update id."""

    def __init__(self) -> None:
        self._waiting: dict[int, asyncio.Future[None]] = {}

    @contextlib.contextmanager
    def expecting(self, update_id: int) -> Iterator[asyncio.Future[None]]:
        """A future resolved when `done` is called for `update_id`, for the block's duration."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[update_id] = future
        try:
            yield future
        finally:
            if self._waiting.get(update_id) is future:
                del self._waiting[update_id]

    def done(self, update: object) -> None:
        """The processor's `on_done`: resolve the future of `update`, if one is waiting."""
        if not isinstance(update, Update):
            return
        future = self._waiting.pop(update.update_id, None)
        if future is not None and not future.done():
            future.set_result(None)

    @property
    def waiting(self) -> int:
        """How many deliveries wait for their update to be handled."""
        return len(self._waiting)

"""Outbound limits like Telegram's: PTB's rate limiter (20 messages a minute per group,
every 429 honoured with its retry_after) plus retries with backoff when the Bot API answers
5xx; and a pacer for bulk sending (the outbox): about one message a second per private
chat with short bursts, about 30 a second in all.

Telegram's "about 30 messages a second" is its limit for bulk notifications. Replies are
not paced against it: each answers a message its citizen just sent, so they come at the
citizens' own pace, and a bot capped at 30 replies a second would make a busy hour's
citizens queue behind each other (the load benchmark measured exactly 30/s before). If
Telegram does answer 429, the reply waits its retry_after.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import AbstractAsyncContextManager
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

from bot.outbox.arrival import may_have_arrived

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingRateLimiter(AIORateLimiter):
    """Respects 429 `retry_after` (AIORateLimiter) and retries server errors, so no reply is lost.

    A request that may have reached Telegram (timed out, or its answer lost) is not
    retried: a citizen reading the same answer twice is worse than the error handler's
    log line. Only definite failures (a 5xx answer, no connection) are.
    """

    def __init__(self, *, max_retries: int = 3, server_error_retries: int = 3) -> None:
        # overall_max_rate=0: no bot-wide cap on replies (bulk sends have BulkPacer's).
        super().__init__(overall_max_rate=0, max_retries=max_retries)
        self._server_error_retries = server_error_retries

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Run the request; on a 5xx (NetworkError) wait and try again a few times."""
        for attempt in range(self._server_error_retries + 1):
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                last = attempt == self._server_error_retries
                if endpoint == "getUpdates" or last or may_have_arrived(exc):
                    raise
                delay = 0.5 * 2**attempt
                log.warning("Bot API %s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")


# Telegram: "avoid sending more than one message per second in a particular chat; short
# bursts are allowed". The sandbox's limits (bot/sandbox/limits.py) use the same numbers.
PER_CHAT_BURST = 3
PER_CHAT_PER_SECOND = 1.0
# Bulk sending keeps a little under Telegram's 30 a second per bot: room for replies, and
# no 429 when requests bunch up on the way.
BULK_PER_SECOND = 28.0


class BulkPacer:
    """Paces bulk sends (the outbox): each private chat gets a burst of `burst`, then
    `per_second`; all chats together get `overall_per_second`.

    Groups (negative ids) are left to AIORateLimiter's 20-a-minute group limiter, and
    replies to the citizen's own pace: only bulk sending goes through this.
    """

    def __init__(
        self,
        *,
        burst: int = PER_CHAT_BURST,
        per_second: float = PER_CHAT_PER_SECOND,
        overall_per_second: float = BULK_PER_SECOND,
        max_chats: int = 4096,
    ) -> None:
        self._burst = burst
        self._period = burst / per_second
        self._overall_per_second = overall_per_second
        self._max_chats = max_chats
        self._limiters: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._overall: AsyncLimiter | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        """`async with pacer.slot(chat_id):` waits until the chat may get a message."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop or self._overall is None:  # limiters belong to one loop
            self._limiters.clear()
            self._overall = AsyncLimiter(self._overall_per_second, 1)
            self._loop = loop
        async with self._chat(chat_id), self._overall:
            yield

    def _chat(self, chat_id: int) -> AbstractAsyncContextManager[object]:
        if chat_id < 0:
            return contextlib.nullcontext()
        limiter = self._limiters.pop(chat_id, None) or AsyncLimiter(self._burst, self._period)
        self._limiters[chat_id] = limiter  # most recently used last
        while len(self._limiters) > self._max_chats:
            oldest, stale = next(iter(self._limiters.items()))
            if not stale.has_capacity(self._burst):
                break  # still pacing: keep it
            del self._limiters[oldest]
        return limiter

"""PTB's rate limiter, plus retries with backoff when the Bot API answers 5xx."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

Result = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingRateLimiter(AIORateLimiter):
    """Respects 429 `retry_after` (AIORateLimiter) and retries server errors, so no reply is lost.

    A timed-out request is not retried: Telegram may already have delivered it, and a
    citizen reading the same answer twice is worse than the error handler's log line.
    """

    def __init__(self, *, max_retries: int = 3, server_error_retries: int = 3) -> None:
        super().__init__(max_retries=max_retries)
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
                if endpoint == "getUpdates" or attempt == self._server_error_retries:
                    raise
                delay = 0.5 * 2**attempt
                log.warning("Bot API %s failed (%s); retrying in %.1f s", endpoint, exc, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")

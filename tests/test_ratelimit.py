"""The bot's side of Telegram's limits: per-chat pacing for bulk sends, and retries only
of requests that certainly did not arrive."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest
from telegram.error import NetworkError

from bot.ratelimit import BulkPacer, RetryingRateLimiter


async def test_a_private_chat_is_paced_after_a_burst_and_groups_are_not() -> None:
    pacer = BulkPacer(burst=3, per_second=4.0, overall_per_second=1000.0)
    started = time.monotonic()
    times = []
    for _ in range(5):
        async with pacer.slot(7):
            times.append(time.monotonic() - started)
    assert times[2] < 0.1  # the burst
    assert 0.4 <= times[4] < 0.8  # then four a second
    started = time.monotonic()
    for _ in range(30):
        async with pacer.slot(-100):
            pass
    assert time.monotonic() - started < 0.1


async def test_bulk_sends_keep_under_the_overall_rate() -> None:
    pacer = BulkPacer(overall_per_second=20.0)
    started = time.monotonic()
    for chat in range(30):  # thirty chats, one message each
        async with pacer.slot(chat):
            pass
    assert 0.4 <= time.monotonic() - started < 0.9  # 20 at once, then 10 at 20 a second


async def test_the_pacer_forgets_idle_chats() -> None:
    pacer = BulkPacer(burst=1, per_second=1000.0, max_chats=3)
    for chat in range(10):
        async with pacer.slot(chat):
            await asyncio.sleep(0.002)
    assert len(pacer._limiters) <= 4


def _failing(error: Exception, calls: list[int]) -> Any:
    async def callback() -> bool:
        calls.append(1)
        raise error

    return callback


@pytest.mark.parametrize(
    ("cause", "tries"),
    [
        (None, 2),  # a 5xx answer: certainly refused, tried again
        (httpx.ReadError("reset"), 1),  # sent, answer lost: not repeated
    ],
)
async def test_only_requests_that_did_not_arrive_are_retried(
    cause: Exception | None, tries: int
) -> None:
    limiter = RetryingRateLimiter(server_error_retries=1)
    error = NetworkError("Bad Gateway")
    error.__cause__ = cause
    calls: list[int] = []
    with pytest.raises(NetworkError):
        await limiter.process_request(
            _failing(error, calls), (), {}, "sendMessage", {"chat_id": 1}, None
        )
    assert len(calls) == tries

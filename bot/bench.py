"""Latency of the running system: Rasa `/model/parse` and message → reply through the sandbox."""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx

from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.client import NluClient
from nlu.switch import serving_url

SAMPLES = (
    "thủ tục đăng ký khai sinh cần những gì",
    "lam giay ket hon can mang gi",
    "chứng thực bản sao hết bao nhiêu tiền",
    "xin chào",
    "cam on nhe",
)
BENCH_CHAT_ID = 990_000_001


def summary(samples: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(p95 * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


async def parse_latency(settings: Settings, rounds: int) -> list[float]:
    """Seconds per `/model/parse` call, normalisation included."""
    client = NluClient(base_url=serving_url(settings), token=rasa_token(settings), timeout=10)
    try:
        await client.parse(SAMPLES[0])  # warm-up
        times = []
        for i in range(rounds):
            start = time.perf_counter()
            await client.parse(SAMPLES[i % len(SAMPLES)])
            times.append(time.perf_counter() - start)
        return times
    finally:
        await client.aclose()


async def round_trip_latency(settings: Settings, rounds: int, limit: float = 10.0) -> list[float]:
    """Seconds from a citizen's message (control API) to the bot's reply in the sandbox."""
    api = f"{settings.sandbox_url}/sandbox/api"
    times = []
    async with httpx.AsyncClient(timeout=limit) as http:
        last = await _last_message_id(http, api)
        for i in range(rounds):
            start = time.perf_counter()
            await http.post(
                f"{api}/send", json={"chat_id": BENCH_CHAT_ID, "text": SAMPLES[i % len(SAMPLES)]}
            )
            while True:
                reply = (
                    await http.get(
                        f"{api}/messages", params={"chat_id": BENCH_CHAT_ID, "after": last}
                    )
                ).json()
                if reply:
                    last = max(m["message_id"] for m in reply)
                    break
                if time.perf_counter() - start > limit:
                    raise TimeoutError("the bot did not reply within the timeout")
                await asyncio.sleep(0.005)
            times.append(time.perf_counter() - start)
    return times


async def run_bench(settings: Settings, rounds: int) -> dict[str, Any]:
    """Both measurements, summarised."""
    return {
        "model_parse": summary(await parse_latency(settings, rounds)),
        "message_to_reply": summary(await round_trip_latency(settings, rounds)),
    }


async def _last_message_id(http: httpx.AsyncClient, api: str) -> int:
    messages = (
        await http.get(f"{api}/messages", params={"chat_id": BENCH_CHAT_ID, "after": 0})
    ).json()
    return max((m["message_id"] for m in messages), default=0)

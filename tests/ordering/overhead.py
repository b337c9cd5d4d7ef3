"""What per-chat ordering costs per update (a micro-benchmark, not a test).

    .venv/bin/python -m tests.ordering.overhead [--database-url postgresql+psycopg://…]

1. The processor alone: no-op updates over 100 chats through PTB's SimpleUpdateProcessor
   and through ChatOrderedProcessor, fed as Application feeds them (a task per update).
2. With a migrated PostgreSQL database: the shared-state guard around an update that
   changes nothing (the turn's start: chat lock, ledger and state in one round trip; flush;
   the turn's end: record and unlock in one round trip; PTB's own refresh_user_data inside
   it is then a no-op). Use a database whose ledger does not hold update ids 1…10,000 yet
   (a new one, or `TRUNCATE processed_updates`): an update found there is skipped, one update after
   another (latency) and 50 chats at once; and, for comparison, the same user-data read
   through a SQLAlchemy session in a thread (what refresh_user_data does outside a guard).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import BaseUpdateProcessor, SimpleUpdateProcessor

from bot.app import build_application
from bot.ordering import ChatOrderedProcessor
from bot.ordering.shared import SharedChatState
from bot.persistence import DatabasePersistence
from bot.settings import Settings
from tests.ordering.updates import text_update


async def _noop() -> None:
    return None


async def processor_cost(processor: BaseUpdateProcessor, count: int) -> float:
    """Microseconds of wall time per no-op update (100 chats, all queued at once)."""
    updates = [text_update(1 + n % 100) for n in range(count)]
    started = time.perf_counter()
    tasks = [asyncio.create_task(processor.process_update(u, _noop())) for u in updates]
    await asyncio.gather(*tasks)
    return (time.perf_counter() - started) / count * 1e6


async def timed(
    work: Callable[[int], Awaitable[None]], count: int, parallel: int
) -> tuple[float, float]:
    """(ms of wall time, ms of CPU) per call of `work(chat)`, `parallel` chats at once."""
    wall, cpu = time.perf_counter(), time.process_time()

    async def lane(lane_id: int) -> None:
        for _ in range(count // parallel):
            await work(10_000 + lane_id)

    await asyncio.gather(*(lane(i) for i in range(parallel)))
    done = count // parallel * parallel
    return (time.perf_counter() - wall) / done * 1e3, (time.process_time() - cpu) / done * 1e3


async def guard_cost(database_url: str, count: int) -> None:
    settings = Settings(database_url=database_url, shared_state=True)
    app = build_application(settings)
    guard = app.update_processor.guard  # type: ignore[attr-defined]
    assert isinstance(guard, SharedChatState)
    persistence = app.persistence
    assert isinstance(persistence, DatabasePersistence)

    async def update_of(chat: int) -> None:
        update = text_update(chat)
        async with guard.hold(chat, update):
            await persistence.refresh_user_data(chat, {})

    async def lock_only(chat: int) -> None:
        async with guard._locks.hold(chat):  # type: ignore[union-attr]
            pass

    async def user_data_only(chat: int) -> None:
        await persistence.refresh_user_data(chat, {})  # outside a guard: a session read

    await update_of(1)  # connect
    for name, work in [
        ("turn without reads: lock + unlock", lock_only),
        ("guard: turn start, flush, turn end", update_of),
        ("user data via a session", user_data_only),
    ]:
        for parallel in (1, 50):
            wall, cpu = await timed(work, count, parallel)
            print(f"{name:34} {parallel:3} at once: {wall:6.3f} ms/update wall, {cpu:6.3f} ms CPU")
    await guard.close()
    with contextlib.suppress(Exception):
        app.bot_data.sessions.kw["bind"].dispose()


async def main(args: argparse.Namespace) -> None:
    for name, make in [
        ("PTB SimpleUpdateProcessor(256)", lambda: SimpleUpdateProcessor(256)),
        ("ChatOrderedProcessor(256)", lambda: ChatOrderedProcessor(256)),
    ]:
        costs: list[Any] = [await processor_cost(make(), args.count) for _ in range(3)]
        print(f"{name:32} {min(costs):6.1f} µs/update (best of 3, {args.count} updates)")
    if args.database_url:
        await guard_cost(args.database_url, args.guard_count)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--guard-count", type=int, default=2_000)
    parser.add_argument("--database-url")
    asyncio.run(main(parser.parse_args()))

"""Two bot Applications on one database and one sandbox, as two processes would be.

Two pollers on one sandbox would take each other's updates (getUpdates conflicts), so
neither polls: a router fetches the sandbox's updates and hands each to the bot a policy
picks (e.g. alternately), like a load balancer in front of two webhook instances.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from telegram import Update

from bot.app import build_application
from bot.bootstrap import prepare_database
from bot.context import TiepdanApp
from bot.settings import Settings

Pick = Callable[[Update, int], int]  # (update, how many routed so far) → bot index


def alternate(update: Update, routed: int) -> int:
    """Every other update to the other bot, whatever its chat."""
    return routed % 2


@dataclass
class Router:
    """Which bot got which update (update_id → bot index)."""

    pick: Pick = alternate
    routed: dict[int, int] = field(default_factory=dict)
    # Deliver every update to the other bot as well, after the first has handled it
    # (a webhook delivery repeated because the first instance never answered).
    twice: bool = False


@contextlib.asynccontextmanager
async def two_bots(settings: Settings, router: Router) -> AsyncIterator[list[TiepdanApp]]:
    """Two started Applications (no post_init: no outbox or digest jobs) fed by `router`."""
    await asyncio.to_thread(prepare_database, settings)
    bots = [build_application(settings), build_application(settings)]
    async with contextlib.AsyncExitStack() as stack:
        for app in bots:
            await stack.enter_async_context(app)
            await app.start()
            stack.push_async_callback(app.stop)
        feeder = asyncio.create_task(_route(bots, router))
        try:
            yield bots
        finally:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await feeder


async def _route(bots: list[TiepdanApp], router: Router) -> None:
    offset = 0
    while True:
        updates = await bots[0].bot.get_updates(offset=offset, timeout=1)
        for update in updates:
            offset = update.update_id + 1
            index = router.pick(update, len(router.routed))
            router.routed[update.update_id] = index
            targets = [bots[index], bots[1 - index]] if router.twice else [bots[index]]
            for target in targets:
                # Bound to the target's own Bot, as if that process had received it.
                await target.update_queue.put(Update.de_json(update.to_dict(), target.bot))
                if router.twice:
                    await _handled(target)


async def _handled(app: TiepdanApp) -> None:
    """Wait until `app` has taken its queued updates and finished them (seen idle twice,
    20 ms apart: an update just taken from the queue may not have started yet)."""
    idle = 0
    while idle < 2:
        await asyncio.sleep(0.02)
        busy = not app.update_queue.empty() or app.update_processor.current_concurrent_updates
        idle = 0 if busy else idle + 1

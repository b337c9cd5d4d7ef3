"""The morning digest, run by the bot process's job queue."""

from __future__ import annotations

import logging
from datetime import time
from typing import Any

from bot.alerts.service import queue_digests
from bot.cases.clock import OFFICE_TZ
from bot.db_outage import survives_outage

log = logging.getLogger(__name__)

# After a start, a digest missed earlier today (the bot was down at the hour) goes out.
CATCH_UP_AFTER = 60.0


@survives_outage("digest", retry_in=300.0)
async def digest_job(context: Any) -> None:
    """Queue today's digests (background work: its own session and transaction)."""
    services = context.bot_data
    settings = services.settings
    if not settings.staff_chat_ids:
        return
    units = await services.db(
        lambda session: queue_digests(
            session=session,
            chats=settings.staff_chat_ids,
            console_url=settings.console_url,
            digest_hour=settings.digest_hour,
        )
    )
    if units:
        log.info("Digest queued for unit(s): %s", ", ".join(units))


def schedule_digest(job_queue: Any, *, digest_hour: int) -> None:
    """Every day at `digest_hour` local time (the service skips days off), and once soon."""
    job_queue.run_daily(digest_job, time=time(digest_hour, tzinfo=OFFICE_TZ), name="digest")
    job_queue.run_once(digest_job, when=CATCH_UP_AFTER, name="digest-catch-up")

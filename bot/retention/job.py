"""The daily purge, run by the bot process's job queue."""

from __future__ import annotations

import logging
from typing import Any

from bot.retention.service import purge

log = logging.getLogger(__name__)

PURGE_INTERVAL = 24 * 3600.0


async def purge_job(context: Any) -> None:
    """Delete expired questions and unreferenced attachment files (background session)."""
    services = context.bot_data
    settings = services.settings
    done = await services.db(
        lambda session: purge(
            session=session,
            var_dir=settings.var_dir,
            question_days=settings.question_retention_days,
        )
    )
    log.info(
        "Purge: deleted %d question(s) older than %d days and %d unreferenced attachment "
        "file(s) (%d bytes)",
        done.questions, settings.question_retention_days, done.files, done.bytes,
    )  # fmt: skip

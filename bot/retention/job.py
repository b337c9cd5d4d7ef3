"""The daily purge, run by the bot process's job queue."""

from __future__ import annotations

import logging
from typing import Any

from bot.retention.service import purge
from bot.staff.service import purge_expired_sessions
from bot.state.pending import drop

log = logging.getLogger(__name__)

PURGE_INTERVAL = 24 * 3600.0


async def purge_job(context: Any) -> None:
    """Delete expired questions, forgotten drafts and unreferenced attachment files
    (background session)."""
    services = context.bot_data
    settings = services.settings
    done = await services.db(
        lambda session: purge(
            session=session,
            var_dir=settings.var_dir,
            question_days=settings.question_retention_days,
            draft_days=settings.draft_retention_days,
        )
    )
    sessions = await services.db(lambda session: purge_expired_sessions(session=session))
    # The bot holds user data in memory too: forget there what left the database.
    for user_id, key in done.pending:
        if user_id in context.application.user_data:
            drop(context.application.user_data[user_id], [key])
    log.info(
        "Purge: deleted %d question(s) older than %d days, %d forgotten draft(s) and %d "
        "unreferenced attachment file(s) (%d bytes); %d expired staff session(s)",
        done.questions, settings.question_retention_days, len(done.pending), done.files,
        done.bytes, sessions,
    )  # fmt: skip

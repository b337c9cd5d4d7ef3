"""The daily purge, run by the bot process's job queue."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.db_outage import survives_outage
from bot.ordering.ledger import forget_old
from bot.privacy.scrub import compact
from bot.retention.service import purge
from bot.staff.service import purge_expired_sessions
from bot.state.pending import drop

log = logging.getLogger(__name__)

PURGE_INTERVAL = 24 * 3600.0


@survives_outage("purge", retry_in=300.0)
async def purge_job(context: Any) -> None:
    """Delete expired questions and forgotten drafts, anonymise cases past their retention
    period, delete unreferenced attachment files (background session), then compact."""
    services = context.bot_data
    settings = services.settings
    done = await services.db(
        lambda session: purge(
            session=session,
            var_dir=settings.var_dir,
            question_days=settings.question_retention_days,
            draft_days=settings.draft_retention_days,
            case_years=settings.case_personal_data_years,
        )
    )
    if done.cases or done.questions or done.pending:
        await asyncio.to_thread(compact, services.sessions.kw["bind"])
    sessions = await services.db(lambda session: purge_expired_sessions(session=session))
    await services.db(lambda session: forget_old(session=session))  # the update ledger
    # The bot holds user data in memory too: forget there what left the database.
    for user_id, key in done.pending:
        if user_id in context.application.user_data:
            drop(context.application.user_data[user_id], [key])
    log.info(
        "Purge: deleted %d question(s) older than %d days, %d forgotten draft(s) and %d "
        "unreferenced attachment file(s) (%d bytes); anonymised %d case(s) closed over %d "
        "year(s) ago; %d expired staff session(s)",
        done.questions, settings.question_retention_days, len(done.pending), done.files,
        done.bytes, done.cases, settings.case_personal_data_years, sessions,
    )  # fmt: skip

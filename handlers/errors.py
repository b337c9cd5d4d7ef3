"""The one error handler: log the failure once and apologise to the citizen."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot import texts
from bot.context import Context
from bot.db_outage import is_connection_error
from bot.texts import faults

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    """Log the exception and tell the citizen something went wrong, if we can."""
    error = context.error
    apology = texts.ERROR
    if is_connection_error(error):
        # The database is restarting or unreachable: the step is not lost (the conversation
        # stays where it was), the citizen only needs to send it again in a moment.
        log.warning("Database unavailable while handling an update: %s", type(error).__name__)
        apology = faults.DATABASE_BUSY
    elif isinstance(error, BadRequest):
        # A subclass of NetworkError in PTB, but our fault (bad HTML, a text too long …).
        log.error(
            "Bot API refused a request: %s (cause: %r)",
            error.message,
            error.__cause__,
            exc_info=error,
        )
    elif isinstance(error, RetryAfter | TimedOut | NetworkError):
        # Transient Bot API trouble: PTB retries polling itself; a traceback helps nobody.
        log.warning("Bot API transient error: %s", type(error).__name__)
        return
    else:
        log.error("Unhandled error while processing an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, apology)
        except Exception:  # the apology itself failed: nothing more to do than log it
            log.warning("Could not send the error apology", exc_info=True)

"""The first handler group: count every update for the metrics and note when it arrived
(for the reply latency). It never stops an update."""

from __future__ import annotations

from telegram import Update
from telegram.ext import TypeHandler

from bot.answering.service import Action
from bot.context import Context
from bot.ops import metrics

# Before the flood guard (-2), so that dropped floods are counted too.
COUNTING_GROUP = -3


def kind_of(update: Update) -> str:
    """The update's kind as the metrics label it."""
    if update.message is not None:
        return "message"
    if update.callback_query is not None:
        return "callback_query"
    if update.edited_message is not None:
        return "edited_message"
    return "other"


async def count(update: Update, _context: Context) -> None:
    """Count the update and remember when it came."""
    metrics.update_received(kind_of(update), update.update_id)


def update_counter() -> TypeHandler[Update, Context, None]:
    """The counting handler (every update kind and reply action shows from the start)."""
    metrics.expect_series(action.value for action in Action)
    return TypeHandler(Update, count)

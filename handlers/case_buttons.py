"""Case buttons and commands met outside their conversation, and saving state after each update."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_summary import resend_receipt
from handlers.complaint_ui import CONFIRM_PREFIX, ack, parse_data, say


async def stale_case_button(update: Update, context: Context) -> None:
    """An old button of a finished flow: a repeated confirmation shows the case it made."""
    query = update.callback_query
    if query is None:
        return
    draft_id = parse_data(query.data, CONFIRM_PREFIX)
    if draft_id:
        await resend_receipt(update, context, draft_id)
        return
    await ack(update)
    await say(update, context, texts.DRAFT_GONE)


async def nothing_to_cancel(update: Update, context: Context) -> None:
    """/huy when no flow is running."""
    await say(update, context, texts.NOTHING_TO_CANCEL)


async def persist_now(update: object, context: Context) -> None:
    """Write changed conversation states and user data at once, so a crash loses nothing."""
    if context.application.persistence is None or not isinstance(update, Update):
        return
    user = update.effective_user
    if user is not None:
        context.application.mark_data_for_update_persistence(user_ids=user.id)
    await context.application.update_persistence()

"""Edited messages are no new answers: a short hint, and no other handler sees them."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, BaseHandler, MessageHandler, filters

from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_ui import say

# Runs after the flood guard (-2) and before the conversations (group 0).
EDITED_GROUP = -1


async def edited(update: Update, context: Context) -> None:
    """Hint (in private chats) that edits are not read; stop the update here."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        await say(update, context, texts.EDIT_NOT_READ)
    raise ApplicationHandlerStop


def edited_guard() -> BaseHandler[Update, Context, None]:
    """Edited messages (and edited channel posts) stop at this handler."""
    return MessageHandler(filters.UpdateType.EDITED, edited)

"""Case commands and buttons work in private chats only.

A case belongs to the chat it was lodged from; in a group every member shares that chat,
so lodging, tracking, privacy requests, supplements and ratings would expose one
member's case to the others. In a group the bot says so and does nothing else.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_ui import ack, say

PRIVATE_COMMANDS = ("phananh", "tracuu", "quyenriengtu")
PRIVATE_BUTTONS = r"^(case:|privacy:|complaint_howto$)"


def is_private(update: Update) -> bool:
    """True when the update comes from a private chat."""
    chat = update.effective_chat
    return chat is not None and chat.type == ChatType.PRIVATE


async def private_only(update: Update, context: Context) -> None:
    """Tell a group that cases are handled in a private chat with the bot."""
    await ack(update)
    await say(update, context, texts.PRIVATE_ONLY)


class _GroupButton(CallbackQueryHandler[Context, None]):
    """A case or privacy button pressed outside a private chat."""

    def check_update(self, update: object) -> Any:
        chat = update.effective_chat if isinstance(update, Update) else None
        if isinstance(update, Update) and chat is not None and not is_private(update):
            return super().check_update(update)
        return None


def group_guards() -> list[BaseHandler[Update, Context, None]]:
    """Handlers that catch the private-only commands and buttons in groups (register first)."""
    return [
        CommandHandler(PRIVATE_COMMANDS, private_only, filters=~filters.ChatType.PRIVATE),
        _GroupButton(private_only, pattern=PRIVATE_BUTTONS),
    ]

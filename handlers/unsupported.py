"""Messages the bot does not handle yet (stickers, voice, photos outside a flow)."""

from __future__ import annotations

from telegram import Update

from bot import texts
from bot.context import Context


async def unsupported(update: Update, context: Context) -> None:
    """Say politely that only text is understood, never stay silent."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.UNSUPPORTED_MESSAGE, do_quote=False)


async def unknown_command(update: Update, context: Context) -> None:
    """Answer a command the bot does not know with the list it does."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.UNKNOWN_COMMAND, do_quote=False)

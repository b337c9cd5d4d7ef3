"""/start and /help: greet the citizen, say what the bot does, show the menu."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.constants import ParseMode

from bot import texts
from bot.context import Context
from handlers.menu import forget_subject, main_menu


async def start(update: Update, context: Context) -> None:
    """Greet the citizen by name and show the main menu."""
    message = update.effective_message
    if message is None:
        return
    forget_subject(context)
    user = update.effective_user
    name = f" {escape(user.first_name, quote=False)}" if user and user.first_name else ""
    markup = await main_menu(context)
    await message.reply_text(
        texts.WELCOME.format(name=name, bot=texts.BOT_NAME),
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
    )


async def help_command(update: Update, context: Context) -> None:
    """Explain how to use the bot."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(texts.HELP, parse_mode=ParseMode.HTML)

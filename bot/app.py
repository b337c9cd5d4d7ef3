"""The composition root: builds the PTB Application and registers every handler."""

from __future__ import annotations

import os
from typing import Any

from telegram import BotCommand
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import texts
from bot.answering.service import Thresholds
from bot.context import BotData, Context, TiepdanApp
from bot.db import session_factory
from bot.ratelimit import RetryingRateLimiter
from bot.settings import Settings
from handlers import keyboards
from handlers.errors import on_error
from handlers.feedback import feedback_button
from handlers.menu import menu_button, menu_command
from handlers.question import question
from handlers.start import help_command, start
from handlers.unsupported import unknown_command, unsupported
from nlu.auth_token import rasa_token
from nlu.client import NluClient

# Opt in to PTB 22's timedelta `retry_after` now, so a 429 raises no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def build_application(settings: Settings) -> TiepdanApp:
    """The bot with its services, handlers and error handler, ready to initialise."""
    context_types = ContextTypes(context=Context, bot_data=BotData)
    app: TiepdanApp = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .context_types(context_types)
        .rate_limiter(RetryingRateLimiter())
        .concurrent_updates(True)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    services = app.bot_data
    services.settings = settings
    services.sessions = session_factory(settings.database_url)
    services.thresholds = Thresholds(confident=settings.nlu_confident)
    services.nlu = NluClient(
        base_url=settings.rasa_url, token=rasa_token(settings), timeout=settings.rasa_timeout
    )
    register_handlers(app)
    return app


def register_handlers(app: TiepdanApp) -> None:
    """Every handler, in the order PTB tries them."""
    # 1. Commands.
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu_command))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    # 2. Buttons: feedback under answers; the menu, answers and suggestions.
    app.add_handler(CallbackQueryHandler(feedback_button, pattern=f"^{keyboards.FEEDBACK_PREFIX}"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=keyboards.MENU_PATTERN))
    # 3. Free text goes to the NLU.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, question))
    # 4. Anything else a citizen sends in a private chat gets a polite word.
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, unsupported)
    )
    # 5. One error handler for all of them.
    app.add_error_handler(on_error)


async def _post_init(app: Any) -> None:
    """Register the command list shown by Telegram clients."""
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in texts.COMMANDS])


async def _post_shutdown(app: Any) -> None:
    """Close long-lived clients."""
    services: BotData = app.bot_data
    await services.nlu.aclose()

"""The composition root: builds the PTB Application and registers every handler."""

from __future__ import annotations

import logging
import os
from typing import Any

from telegram import BotCommand
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts
from bot.alerts.job import schedule_digest
from bot.answering.service import thresholds_from
from bot.bot_api_request import bot_api_request
from bot.context import BotData, Context, TiepdanApp
from bot.db import session_factory
from bot.ordering import ChatOrderedProcessor, share_chat_state
from bot.outbox.delivery import outbox_job
from bot.persistence import DatabasePersistence
from bot.ratelimit import RetryingRateLimiter
from bot.retention.job import PURGE_INTERVAL, purge_job
from bot.settings import Settings
from bot.texts import cases as case_texts
from handlers import keyboards
from handlers.answer_parts import PATTERN as ANSWER_PART_PATTERN
from handlers.answer_parts import answer_part
from handlers.case_buttons import nothing_to_cancel, persist_now, stale_case_button
from handlers.complaint import complaint_conversation
from handlers.counting import COUNTING_GROUP, update_counter
from handlers.edited import EDITED_GROUP, edited_guard
from handlers.errors import on_error
from handlers.feedback import feedback_button
from handlers.flood import FLOOD_GROUP, flood_guard
from handlers.menu import menu_button, menu_command
from handlers.privacy import PREFIX as PRIVACY_PREFIX
from handlers.privacy import privacy_button, privacy_command
from handlers.private_only import group_guards
from handlers.question import question
from handlers.rating import rating_conversation
from handlers.start import help_command, start
from handlers.supplement import supplement_conversation
from handlers.tracking import tracuu
from handlers.unsupported import unknown_command, unsupported
from nlu.auth_token import rasa_token
from nlu.client import NluClient

# Opt in to PTB 22's timedelta `retry_after` now, so a 429 raises no deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")


def build_application(settings: Settings) -> TiepdanApp:
    """The bot with its services, handlers and error handler, ready to initialise."""
    context_types = ContextTypes(context=Context, bot_data=BotData)
    sessions = session_factory(settings.database_url)
    persistence = DatabasePersistence(sessions, update_interval=settings.persistence_interval)
    app: TiepdanApp = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(settings.bot_file_base_url)
        .request(bot_api_request())
        .context_types(context_types)
        .rate_limiter(RetryingRateLimiter())
        .concurrent_updates(ChatOrderedProcessor(settings.max_concurrent_updates))
        .persistence(persistence)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    services = app.bot_data
    services.settings = settings
    share_chat_state(app)  # several processes on PostgreSQL: per-chat lock and fresh state
    services.sessions = sessions
    services.thresholds = thresholds_from(settings)
    services.nlu = NluClient(
        base_url=settings.rasa_url,
        token=rasa_token(settings),
        timeout=settings.rasa_timeout,
        parallel=settings.rasa_parallel,
    )
    register_handlers(app)
    return app


def register_handlers(app: TiepdanApp) -> None:
    """Every handler, in the order PTB tries them."""
    # -3. Every update is counted for the metrics (bot.ops.metrics).
    # -2. A chat flooding the bot gets one slow-down notice; the excess goes no further.
    # -1. Edited messages are no new answers: a hint, nothing else.
    per_minute = app.bot_data.settings.chat_messages_per_minute
    app.add_handler(update_counter(), group=COUNTING_GROUP)
    app.add_handler(flood_guard(per_minute), group=FLOOD_GROUP)
    app.add_handler(edited_guard(), group=EDITED_GROUP)
    # 0. In groups, case commands and buttons only get a "write to me privately".
    app.add_handlers(group_guards())
    # 0b. Case conversations: mid-flow they own /start, /huy, typed answers and files.
    app.add_handler(complaint_conversation())
    app.add_handler(supplement_conversation())
    app.add_handler(rating_conversation())
    # 1. Commands.
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu_command))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("tracuu", tracuu))
    app.add_handler(CommandHandler("quyenriengtu", privacy_command))
    app.add_handler(CommandHandler(["huy", "cancel"], nothing_to_cancel))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    # 2. Buttons: feedback under answers; the menu, answers and suggestions.
    app.add_handler(CallbackQueryHandler(feedback_button, pattern=f"^{keyboards.FEEDBACK_PREFIX}"))
    app.add_handler(CallbackQueryHandler(menu_button, pattern=keyboards.MENU_PATTERN))
    app.add_handler(CallbackQueryHandler(answer_part, pattern=ANSWER_PART_PATTERN))
    # 2b. Privacy buttons; case buttons whose conversation has ended.
    app.add_handler(CallbackQueryHandler(privacy_button, pattern=f"^{PRIVACY_PREFIX}"))
    app.add_handler(CallbackQueryHandler(stale_case_button, pattern="^case:"))
    # 3. Free text goes to the NLU.
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, question))
    # 4. Anything else a citizen sends in a private chat gets a polite word.
    app.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & ~filters.StatusUpdate.ALL, unsupported)
    )
    # 5. After every update (a later group): write conversation state to the database now.
    app.add_handler(TypeHandler(object, persist_now), group=1)
    # 6. One error handler for all of them.
    app.add_error_handler(on_error)


async def _post_init(app: Any) -> None:
    """Register the command list shown by Telegram clients; start delivering the outbox,
    the daily purge and the staff digest."""
    commands = texts.COMMANDS + case_texts.COMMANDS
    await app.bot.set_my_commands([BotCommand(c, d) for c, d in commands])
    services: BotData = app.bot_data
    # The outbox job runs every few seconds: its scheduler's per-run lines are noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            outbox_job, interval=services.settings.outbox_interval, first=1.0, name="outbox"
        )
        app.job_queue.run_repeating(purge_job, interval=PURGE_INTERVAL, first=60.0, name="purge")
        # The morning digest to each unit's staff group (working days, DIGEST_HOUR local).
        schedule_digest(app.job_queue, digest_hour=services.settings.digest_hour)


async def _post_shutdown(app: Any) -> None:
    """Close long-lived clients."""
    services: BotData = app.bot_data
    await services.nlu.aclose()

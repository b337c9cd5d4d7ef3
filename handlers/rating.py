"""Rating a closed case 1–5 (buttons sent with the closing notice), then an optional comment."""

from __future__ import annotations

import warnings

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.cases.followup import comment_rating, rate_case
from bot.cases.notify import RATE_PREFIX
from bot.cases.validation import check_text
from bot.context import Context
from bot.digits import parse_digits
from bot.state.pending import CONVERSATIONS, RATING_KEY
from bot.texts import cases as texts
from handlers.complaint_ui import SKIP, ack, button, keyboard, parse_data, say
from handlers.pending import guard_conversation, let_go

COMMENTING = "rating_comment"
KEY = RATING_KEY
END = ConversationHandler.END


async def rate(update: Update, context: Context) -> str | int:
    """Store the rating the citizen pressed and offer to comment."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None and context.user_data is not None
    await ack(update)
    code, _, value = parse_data(query.data, RATE_PREFIX).rpartition(":")
    rating = parse_digits(value) or 0
    if not 1 <= rating <= 5:
        # A forged button: no such rating was ever offered.
        await say(update, context, texts.CHOOSE_AGAIN)
        return END
    stored = await context.services.db(
        lambda s: rate_case(session=s, code=code, chat_id=chat.id, rating=rating) is not None
    )
    if not stored:
        await say(update, context, texts.RATING_ALREADY)
        return END
    context.user_data[KEY] = code
    markup = keyboard([button(texts.BUTTON_SKIP, SKIP)])
    await say(update, context, texts.RATING_THANKS.format(rating=rating), markup)
    return COMMENTING


async def comment(update: Update, context: Context) -> str | int:
    """Keep the comment."""
    chat = update.effective_chat
    message = update.effective_message
    code = (context.user_data or {}).get(KEY)
    if chat is None or message is None or code is None:
        return END
    checked = check_text(message.text or "", max_len=2000)
    if checked.value is None:
        problem = checked.problem.value if checked.problem else "empty"
        await say(update, context, texts.PROBLEMS[problem].format(max_len=2000))
        return COMMENTING
    value = checked.value
    await context.services.db(
        lambda s: comment_rating(session=s, code=code, chat_id=chat.id, comment=value)
    )
    (context.user_data or {}).pop(KEY, None)
    await say(update, context, texts.RATING_COMMENT_THANKS)
    return END


async def skip(update: Update, context: Context) -> int:
    """No comment."""
    await ack(update)
    (context.user_data or {}).pop(KEY, None)
    await say(update, context, texts.RATING_COMMENT_THANKS)
    return END


def rating_conversation() -> ConversationHandler[Context]:
    """The persistent conversation behind the rating buttons."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CallbackQueryHandler(rate, pattern=rf"^{RATE_PREFIX}")],
            states={
                COMMENTING: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, comment),
                    CallbackQueryHandler(skip, pattern=rf"^{SKIP}$"),
                ]
            },
            fallbacks=[
                CommandHandler(["huy", "cancel"], skip),
                # Another case's stars while a comment is awaited: rate that one instead.
                CallbackQueryHandler(rate, pattern=rf"^{RATE_PREFIX}"),
            ],
            name=CONVERSATIONS[KEY],
            persistent=True,
        )
    return guard_conversation(conversation, KEY, let_go(KEY))

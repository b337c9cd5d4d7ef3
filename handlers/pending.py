"""Conversations that let go: a quiet one hands the citizen's next text to the questions.

Every callback of a case conversation is wrapped so that it stamps its pending input
(bot.state.pending) and, when free text arrives after `conversation_timeout_hours` of
silence or after the input was purged, answers that text as a question instead.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler

from bot.context import Context
from bot.state.pending import drop, is_quiet, touch
from handlers.question import question

Callback = Callable[[Update, Context], Coroutine[Any, Any, Any]]
END = ConversationHandler.END


def is_free_text(update: Update) -> bool:
    """A typed text that is not a command."""
    text = update.message.text if update.message is not None else None
    return bool(text) and not (text or "").startswith("/")


def guarded(key: str, callback: Callback, on_quiet: Callback) -> Callback:
    """`callback`, stamping `key` after it ran, or `on_quiet` for free text once the
    pending input `key` has been quiet too long or is gone."""

    async def run(update: Update, context: Context) -> Any:
        user_data = context.user_data
        if user_data is not None and is_free_text(update):
            hours = context.services.settings.conversation_timeout_hours
            if key not in user_data or is_quiet(user_data, key, timedelta(hours=hours)):
                return await on_quiet(update, context)
        result = await callback(update, context)
        if context.user_data is not None:
            touch(context.user_data, key)
        return result

    return run


def guard_conversation(
    conversation: ConversationHandler[Context], key: str, on_quiet: Callback
) -> ConversationHandler[Context]:
    """Wrap every callback of `conversation` with `guarded`."""
    handlers: list[BaseHandler[Update, Context, Any]] = [
        *conversation.entry_points,
        *conversation.fallbacks,
        *(h for state in conversation.states.values() for h in state),
    ]
    for handler in handlers:
        handler.callback = guarded(key, handler.callback, on_quiet)
    return conversation


def let_go(key: str) -> Callback:
    """On quiet: forget the pending input `key`, answer the text as a question, end."""

    async def run(update: Update, context: Context) -> int:
        if context.user_data is not None:
            drop(context.user_data, [key])
        await question(update, context)
        return END

    return run

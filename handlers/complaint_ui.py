"""Shared pieces of the case conversations: callback data, buttons, sending, the draft."""

from __future__ import annotations

import contextlib

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.cases.draft import DRAFT_KEY, Draft
from bot.context import Context
from bot.texts import cases as texts
from bot.texts.splitting import split_html

PREFIX = "case:"
START = "case:start"
RESUME = "case:resume"
DONE = "case:done"
SKIP = "case:skip"
CANCEL = "case:cancel"
EDIT = "case:edit"
BACK = "case:back"
CONFIRM_PREFIX = "case:confirm:"
# Conversation states besides the steps of bot.cases.draft.Step.
EDITING = "editing"
ABANDONING = "abandoning"

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def button(text: str, data: str) -> InlineKeyboardButton:
    """An inline button."""
    return InlineKeyboardButton(text, callback_data=data)


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    """An inline keyboard from rows of buttons."""
    return InlineKeyboardMarkup(list(rows))


def offer_markup() -> InlineKeyboardMarkup:
    """The button that starts the intake (for replies to the NLU's complaint intent)."""
    return keyboard([button(texts.BUTTON_START, START)])


def done_keyboard() -> InlineKeyboardMarkup:
    """The single "Xong" button that ends a multi-message answer."""
    return keyboard([button(texts.BUTTON_DONE, DONE)])


def current_draft(context: Context) -> Draft | None:
    """The draft being written in this chat, if any."""
    draft = context.user_data.get(DRAFT_KEY) if context.user_data is not None else None
    return draft if isinstance(draft, dict) else None


async def say(update: Update, context: Context, text: str, markup: Markup | None = None) -> None:
    """Send a new HTML message to the chat the update came from (in parts when it is
    too long for one; the buttons go with the last)."""
    chat = update.effective_chat
    if chat is None:
        return
    parts = split_html(text)
    for number, part in enumerate(parts, start=1):
        await context.bot.send_message(
            chat_id=chat.id,
            text=part,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if number == len(parts) else None,
        )


def parse_data(data: str | None, prefix: str) -> str:
    """The part of callback data after `prefix` ("" when it does not start with it)."""
    return data[len(prefix) :] if data and data.startswith(prefix) else ""


async def ack(update: Update) -> None:
    """Answer a button press; a redelivered or stale press may no longer be answerable."""
    if update.callback_query is None:
        return
    # "query is too old": the citizen already saw the spinner stop; go on with the work.
    with contextlib.suppress(TelegramError):
        await update.callback_query.answer()

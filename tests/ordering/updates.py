"""Minimal real PTB updates for the ordering tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, InlineQuery, Message, Update, User

_ids = itertools.count(1)


def text_update(chat_id: int, text: str = "x", user_id: int | None = None) -> Update:
    """A private (or group, for negative ids) text message of `chat_id`."""
    user = User(id=user_id or abs(chat_id), first_name="Lan", is_bot=False)
    chat = Chat(id=chat_id, type=Chat.PRIVATE if chat_id > 0 else Chat.GROUP)
    message = Message(
        message_id=next(_ids), date=datetime.now(UTC), chat=chat, from_user=user, text=text
    )
    return Update(update_id=next(_ids), message=message)


def callback_update(chat_id: int, message_id: int, data: str) -> Update:
    """A button press under message `message_id` of a private chat."""
    user = User(id=chat_id, first_name="Lan", is_bot=False)
    chat = Chat(id=chat_id, type=Chat.PRIVATE)
    message = Message(message_id=message_id, date=datetime.now(UTC), chat=chat)
    query = CallbackQuery(
        id=str(next(_ids)), from_user=user, chat_instance="c", message=message, data=data
    )
    return Update(update_id=next(_ids), callback_query=query)


def user_only_update(user_id: int) -> Update:
    """An update with a user and no chat (an inline query)."""
    user = User(id=user_id, first_name="Lan", is_bot=False)
    return Update(update_id=next(_ids), inline_query=InlineQuery(str(next(_ids)), user, "q", "0"))

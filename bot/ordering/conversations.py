"""One chat's conversation states re-read from the database before its update runs.

PTB loads the states of persistent ConversationHandlers once, at start, into a mapping
per handler, and looks an update's state up there (in `check_update`) before any
callback runs; it offers no public way to re-read them. When another process may have
moved a chat's conversation on, the chat guard (shared.py) reads the one key of each
persistent conversation that the update will use (`conversation_keys`) and `apply_states`
writes the stored state into that handler's mapping *untracked*: it is what the database already holds, nothing to write
back. Only those keys are touched; the rest of the mapping stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping
from typing import Any

from telegram import Update
from telegram.ext import Application, ConversationHandler
from telegram.ext._handlers.conversationhandler import PendingState
from telegram.ext._utils.trackingdict import TrackingDict
from telegram.ext._utils.types import ConversationKey

from bot.persistence import Key, conversation_state_key

Conversation = ConversationHandler[Any]
Wanted = tuple[Conversation, ConversationKey]


def persistent_conversations(app: Application[Any, Any, Any, Any, Any, Any]) -> list[Conversation]:
    """The application's persistent, named conversation handlers (any group)."""
    return [
        handler
        for group in app.handlers.values()
        for handler in group
        if isinstance(handler, ConversationHandler) and handler.persistent and handler.name
    ]


def conversation_key(handler: Conversation, update: Update) -> ConversationKey | None:
    """The key `handler` files `update` under (as PTB builds it), or None when the update
    lacks a part of it (no chat, no user, no callback message)."""
    key: list[int | str] = []
    if handler.per_chat:
        if update.effective_chat is None:
            return None
        key.append(update.effective_chat.id)
    if handler.per_user:
        if update.effective_user is None:
            return None
        key.append(update.effective_user.id)
    if handler.per_message:
        query = update.callback_query
        if query is None:
            return None
        if query.inline_message_id:
            key.append(query.inline_message_id)
        elif query.message is not None:
            key.append(query.message.message_id)
        else:
            return None
    return tuple(key)


def set_untracked(
    states: MutableMapping[ConversationKey, object], key: ConversationKey, state: object | None
) -> None:
    """Put the stored `state` (None: no conversation) of `key` into a handler's mapping
    without marking it for writing. A state still being computed by a non-blocking
    callback is left alone."""
    if isinstance(states.get(key), PendingState):
        return
    if isinstance(states, TrackingDict):
        if state is None:
            states.data.pop(key, None)
        else:
            states.update_no_track({key: state})
    elif state is None:
        states.pop(key, None)
    else:
        states[key] = state


def conversation_keys(handlers: Iterable[Conversation], update: Update) -> dict[Key, Wanted]:
    """Where each of `handlers` stores the state `update` will be looked up under."""
    wanted: dict[Key, Wanted] = {}
    for handler in handlers:
        key = conversation_key(handler, update)
        if key is not None and handler.name:
            wanted[conversation_state_key(handler.name, key)] = (handler, key)
    return wanted


def apply_states(wanted: Mapping[Key, Wanted], fresh: Mapping[Key, Any]) -> None:
    """Put the freshly read states (absent from `fresh`: leave as is) into the handlers."""
    for stored_at, state in fresh.items():
        if stored_at in wanted:
            handler, key = wanted[stored_at]
            set_untracked(_states(handler), key, None if state == handler.END else state)


def _states(handler: Conversation) -> MutableMapping[ConversationKey, object]:
    """The handler's state mapping (PTB keeps it private; the one place we reach it)."""
    return handler._conversations

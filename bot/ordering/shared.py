"""Several bot processes on one PostgreSQL database: each chat's state is shared safely.

Around every update of a chat (its turn in this process has come, see processor.py):
1. take the chat's lock in PostgreSQL, so no other process handles that chat meanwhile;
2. in the same round trip (turns.py), re-read the user's data and the chat's conversation
   states, so a step taken in the other process counts (PTB's own per-update
   `refresh_user_data` then has nothing to add), and whether another process has handled
   the update already (the ledger);
3. run the update;
4. write what it changed (per key, as always), then, in one round trip, record the update
   as handled and let the lock go.

With SQLite the bot runs as one process, and none of this is needed.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.db_outage import OUTAGES
from bot.ordering.conversations import apply_states, conversation_keys, persistent_conversations
from bot.ordering.pglock import ChatLocks
from bot.ordering.processor import ChatOrderedProcessor
from bot.ordering.turns import Turn
from bot.persistence import (
    REFRESHED_USER,
    DatabasePersistence,
    Key,
    replace_user_data,
    user_data_key,
)
from bot.settings import Settings

log = logging.getLogger(__name__)
App = Any  # a PTB Application (any context types)


def shares_state(settings: Settings) -> bool:
    """Whether this process shares conversation state with others: SHARED_STATE, or by
    default whenever the database is PostgreSQL."""
    if settings.shared_state is not None:
        return settings.shared_state
    return _is_postgres(settings.database_url)


def _is_postgres(database_url: str) -> bool:
    return make_url(database_url).get_backend_name() == "postgresql"


class SharedChatState:
    """The processor's guard in shared mode: lock, re-read, run, write, unlock."""

    def __init__(self, app: App, persistence: DatabasePersistence, locks: ChatLocks | None) -> None:
        self._app = app
        self._persistence = persistence
        self._locks = locks

    @contextlib.asynccontextmanager
    async def hold(self, chat: int, update: object) -> AsyncIterator[bool]:
        """Surround one update of `chat`; yields False for an update another process has
        handled already (a repeated webhook delivery)."""
        if not isinstance(update, Update):
            yield True
            return
        conversations = conversation_keys(persistent_conversations(self._app), update)
        user = update.effective_user
        keys = [*conversations, *([user_data_key(user.id)] if user else [])]
        turn_of = (
            self._locks.hold(chat, update.update_id, keys)
            if self._locks
            else contextlib.nullcontext()
        )
        async with turn_of as turn:
            fresh = await self._fresh(keys, turn)
            if fresh is not None:
                # Applied even to an update handled elsewhere: this process's copy is the
                # baseline of its next writes, so it must be the database's.
                apply_states(conversations, fresh)
                if user is not None and user_data_key(user.id) in fresh:
                    replace_user_data(self._app.user_data[user.id], fresh[user_data_key(user.id)])
            if turn is not None and turn.handled:
                yield False
                return
            refreshed = REFRESHED_USER.set(user.id if user and fresh is not None else None)
            try:
                yield True
            finally:
                REFRESHED_USER.reset(refreshed)
                # Written before the turn ends (the update recorded, the lock let go), so
                # the next holder reads this update's result.
                await self._app.update_persistence()

    async def _fresh(self, keys: list[Key], turn: Turn | None) -> dict[Key, Any] | None:
        """The database's values of `keys`: as read when the turn started, or (no lock
        held) read now in one query; None if the database cannot be read."""

        async def as_read(_: list[Key]) -> dict[Key, Any]:
            assert turn is not None
            return turn.values

        try:
            return await self._persistence.fresh_values(keys, as_read if turn else None)
        except (SQLAlchemyError, psycopg.Error) as error:
            # The update's own database work will meet the outage and tell the citizen.
            OUTAGES.failed("persistence", error)
            return None

    async def close(self) -> None:
        """Close the lock connection."""
        if self._locks is not None:
            await self._locks.close()


def share_chat_state(app: App) -> None:
    """Turn shared mode on for `app` when its settings ask for it (see `shares_state`):
    the persistence re-reads user data, and the chat-ordered processor gets the guard."""
    settings: Settings = app.bot_data.settings
    persistence = app.persistence
    processor = app.update_processor
    if not shares_state(settings) or not isinstance(persistence, DatabasePersistence):
        return
    if not isinstance(processor, ChatOrderedProcessor):
        raise TypeError("shared state needs the chat-ordered update processor")
    persistence.shared = True
    # Only PostgreSQL serves several processes; forced on SQLite, state is still re-read.
    locks = (
        ChatLocks(settings.database_url, wait=settings.chat_lock_wait)
        if _is_postgres(settings.database_url)
        else None
    )
    processor.guard = SharedChatState(app, persistence, locks)

"""Several bot processes on one PostgreSQL database: each chat's state is shared safely.

Around every update of a chat (its turn in this process has come, see processor.py):
1. take the chat's lock in PostgreSQL, so no other process handles that chat meanwhile;
2. re-read the user's data and the chat's conversation states, in one query on the
   connection holding the lock, so a step taken in the other process counts (PTB's own
   per-update `refresh_user_data` then has nothing to add);
3. run the update;
4. write what it changed (per key, as always) before letting the lock go.

With SQLite the bot runs as one process, and none of this is needed.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.db_outage import OUTAGES
from bot.ordering import ledger
from bot.ordering.conversations import apply_states, conversation_keys, persistent_conversations
from bot.ordering.pglock import ChatLocks, Connection
from bot.ordering.processor import ChatOrderedProcessor
from bot.persistence import (
    REFRESHED_USER,
    DatabasePersistence,
    replace_user_data,
    user_data_key,
)
from bot.settings import Settings
from bot.state import direct

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
        lock = self._locks.hold(chat) if self._locks else contextlib.nullcontext()
        async with lock as connection:
            update_id = update.update_id if isinstance(update, Update) else None
            if await self._handled(connection, update_id):
                yield False
                return
            user = await self._refresh(update, connection)
            refreshed = REFRESHED_USER.set(user)
            try:
                yield True
                # First thing once handled (its state is written already, by the handler
                # group after the others): the shorter the time between a reply and this
                # record, the smaller the chance that a kill makes a repeated delivery
                # reply twice.
                await self._record(connection, update_id)
            finally:
                REFRESHED_USER.reset(refreshed)
                # Written before the lock goes, so the next holder reads this update's result.
                await self._app.update_persistence()

    async def _handled(self, connection: Connection | None, update_id: int | None) -> bool:
        """Whether the ledger has `update_id` (False when it cannot be asked)."""
        if connection is None or update_id is None:
            return False
        try:
            return await ledger.handled(connection, update_id)
        except psycopg.Error as error:
            OUTAGES.failed("persistence", error)
            return False

    async def _record(self, connection: Connection | None, update_id: int | None) -> None:
        """Put `update_id` in the ledger, if the lock's connection is there to do it."""
        if connection is None or update_id is None or connection.closed:
            return
        try:
            await ledger.record(connection, update_id)
        except psycopg.Error as error:
            OUTAGES.failed("persistence", error)

    async def _refresh(self, update: object, connection: Connection | None) -> int | None:
        """Re-read, in one query, the user data and conversation states `update` will use;
        returns the user whose data is now fresh (None if nothing was read)."""
        if not isinstance(update, Update):
            return None
        conversations = conversation_keys(persistent_conversations(self._app), update)
        user = update.effective_user
        keys = [*conversations, *([user_data_key(user.id)] if user else [])]
        read = functools.partial(direct.load_keys, connection) if connection else None
        try:
            fresh = await self._persistence.fresh_values(keys, read)
        except (SQLAlchemyError, psycopg.Error) as error:
            # The update's own database work will meet the outage and tell the citizen.
            OUTAGES.failed("persistence", error)
            return None
        apply_states(conversations, fresh)
        if user is None:
            return None
        if user_data_key(user.id) in fresh:
            replace_user_data(self._app.user_data[user.id], fresh[user_data_key(user.id)])
        return user.id

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

"""A python-telegram-bot persistence in the database, so conversations survive restarts.

Only user_data and conversation states are stored (as JSON); bot_data holds live
services and is never persisted. Writes of unchanged values are skipped. A write the
database refuses (a restart, an outage) is kept and retried in the background, newest
value per key, so a draft is neither lost nor written out of order.

A handler whose own transaction changes the user's data (the question handler: the
message and the conversation's subject) can write it there (`user_data_writer`), saving
the update a second transaction; the persistence then finds the value unchanged.

Every write is per key. When several processes serve the bot (`shared`), a chat's user
data and conversation states are read again before each of its updates (under the chat's
lock, see bot/ordering), so a change another process made is seen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from bot.db_outage import OUTAGES
from bot.state import service as state
from bot.state.service import USER_DATA
from bot.state.service import conversation_namespace as _conversation

T = TypeVar("T")
CHAT_DATA = "chat_data"
log = logging.getLogger(__name__)
Key = tuple[str, str]
# Reads the stored values of some keys (absent: no row).
Reader = Callable[[list[Key]], Awaitable[dict[Key, Any]]]
# The user whose data the current update's chat guard has just re-read (bot/ordering).
REFRESHED_USER: ContextVar[int | None] = ContextVar("refreshed_user", default=None)

# How long the background retry of refused writes waits between attempts (seconds).
RETRY_DELAYS = (1.0, 2.0, 5.0, 10.0, 30.0)


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], Any]):
    """PTB persistence backed by the `bot_state` table."""

    def __init__(
        self, sessions: sessionmaker[Session], update_interval: float = 60, *, shared: bool = False
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._sessions = sessions
        # Other processes write the same table: re-read a user's data before each update.
        self.shared = shared
        self._written: dict[Key, str] = {}
        # Refused writes by key: the JSON to store, or None to remove the row.
        self._unsaved: dict[Key, str | None] = {}
        self._lock = asyncio.Lock()  # one write at a time, so a retry never overtakes
        self._retrying: asyncio.Task[None] | None = None

    async def _db(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self._sessions() as session, session.begin():
                return work(session)

        return await asyncio.to_thread(run)

    async def _write(self, key: Key, encoded: str | None) -> None:
        """Store (or remove, for None) one key; if the database refuses, keep it for later."""
        async with self._lock:
            await self._write_locked(key, encoded)

    async def _write_locked(self, key: Key, encoded: str | None) -> None:
        unchanged = encoded is not None and self._written.get(key) == encoded
        if unchanged and key not in self._unsaved:
            return
        try:
            await self._db(lambda s: _apply(s, key, encoded))
        except SQLAlchemyError as error:
            self._unsaved[key] = encoded
            OUTAGES.failed("persistence", error)
            self._retry_later()
            return
        self._unsaved.pop(key, None)
        if encoded is None:
            self._written.pop(key, None)
        else:
            self._written[key] = encoded

    async def _save(self, namespace: str, key: str, value: Any) -> None:
        await self._write((namespace, key), _encode(value))

    async def _remove(self, namespace: str, key: str) -> None:
        await self._write((namespace, key), None)

    def _retry_later(self) -> None:
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.get_running_loop().create_task(self._retry_unsaved())

    async def _retry_unsaved(self) -> None:
        """Write the refused values again, backing off, until the database takes them all."""
        attempt = 0
        while self._unsaved:
            await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
            attempt += 1
            await self._write_unsaved()
        OUTAGES.recovered("persistence")

    async def _write_unsaved(self) -> None:
        for key in list(self._unsaved):
            async with self._lock:
                # Read under the lock: a newer value may have been stored meanwhile.
                if key in self._unsaved:
                    await self._write_locked(key, self._unsaved[key])

    @property
    def unsaved(self) -> int:
        """How many values wait for the database (0 when everything is stored)."""
        return len(self._unsaved)

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        """Every user's data."""
        rows = await self._db(lambda s: state.load_namespace(session=s, namespace=USER_DATA))
        for key, value in rows.items():
            self._written[(USER_DATA, key)] = _encode(value)
        return {int(key): dict(value) for key, value in rows.items()}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        """Chat data is not stored."""
        return {}

    async def get_bot_data(self) -> Any:
        """bot_data holds live services: never stored (PTB keeps its own)."""
        raise NotImplementedError

    async def get_callback_data(self) -> CDCData | None:
        """Arbitrary callback data is not used."""
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        """The states of conversation handler `name`, by key."""
        rows = await self._db(
            lambda s: state.load_namespace(session=s, namespace=_conversation(name))
        )
        return {tuple(json.loads(key)): value for key, value in rows.items()}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """Store (or forget, when it ended) one conversation's state."""
        namespace, encoded_key = conversation_state_key(name, key)
        if new_state is None:
            await self._remove(namespace, encoded_key)
        else:
            await self._save(namespace, encoded_key, new_state)

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        """Store one user's data (skipped when unchanged)."""
        if not data and (USER_DATA, str(user_id)) not in self._written:
            return
        await self._save(USER_DATA, str(user_id), data)

    def user_data_writer(self, user_id: int) -> UserDataWriter | None:
        """A writer of `user_id`'s data into a caller's own transaction (the message and the
        state it leads to in one commit, one worker-thread hop); None when an older value
        of it still waits for the database (it is written through `update_user_data`)."""
        key = user_data_key(user_id)
        if key in self._unsaved:
            return None
        return UserDataWriter(self, key, self._written.get(key))

    def user_data_stored(self, writer: UserDataWriter) -> None:
        """Once the caller's transaction committed: what `writer` wrote is stored, so the
        update's `update_user_data` finds it unchanged and skips its own write."""
        if writer.written is not None:
            self._written[writer.key] = writer.written

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def update_bot_data(self, data: Any) -> None:
        """bot_data is not stored."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Arbitrary callback data is not used."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Chat data is not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Forget one user's data."""
        await self._remove(USER_DATA, str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        """When shared: replace `user_data` by what the database holds (PTB calls this once
        per update, before the first callback), unless the update's chat guard has just
        done so. Alone, this process is the only writer: nothing to do."""
        if not self.shared or REFRESHED_USER.get() == user_id:
            return
        key = user_data_key(user_id)
        try:
            fresh = await self.fresh_values([key])
        except SQLAlchemyError as error:
            # The update's own database work will meet the outage and say so.
            OUTAGES.failed("persistence", error)
            return
        if key in fresh:
            replace_user_data(user_data, fresh[key])

    async def fresh_values(self, keys: list[Key], read: Reader | None = None) -> dict[Key, Any]:
        """The database's values of `keys` (None where no row), read in one query by `read`
        (default: a session in a thread). A key whose newer value still waits to be written
        (the database refused it) is left out: this process's value is the right one. What
        is read becomes the baseline for skipping unchanged writes."""
        pending = {key for key in keys if key in self._unsaved}
        if read is None:
            rows = await self._db(lambda s: state.load_keys(session=s, keys=keys))
        else:
            rows = await read(keys)
        found: dict[Key, Any] = {}
        for key in keys:
            if key in pending or key in self._unsaved:
                continue
            value = rows.get(key)
            if value is None:
                self._written.pop(key, None)
            else:
                self._written[key] = _encode(value)
            found[key] = value
        return found

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        """Chat data is not stored."""

    async def refresh_bot_data(self, bot_data: Any) -> None:
        """bot_data is not stored."""

    async def flush(self) -> None:
        """At shutdown: one last try for the writes the database refused."""
        if self._retrying is not None:
            self._retrying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._retrying
        await self._write_unsaved()
        if self._unsaved:
            log.error("%d conversation state(s) could not be saved", len(self._unsaved))


class UserDataWriter:
    """Writes one user's data in a transaction the caller owns (in its worker thread); the
    persistence learns of it (`committed`) only once that transaction committed."""

    def __init__(self, persistence: DatabasePersistence, key: Key, stored: str | None) -> None:
        self._persistence = persistence
        self.key = key
        self._stored = stored
        self.written: str | None = None

    def write(self, session: Session, data: dict[Any, Any]) -> None:
        """Store `data` in `session`'s transaction unless it is what is stored already."""
        if not data and self._stored is None:
            return  # like `update_user_data`: no row for a user with nothing to keep
        encoded = _encode(data)
        if encoded != self._stored:
            _apply(session, self.key, encoded)
            self.written = encoded

    def committed(self) -> None:
        """The caller's transaction committed: tell the persistence (back in the event loop)."""
        self._persistence.user_data_stored(self)


def _apply(session: Session, key: Key, encoded: str | None) -> None:
    namespace, name = key
    if encoded is None:
        state.remove(session=session, namespace=namespace, key=name)
    else:
        state.save(session=session, namespace=namespace, key=name, value=json.loads(encoded))


def _encode(value: Any) -> str:
    """A value as stored (and compared to skip unchanged writes)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def user_data_key(user_id: int) -> Key:
    """Where a user's data is stored."""
    return (USER_DATA, str(user_id))


def conversation_state_key(name: str, key: ConversationKey) -> Key:
    """Where conversation `name` stores the state of `key` ("[chat_id, user_id]")."""
    return (_conversation(name), json.dumps(list(key)))


def replace_user_data(user_data: dict[Any, Any], stored: dict[Any, Any] | None) -> None:
    """Make `user_data` (the dict PTB hands to callbacks) what was stored (None: nothing)."""
    user_data.clear()
    user_data.update(stored or {})

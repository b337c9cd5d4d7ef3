"""A per-chat lock shared by every bot process on one PostgreSQL database, taken and let go
together with the reads and the record of the chat's turn (turns.py).

Session-level advisory locks, all held on one dedicated connection of this process (a
session may hold any number of them), so locking costs no connection of the pool however
many chats are busy. Taking a chat's lock is `pg_try_advisory_lock` (in
`tiepdan_turn_start`), tried again after a short sleep while another process holds it
(both received updates of one chat at the same moment, which is rare), so the shared
connection never waits in the server.

If the connection is lost, PostgreSQL releases its locks; updates then run without the
lock (the outage is logged once) and the next one connects again. An update that waits
longer than `wait` seconds for a chat runs anyway: a live process holds a chat only for
one update, so a lock held that long is a hung process, and the citizen should not wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator, Collection

import psycopg
from sqlalchemy import make_url

from bot.db_outage import OUTAGES
from bot.ordering import turns
from bot.ordering.turns import Connection, Turn
from bot.persistence import Key

log = logging.getLogger(__name__)

WHO = "chat locks"
# Sleeps between attempts on a chat another process holds (seconds, the last repeats).
BACKOFF = (0.002, 0.005, 0.01, 0.02, 0.05)


def lock_id(chat: int) -> int:
    """The advisory lock key of a chat: a signed 64-bit hash in a namespace of its own, so
    other advisory locks of the application (small integers, other hashes) never collide."""
    digest = hashlib.blake2b(f"tiepdan:chat:{chat}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def conninfo(database_url: str) -> str:
    """A libpq connection string from the application's SQLAlchemy URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


class ChatLocks:
    """Advisory locks per chat on one dedicated connection (opened on first use)."""

    def __init__(self, database_url: str, *, wait: float = 30.0) -> None:
        self._conninfo = conninfo(database_url)
        self._wait = wait
        self._connection: Connection | None = None
        self._connecting = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def hold(
        self, chat: int, update_id: int | None = None, keys: Collection[Key] = ()
    ) -> AsyncIterator[Turn | None]:
        """Hold `chat`'s lock for the block; yields the turn's start (whether `update_id` is
        handled already, and the stored `keys`, read once the lock is held), or None when
        not held (the database could not be reached, or another process held the chat past
        the wait). A block that ends without an error records `update_id` as handled."""
        key = lock_id(chat)
        connection, turn = await self._acquire(key, update_id, keys)
        completed = False
        try:
            yield turn
            completed = True
        finally:
            if connection is not None:
                record = update_id if completed and turn is not None and not turn.handled else None
                await self._release(connection, key, record)

    async def _acquire(
        self, key: int, update_id: int | None, keys: Collection[Key]
    ) -> tuple[Connection | None, Turn | None]:
        deadline = time.monotonic() + self._wait
        attempt = 0
        while True:
            try:
                connection = await self._connect()
                turn = await turns.start(connection, key, update_id, keys)
                if turn is not None:
                    OUTAGES.recovered(WHO)
                    return connection, turn
            except psycopg.Error as error:
                OUTAGES.failed(WHO, error)
                await self._drop()
                return None, None
            if time.monotonic() >= deadline:
                log.warning(
                    "An update waited %.0f s for its chat, held by another process; "
                    "running it anyway",
                    self._wait,
                )
                return None, None
            await asyncio.sleep(BACKOFF[min(attempt, len(BACKOFF) - 1)])
            attempt += 1

    async def _release(self, connection: Connection, key: int, record: int | None) -> None:
        if connection is not self._connection or connection.closed:
            return  # that session is gone, and its locks with it
        try:
            await turns.end(connection, key, record)
        except psycopg.Error as error:
            OUTAGES.failed(WHO, error)
            await self._drop()

    async def _connect(self) -> Connection:
        async with self._connecting:
            if self._connection is None or self._connection.closed:
                self._connection = await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True, connect_timeout=5
                )
            return self._connection

    async def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(psycopg.Error):
                await connection.close()

    async def close(self) -> None:
        """Close the connection (its locks go with it)."""
        await self._drop()

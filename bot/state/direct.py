"""Reading a few `bot_state` rows on a raw PostgreSQL connection (psycopg, async).

The per-update re-read of a chat's state (bot/ordering) runs on the connection that
already holds the chat's lock: one round trip in the event loop, instead of a session in
a worker thread (pool check-out, ping, BEGIN, SELECT, ROLLBACK). Same result as
`service.load_keys`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import psycopg

SELECT_KEYS = (
    "SELECT namespace, key, value FROM bot_state "
    "WHERE (namespace, key) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"
)


async def load_keys(
    connection: psycopg.AsyncConnection[Any], keys: Collection[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """The stored value of each (namespace, key) that has one."""
    if not keys:
        return {}
    namespaces, names = [k[0] for k in keys], [k[1] for k in keys]
    cursor = await connection.execute(SELECT_KEYS, (namespaces, names))
    return {(namespace, key): value for namespace, key, value in await cursor.fetchall()}

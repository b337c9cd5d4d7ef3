"""A chat's turn in shared mode, on the chat lock's PostgreSQL connection (psycopg, async):
one round trip to start it and one to end it, through the functions of migration 0013.

- Start: take the chat's advisory lock, then read whether some process has handled the
  update already (the ledger, bot/ordering/ledger.py) and the chat's stored state the update
  will use (`bot_state`; the same values as `bot.state.service.load_keys`). Both reads come
  after the lock, so they see what the previous holder wrote before letting it go.
- End: record the update as handled, commit, and let the lock go.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import psycopg

from bot.persistence import Key

Connection = psycopg.AsyncConnection[Any]

START = (
    "SELECT mark, state_namespace, state_key, state_value "
    "FROM tiepdan_turn_start(%s::bigint, %s::bigint, %s::text[], %s::text[])"
)
END = "CALL tiepdan_turn_end(%s::bigint, %s::bigint)"


@dataclass(frozen=True)
class Turn:
    """What the database says as an update's turn starts."""

    handled: bool  # the ledger has the update
    values: dict[Key, Any]  # the stored value of each asked key that has one


async def start(
    connection: Connection, lock_key: int, update_id: int | None, keys: Collection[Key]
) -> Turn | None:
    """Take the lock `lock_key` and read the turn's start; None while another session holds
    the lock. `update_id` None is never handled."""
    namespaces, names = [k[0] for k in keys], [k[1] for k in keys]
    cursor = await connection.execute(START, (lock_key, update_id, namespaces, names))
    handled, values = False, {}
    for mark, namespace, key, value in await cursor.fetchall():
        if mark == "busy":
            return None
        if mark == "handled":
            handled = True
        else:
            values[(namespace, key)] = value
    return Turn(handled, values)


async def end(connection: Connection, lock_key: int, handled_update: int | None) -> None:
    """Record `handled_update` (unless None) as handled, then let the lock go."""
    await connection.execute(END, (lock_key, handled_update))

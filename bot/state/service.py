"""Reading and writing persisted bot state (plain functions; the PTB adapter sits on top)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from bot.state.models import StoredState

USER_DATA = "user_data"
_TABLE = cast(Table, StoredState.__table__)


def conversation_namespace(name: str) -> str:
    """The namespace holding the states of conversation handler `name`."""
    return f"conversation:{name}"


def load_namespace(*, session: Session, namespace: str) -> dict[str, Any]:
    """Every key → value stored in `namespace`."""
    rows = session.scalars(select(StoredState).where(StoredState.namespace == namespace))
    return {row.key: row.value for row in rows}


def load_keys(*, session: Session, keys: Collection[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    """The stored value of each (namespace, key) that has one."""
    if not keys:
        return {}
    rows = session.execute(
        select(StoredState.namespace, StoredState.key, StoredState.value).where(
            tuple_(StoredState.namespace, StoredState.key).in_(list(keys))
        )
    )
    return {(namespace, key): value for namespace, key, value in rows}


def save(*, session: Session, namespace: str, key: str, value: Any) -> None:
    """Insert or replace one value (Core statements, an update first: this runs after most
    updates, and a stored value is more often rewritten than new)."""
    where = (_TABLE.c.namespace == namespace) & (_TABLE.c.key == key)
    updated = session.execute(update(_TABLE).where(where).values(value=value))
    if cast(CursorResult[Any], updated).rowcount == 0:
        session.execute(insert(_TABLE).values(namespace=namespace, key=key, value=value))


def remove(*, session: Session, namespace: str, key: str) -> None:
    """Forget one value."""
    session.execute(
        delete(StoredState).where(StoredState.namespace == namespace, StoredState.key == key)
    )

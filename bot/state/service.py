"""Reading and writing persisted bot state (plain functions; the PTB adapter sits on top)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import delete, select, tuple_
from sqlalchemy.orm import Session

from bot.state.models import StoredState

USER_DATA = "user_data"


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
    """Insert or replace one value."""
    row = session.get(StoredState, (namespace, key))
    if row is None:
        session.add(StoredState(namespace=namespace, key=key, value=value))
    else:
        row.value = value
    session.flush()


def remove(*, session: Session, namespace: str, key: str) -> None:
    """Forget one value."""
    session.execute(
        delete(StoredState).where(StoredState.namespace == namespace, StoredState.key == key)
    )

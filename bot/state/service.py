"""Reading and writing persisted bot state (plain functions; the PTB adapter sits on top)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
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

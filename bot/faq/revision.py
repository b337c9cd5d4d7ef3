"""The knowledge revision: a counter bumped in the same transaction as any change to the
tables the bot answers from, so that every process can tell that its snapshot of them
(bot/faq/knowledge_cache.py) is out of date.

The bump is general, not per call site: Session events see ORM changes to those tables
(new, changed or deleted rows at flush) and ORM-enabled bulk `insert()`/`update()`/
`delete()` statements on them. Raw SQL text run through a session is not seen: write
knowledge through the ORM. Any process importing the FAQ models has the events on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import Connection, Engine, Integer, Table, event, insert, select, update
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    mapped_column,
)

from bot.db import Base

# What the answering path reads (bot/faq/knowledge.py; the examples for
# bot/answering/subject.py).
KNOWLEDGE_TABLES = frozenset({"faq_answers", "faq_examples", "faq_topics", "units"})
_ROW = 1
# session.info keys: the transaction changed knowledge (and bumped the revision); the
# snapshot of its uncommitted knowledge, once built (bot/faq/knowledge_cache.py).
CHANGED = "tiepdan.knowledge_changed"
PRIVATE = "tiepdan.knowledge_private"


class KnowledgeRevision(Base):
    """One row: how many times the knowledge tables have been changed."""

    __tablename__ = "knowledge_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)


_TABLE = cast(Table, KnowledgeRevision.__table__)
# A schema built from the models (not the migrations) starts with the row too.
event.listen(
    _TABLE,
    "after_create",
    lambda target, connection, **kw: connection.execute(insert(_TABLE).values(id=_ROW, revision=0)),
)


def read_revision(session: Session) -> int:
    """The committed revision (as this transaction sees it); 0 when the row is missing."""
    return session.execute(select(_TABLE.c.revision).where(_TABLE.c.id == _ROW)).scalar() or 0


def changed_in(session: Session) -> bool:
    """True when `session`'s transaction holds knowledge changes not yet committed (flushed,
    or pending: those are flushed now, as a query would)."""
    if any(_is_knowledge(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.flush()
    return bool(session.info.get(CHANGED))


_on_commit: list[Callable[[Engine], None]] = []


def on_commit(callback: Callable[[Engine], None]) -> None:
    """Call `callback(engine)` after each commit that changed knowledge on `engine`."""
    _on_commit.append(callback)


def engine_of(session: Session) -> Engine:
    """The engine `session` works on."""
    bind = session.get_bind()
    return bind.engine if isinstance(bind, Connection) else bind


def _is_knowledge(obj: object) -> bool:
    return getattr(obj, "__tablename__", None) in KNOWLEDGE_TABLES


def _bump(session: Session) -> None:
    """Count one more change (on the session's connection: no ORM events, no autoflush)."""
    connection = session.connection()
    bumped = connection.execute(
        update(_TABLE).where(_TABLE.c.id == _ROW).values(revision=_TABLE.c.revision + 1)
    )
    if not bumped.rowcount:
        connection.execute(insert(_TABLE).values(id=_ROW, revision=1))
    session.info[CHANGED] = True
    session.info.pop(PRIVATE, None)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    if any(_is_knowledge(obj) for obj in (*session.new, *session.dirty, *session.deleted)):
        _bump(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in KNOWLEDGE_TABLES:
            _bump(state.session)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(CHANGED, False):
        for callback in _on_commit:
            callback(engine_of(session))


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # committed (after `_after_commit`) or rolled back
        session.info.pop(CHANGED, None)
        session.info.pop(PRIVATE, None)

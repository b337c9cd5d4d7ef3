"""After an erasure has committed: delete the files it freed and leave no deleted bytes
behind in the database files.

SQLite: `secure_delete` (bot.db) overwrites deleted rows with zeros, but the WAL still
holds the pages as they were before; a TRUNCATE checkpoint copies the new pages into the
database and empties the WAL. PostgreSQL: the deleted rows are invisible at once; a plain
VACUUM of the touched tables frees their dead row versions and index entries for reuse
(it does not overwrite them on disk, nor rewrite WAL segments or backups already made).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.files import attachments_dir
from bot.cases.models import Attachment, Case, CaseEvent
from bot.faq.models import AnswerFeedback
from bot.messages.models import InboundMessage
from bot.outbox.models import OutboxMessage
from bot.retention.service import unreferenced_files
from bot.state.models import StoredState

log = logging.getLogger(__name__)

# The tables an erasure or the retention job changes.
TOUCHED = tuple(
    str(model.__tablename__)
    for model in (
        Case,
        CaseEvent,
        Attachment,
        OutboxMessage,
        StoredState,
        InboundMessage,
        AnswerFeedback,
    )
)


def scrub(sessions: sessionmaker[Session], *, var_dir: Path, files: Iterable[str]) -> int:
    """Delete the files among `files` nothing refers to any more, then compact the
    database; returns how many files were deleted."""
    wanted = set(files)
    removed = 0
    if wanted and attachments_dir(var_dir).is_dir():
        with sessions() as session:
            for path in unreferenced_files(session=session, var_dir=var_dir):
                if path.name in wanted:
                    path.unlink(missing_ok=True)
                    removed += 1
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    compact(engine)
    return removed


def compact(engine: Engine) -> None:
    """Make deleted rows unrecoverable from the database files as far as the engine can."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            busy, _, _ = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
        if busy:  # a reader elsewhere holds the WAL; the next checkpoint gets it
            log.warning("WAL checkpoint after an erasure was blocked by a reader")
    elif engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in TOUCHED:
                conn.execute(text(f'VACUUM "{table}"'))

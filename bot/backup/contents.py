"""What a database snapshot holds: its schema revision, the register's row counts and the
attachment files it refers to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.orm import Session

from bot import migrate
from bot.backup.errors import BackupError
from bot.backup.manifest import Counts
from bot.cases.files import attachments_dir
from bot.cases.models import Attachment, Case, CaseEvent
from bot.retention.service import unreferenced_files


@dataclass(frozen=True)
class Contents:
    """A snapshot's revision, counts, the files its cases need and those its drafts use."""

    revision: str
    counts: Counts
    required: frozenset[str]  # SHA-256 of every case attachment row
    drafts: frozenset[str]  # files present now that persisted drafts refer to


def read_contents(session: Session, var_dir: Path) -> Contents:
    """Read a snapshot (a session that sees exactly the backed-up state)."""
    revision = schema_revision(session.connection())
    if revision is None:
        raise BackupError("the database has no tiepdan schema: nothing to back up")
    required = frozenset(session.scalars(select(Attachment.sha256).distinct()))
    folder = attachments_dir(var_dir)
    present = {p.name for p in folder.iterdir() if p.is_file()} if folder.is_dir() else set()
    unreferenced = {p.name for p in unreferenced_files(session=session, var_dir=var_dir)}
    return Contents(
        revision=revision,
        counts=count_rows(session.connection()),
        required=required,
        drafts=frozenset(present - unreferenced - required),
    )


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    return MigrationContext.configure(connection).get_current_revision()


def count_rows(connection: Connection) -> Counts:
    """Cases, attachments and events (zero each when the tables do not exist yet)."""
    if not inspect(connection).has_table(Case.__tablename__):
        return Counts(cases=0, attachments=0, events=0)

    def count(table: type[Case] | type[Attachment] | type[CaseEvent]) -> int:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)

    return Counts(cases=count(Case), attachments=count(Attachment), events=count(CaseEvent))


def known_revisions(database_url: str) -> tuple[set[str], str | None]:
    """Every revision this code's migrations know, and the head."""
    script = ScriptDirectory.from_config(migrate.alembic_config(database_url))
    return {s.revision for s in script.walk_revisions()}, script.get_current_head()

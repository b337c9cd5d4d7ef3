"""`tiepdan backup DIR` and `tiepdan restore DIR`: the database and the attachment files
together, consistent while the bot runs; restored only from a verified backup."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import migrate
from bot.backup import attachments, manifest, postgres, sqlite
from bot.backup.contents import (
    Contents,
    count_rows,
    known_revisions,
    read_contents,
    schema_revision,
)
from bot.backup.errors import BackupError
from bot.backup.manifest import Counts, Manifest
from bot.backup.private import private_dir
from bot.cases.files import attachments_dir

SQLITE, POSTGRESQL = "sqlite", "postgresql"


@dataclass(frozen=True)
class Restored:
    """What a restore put in place."""

    manifest: Manifest
    counts: Counts
    files: int
    bytes: int
    migrated_to: str | None  # the head revision, when the backup was older


def backup(*, database_url: str, var_dir: Path, directory: Path) -> Manifest:
    """Back up the database at `database_url` and the attachments under `var_dir` into
    the new or empty folder `directory`. Missing attachment files do not stop the backup:
    they are listed in the manifest's `missing` (the caller must say so loudly)."""
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} is not an empty folder: choose a new one")
    private_dir(directory)
    created_at = datetime.now(UTC)
    dialect = _dialect(database_url)
    if dialect == SQLITE:
        database = manifest.SQLITE_FILE
        contents = _sqlite_snapshot(database_url, directory / database, var_dir)
    else:
        database = manifest.POSTGRES_FILE
        contents = _postgres_snapshot(database_url, directory / database, var_dir)
    # After the snapshot: every file it refers to exists already (files are written first).
    files, missing = attachments.collect(
        attachments_dir(var_dir), directory, contents.required | contents.drafts
    )
    result = Manifest(
        created_at=created_at,
        dialect=dialect,
        revision=contents.revision,
        database=database,
        counts=contents.counts,
        files=[manifest.entry(directory, database), *files],
        missing=sorted(set(missing) & contents.required),
    )
    manifest.write(directory, result)
    return result


def restore(*, database_url: str, var_dir: Path, directory: Path, force: bool = False) -> Restored:
    """Restore the backup in `directory` into `database_url` and `var_dir`, once every file
    matches the manifest; refuses a database that holds cases unless `force`."""
    found = manifest.read(directory)
    damaged = manifest.problems(directory, found)
    if damaged:
        raise BackupError("the backup is damaged, nothing was restored:\n  " + "\n  ".join(damaged))
    dialect = _dialect(database_url)
    if found.dialect != dialect:
        raise BackupError(f"the backup is of a {found.dialect} database, DATABASE_URL is {dialect}")
    revisions, head = known_revisions(database_url)
    if found.revision not in revisions:
        raise BackupError(
            f"the backup's schema revision {found.revision} is unknown to this tiepdan: "
            "restore it with the version that made it"
        )
    _check_target(database_url, force=force, revision=found.revision)
    # Files first: once the database is back, every file it refers to is in place.
    files, size = attachments.put_back(directory, found.files, attachments_dir(var_dir))
    source = directory / found.database
    if dialect == SQLITE:
        sqlite.restore(source, sqlite.database_path(database_url))
    else:
        postgres.restore(database_url, source)
    with _connected(database_url) as connection:
        counts = count_rows(connection)
    if counts != found.counts:
        raise BackupError(f"restored {counts}, but the manifest says {found.counts}")
    migrated_to = None
    if found.revision != head:
        migrate.upgrade(database_url)
        migrated_to = head
    return Restored(manifest=found, counts=counts, files=files, bytes=size, migrated_to=migrated_to)


def _dialect(database_url: str) -> str:
    name = make_url(database_url).get_backend_name()
    if name not in (SQLITE, POSTGRESQL):
        raise BackupError(f"backup supports SQLite and PostgreSQL, not {name}")
    return name


def _sqlite_snapshot(database_url: str, target: Path, var_dir: Path) -> Contents:
    sqlite.snapshot(sqlite.database_path(database_url), target)
    with _connected(f"sqlite:///{target}") as connection, Session(bind=connection) as session:
        return read_contents(session, var_dir)


def _postgres_snapshot(database_url: str, target: Path, var_dir: Path) -> Contents:
    """pg_dump and the reading of the contents share one exported snapshot."""
    with _connected(database_url, isolation_level="REPEATABLE READ") as connection:
        snapshot_id = postgres.export_snapshot(connection)
        postgres.dump(database_url, target, snapshot_id)
        with Session(bind=connection) as session:
            return read_contents(session, var_dir)


def _check_target(database_url: str, *, force: bool, revision: str) -> None:
    """Refuse a database in use, one that holds cases (unless `force`), and a PostgreSQL
    database with another schema revision than the backup's (pg_restore --clean drops
    only what the dump holds: tables of a newer schema would stay and break migrating)."""
    if make_url(database_url).get_backend_name() == SQLITE:
        path = sqlite.database_path(database_url)
        if sqlite.in_use(path):
            raise BackupError(
                f"{path} is open in another process: stop the bot and the console first"
            )
        if not path.exists():
            return
    with _connected(database_url) as connection:
        if _dialect(database_url) == POSTGRESQL:
            if postgres.other_sessions(connection):
                raise BackupError(
                    "other sessions are connected to the database: "
                    "stop the bot and the console first"
                )
            current = schema_revision(connection)
            if current not in (None, revision):
                raise BackupError(
                    f"the database has schema revision {current}, the backup {revision}: "
                    "restore into a new, empty database (createdb)"
                )
        cases = count_rows(connection).cases
    if cases and not force:
        raise BackupError(
            f"the database already holds {cases} case(s): restore into an empty database, "
            "or add --force to replace them"
        )


@contextmanager
def _connected(database_url: str, *, isolation_level: str | None = None) -> Iterator[Connection]:
    """One connection on a private engine, disposed afterwards (no pool left behind)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            if isolation_level:
                connection.execution_options(isolation_level=isolation_level)
            yield connection
    except OperationalError as exc:  # the driver's message names host and user, no password
        raise BackupError(f"cannot use the database: {exc.orig}") from None
    finally:
        engine.dispose()

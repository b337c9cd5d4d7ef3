"""Database engine, sessions and the declarative base every model derives from."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

# Stable constraint names so Alembic migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of all tiepdan models."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(url: str) -> Engine:
    """An engine for `url` (bound values hidden from error messages); SQLite files get
    their folder created, owner-only permissions and sane pragmas."""
    path = sqlite_path(url)
    if path is not None:
        create_private(path)
    # Bound parameters carry citizens' personal data: keep them out of errors and logs.
    # A server connection may have died since its last use (a restart, a failover): check it
    # when it leaves the pool. A SQLite file has no connection to lose, and the check would
    # cost every transaction a query.
    pre_ping = make_url(url).get_backend_name() != "sqlite"
    engine = create_engine(url, pool_pre_ping=pre_ping, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory ones)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def create_private(path: Path) -> None:
    """Create the SQLite file readable by its owner only (0600), or make it so.

    SQLite gives the -wal and -shm files it creates next to the database the
    database file's permissions (whatever the umask), so they are 0600 too.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    # Files left from before this rule (e.g. 0644): tighten them.
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with suppress(FileNotFoundError):
            info = file.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                file.chmod(0o600)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Turn on foreign keys and WAL so the bot and the console can share the file, and
    secure_delete so deleted personal data is overwritten instead of left in free pages."""
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker[Session]:
    """One session factory (and engine) per database URL in this process."""
    return sessionmaker(bind=make_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()

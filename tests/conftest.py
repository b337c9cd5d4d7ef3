"""Shared fixtures: a migrated database on SQLite and, when it answers, PostgreSQL."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from bot import migrate
from bot.db import session_factory
from bot.units.service import import_units, read_units_file

POSTGRES_ADMIN_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except OperationalError:
        return False


POSTGRES = _postgres_available()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once per test run; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgres() -> Iterator[str]:
    """A PostgreSQL database migrated once per test run, the template of each test's."""
    if not POSTGRES:
        yield ""
        return
    name = f"tiepdan_template_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        migrate.upgrade(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
        yield name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A freshly migrated database: a SQLite file, or a new PostgreSQL database (copies of
    a database migrated once, so each test starts from the same, fully migrated schema)."""
    with fresh_database(request, tmp_path / "test.db", postgres=request.param == "postgres") as url:
        yield url


@contextmanager
def fresh_database(request: pytest.FixtureRequest, path: Path, *, postgres: bool) -> Iterator[str]:
    """A copy of the migrated template: the SQLite file `path`, or a new PostgreSQL
    database (dropped afterwards). Also for a test that needs a second database."""
    if not postgres:
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        yield f"sqlite:///{path}"
        return
    if not POSTGRES:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432")
    template = request.getfixturevalue("migrated_postgres")
    name = f"tiepdan_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        session_factory(url).kw["bind"].dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def session(db_url: str) -> Iterator[Session]:
    """A session on the migrated test database, rolled back at the end."""
    with session_factory(db_url)() as session:
        yield session
        session.rollback()


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    """A session on a database with the five units; committed work is visible to others."""
    with session_factory(db_url)() as session:
        import_units(session=session, rows=read_units_file())
        session.commit()
        yield session
        session.rollback()


@pytest.fixture(scope="session", autouse=True)
def _one_argon2_hash_per_password() -> Iterator[None]:
    """Hash each test password once: Argon2 is slow on purpose, and tests create many
    accounts with the same password (verification still runs the real Argon2)."""
    from functools import lru_cache

    from bot.staff import service

    cached = lru_cache(maxsize=32)(service.hash_password)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(service, "hash_password", cached)
        yield

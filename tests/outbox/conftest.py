"""A migrated database (SQLite and PostgreSQL) with the units loaded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from bot.db import session_factory
from bot.units.service import import_units, read_units_file


@pytest.fixture
def db(db_url: str) -> Iterator[Session]:
    """A session on a database with the five units; committed work is visible to others."""
    with session_factory(db_url)() as session:
        import_units(session=session, rows=read_units_file())
        session.commit()
        yield session
        session.rollback()

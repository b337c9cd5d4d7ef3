"""Fixtures of the FAQ tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.db import session_factory
from tests.conftest import fresh_database
from tests.faq.knowledge import add_knowledge


@pytest.fixture
def knowledge(session: Session) -> Session:
    """A session on a database with the topics and two answers."""
    add_knowledge(session)
    return session


@pytest.fixture
def fresh(db_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Session]:
    """A second, freshly migrated database of the same kind as `db_url`."""
    postgres = db_url.startswith("postgresql")
    with (
        fresh_database(request, tmp_path / "fresh.db", postgres=postgres) as url,
        session_factory(url)() as session,
    ):
        yield session

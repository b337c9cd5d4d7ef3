"""Fixtures of the FAQ tests."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.faq.knowledge import add_knowledge


@pytest.fixture
def knowledge(session: Session) -> Session:
    """A session on a database with the topics and two answers."""
    add_knowledge(session)
    return session

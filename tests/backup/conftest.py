"""A populated source (database and attachments folder) and an empty restore target."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.state.service import USER_DATA, save
from tests.backup.helpers import DRAFT_PHOTO, ORPHAN, PDF, PNG, Source, add_cases, attach
from tests.conftest import fresh_database


@pytest.fixture
def source(db: Session, db_url: str, tmp_path: Path) -> Source:
    """Two cases (three attachment rows, two files), a draft's file and an orphan file."""
    var_dir = tmp_path / "var"
    add_cases(db, var_dir, 7001, PNG, PDF)
    add_cases(db, var_dir, 7002, PNG)  # the same bytes: one file, two rows
    draft_file = attach(var_dir, DRAFT_PHOTO, "nháp.jpg")
    save(
        session=db, namespace=USER_DATA, key="7003", value={"draft": {"files": [draft_file.sha256]}}
    )
    db.commit()
    orphan = attach(var_dir, ORPHAN, "orphan")
    return Source(
        url=db_url, var_dir=var_dir, draft_file=draft_file.sha256, orphan_file=orphan.sha256
    )


@pytest.fixture
def target_url(request: pytest.FixtureRequest, db_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of the source's kind."""
    postgres = db_url.startswith("postgresql")
    with fresh_database(request, tmp_path / "target.db", postgres=postgres) as url:
        yield url

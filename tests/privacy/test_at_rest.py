"""The SQLite database and its -wal and -shm files are readable by their owner only."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.db import make_engine


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """A umask that would leave new files world-readable (0644)."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def modes(path: Path) -> dict[str, int]:
    return {
        suffix or "db": path.with_name(path.name + suffix).stat().st_mode & 0o777
        for suffix in ("", "-wal", "-shm")
    }


def write_something(path: Path) -> None:
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE IF NOT EXISTS t (x TEXT)"))
        conn.execute(text("INSERT INTO t VALUES ('0968123457')"))
    with engine.connect() as conn:  # the WAL and SHM exist while a connection is open
        assert conn.execute(text("SELECT count(*) FROM t")).scalar_one() >= 1
        assert modes(path) == {"db": 0o600, "-wal": 0o600, "-shm": 0o600}
    engine.dispose()


def test_a_new_database_is_private(tmp_path: Path, lax_umask: None) -> None:
    write_something(tmp_path / "var" / "new.db")


def test_an_older_world_readable_database_is_made_private(tmp_path: Path, lax_umask: None) -> None:
    path = tmp_path / "old.db"
    path.touch(mode=0o644)  # as SQLite itself creates it under this umask
    assert path.stat().st_mode & 0o777 == 0o644
    write_something(path)

"""Restore refuses a database another process uses; PostgreSQL passwords stay secret."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.backup import postgres
from bot.backup.errors import BackupError
from bot.backup.service import backup, restore
from tests.backup.helpers import Source, snapshot

# A process that opens the database like the bot does (WAL) and keeps it open.
HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("PRAGMA journal_mode=WAL")
connection.execute("SELECT count(*) FROM cases").fetchall()
print("open", flush=True)
sys.stdin.read()
"""


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_restore_refuses_a_sqlite_database_the_bot_has_open(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    path = target_url.removeprefix("sqlite:///")
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, path], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == b"open\n"
        with pytest.raises(BackupError, match="open in another process: stop the bot"):
            restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
        holder.communicate(b"", timeout=10)  # the bot stops
    restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert len(snapshot(target_url)["cases"]) == 2


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_restore_refuses_a_postgres_database_with_other_sessions(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    engine = create_engine(target_url)
    with engine.connect() as bot_connection:
        bot_connection.execute(text("SELECT 1"))
        with pytest.raises(BackupError, match="other sessions are connected"):
            restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    engine.dispose()
    restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert len(snapshot(target_url)["cases"]) == 2


def test_the_postgres_password_goes_to_the_environment_only() -> None:
    url = "postgresql+psycopg://clerk:p%40ss%20word@db.local:6543/tiepdan?sslmode=require"
    reach = postgres.libpq(url)
    assert "p@ss word" not in reach.conninfo and "pass" not in reach.conninfo
    assert reach.env["PGPASSWORD"] == "p@ss word"
    assert "host=db.local" in reach.conninfo and "port=6543" in reach.conninfo
    assert "user=clerk" in reach.conninfo and "sslmode=require" in reach.conninfo


def test_a_failing_pg_dump_says_why_without_the_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://postgres:topsecret@127.0.0.1:1/nowhere"
    with pytest.raises(BackupError, match="pg_dump failed") as failed:
        postgres.dump(url, tmp_path / "dump", "00000003-00000002-1")
    assert "127.0.0.1" in str(failed.value) and "topsecret" not in str(failed.value)


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_an_unreachable_target_is_refused_without_the_password(
    source: Source, tmp_path: Path
) -> None:
    backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    target = "postgresql+psycopg://postgres:topsecret@127.0.0.1:1/nowhere"
    with pytest.raises(BackupError, match="cannot use the database") as refused:
        restore(database_url=target, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert "127.0.0.1" in str(refused.value) and "topsecret" not in str(refused.value)
    assert not (tmp_path / "v").exists()

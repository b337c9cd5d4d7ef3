"""PostgreSQL: pg_dump of one exported snapshot, pg_restore in one transaction.

The connection parameters go to libpq as a connection string without the password,
which travels in PGPASSWORD: it never appears on a command line or in a message."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from bot.backup.errors import BackupError
from bot.backup.private import touch_private


@dataclass(frozen=True)
class Libpq:
    """How the PostgreSQL client tools reach a database."""

    conninfo: str
    env: dict[str, str]


def libpq(database_url: str) -> Libpq:
    """The connection string (no password) and environment for `database_url`."""
    url = make_url(database_url)
    params: dict[str, str | int | None] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "dbname": url.database,
        **{k: v for k, v in url.query.items() if isinstance(v, str)},
    }
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return Libpq(make_conninfo("", **{k: v for k, v in params.items() if v is not None}), env)


def dump(database_url: str, target: Path, snapshot_id: str) -> None:
    """Write the database as of the exported snapshot `snapshot_id` into `target` (custom
    format, owner-only)."""
    touch_private(target)
    _run(
        "pg_dump",
        database_url,
        ["--format=custom", f"--snapshot={snapshot_id}", f"--file={target}"],
    )


def restore(database_url: str, source: Path) -> None:
    """Replace what the dump holds in the database, all or nothing."""
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run(
        "pg_restore",
        database_url,
        [*options, "--single-transaction", "--exit-on-error", str(source)],
    )


def export_snapshot(connection: Connection) -> str:
    """Export the snapshot of `connection`'s REPEATABLE READ transaction for pg_dump."""
    snapshot_id: str = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
    return snapshot_id


def other_sessions(connection: Connection) -> int:
    """Client sessions other than this one connected to the same database."""
    sql = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
    )
    return int(connection.execute(text(sql)).scalar_one())


def _run(tool: str, database_url: str, arguments: list[str]) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools")
    reach = libpq(database_url)
    command = [program, "--no-password", f"--dbname={reach.conninfo}", *arguments]
    done = subprocess.run(command, env=reach.env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed (exit code {done.returncode}): {done.stderr.strip()}")

"""SQLite: a consistent copy through the online backup API, while the bot writes."""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import struct
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.backup.errors import BackupError
from bot.backup.private import touch_private

# Every connection to a WAL database holds a read lock on this byte of the -shm file
# (SQLite's "DMS" slot, os_unix.c) for as long as it is open.
_SHM_DMS_BYTE = 128
_BUSY_TIMEOUT_MS = 10_000


def database_path(database_url: str) -> Path:
    """The file of a `sqlite:///...` URL."""
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def snapshot(source: Path, target: Path) -> None:
    """Copy the live database `source` into the new file `target` (owner-only), as of one
    instant, and leave it a self-contained file (rollback journal, not WAL)."""
    if not source.is_file():
        raise BackupError(f"no database at {source}")
    touch_private(target)
    with (
        contextlib.closing(sqlite3.connect(source, timeout=_BUSY_TIMEOUT_MS / 1000)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)  # all pages in one step: a single read transaction on the source
        dst.execute("PRAGMA journal_mode=DELETE")


def restore(source: Path, target: Path) -> None:
    """Replace the database `target` (created owner-only if absent) by the backup `source`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    touch_private(target)
    with (
        contextlib.closing(sqlite3.connect(f"{source.as_uri()}?mode=ro", uri=True)) as src,
        contextlib.closing(sqlite3.connect(target, timeout=_BUSY_TIMEOUT_MS / 1000)) as dst,
    ):
        src.backup(dst)


def in_use(database: Path) -> bool:
    """Whether another process has the WAL database open (the bot or the console)."""
    try:
        fd = os.open(f"{database}-shm", os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        query = struct.pack("hhqqi", fcntl.F_WRLCK, os.SEEK_SET, _SHM_DMS_BYTE, 1, 0)
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, query)
        return bool(struct.unpack("hhqqi", answer)[0] != fcntl.F_UNLCK)
    finally:
        os.close(fd)

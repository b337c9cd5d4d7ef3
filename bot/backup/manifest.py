"""manifest.json: what a backup holds, written last so that its presence marks a complete
backup, and checked (sizes and SHA-256) before a restore touches anything."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.backup.errors import BackupError
from bot.backup.private import sha256_of, write_private_text

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"
ATTACHMENTS = "attachments"
# Only these names may appear in a manifest: a tampered one cannot point outside the backup.
_PATH = rf"^({SQLITE_FILE}|{POSTGRES_FILE}|{ATTACHMENTS}/[0-9a-f]{{64}})$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileEntry(_Frozen):
    """One file of the backup, relative to its folder."""

    path: str = Field(pattern=_PATH)
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Counts(_Frozen):
    """Rows of the register, for a quick check after a restore."""

    cases: int = Field(ge=0)
    attachments: int = Field(ge=0)
    events: int = Field(ge=0)


class Manifest(_Frozen):
    """Everything a restore needs to know about a backup."""

    format: int = FORMAT
    created_at: datetime
    dialect: str  # sqlite | postgresql
    revision: str  # the Alembic revision of the database in the backup
    database: str = Field(pattern=_PATH)
    counts: Counts
    files: list[FileEntry]
    # Attachment files the database refers to that were absent or damaged at backup time.
    missing: list[str] = Field(default_factory=list)


def entry(directory: Path, relative: str, sha256: str | None = None) -> FileEntry:
    """The entry of a file already in the backup (hashed unless the hash is known)."""
    path = directory / relative
    return FileEntry(path=relative, size=path.stat().st_size, sha256=sha256 or sha256_of(path))


def write(directory: Path, manifest: Manifest) -> None:
    """Write manifest.json (owner-only, atomically)."""
    write_private_text(directory / MANIFEST, manifest.model_dump_json(indent=2) + "\n")


def read(directory: Path) -> Manifest:
    """The manifest of the backup in `directory`, or a BackupError saying what is wrong."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(f"{path} not found: {directory} is not a complete tiepdan backup")
    try:
        manifest = Manifest.model_validate_json(path.read_bytes())
    except ValidationError as exc:
        raise BackupError(f"{path} is damaged or not a tiepdan manifest: {exc}") from None
    if manifest.format != FORMAT:
        raise BackupError(f"{path} has format {manifest.format}; this tiepdan reads {FORMAT}")
    return manifest


def problems(directory: Path, manifest: Manifest) -> list[str]:
    """Every file of the manifest that is absent, of another size or other content."""
    found: list[str] = []
    listed = {item.path for item in manifest.files}
    if manifest.database not in listed:
        found.append(f"{manifest.database}: the database is not listed in the manifest")
    for item in manifest.files:
        path = directory / item.path
        if not path.is_file():
            found.append(f"{item.path}: missing")
        elif path.stat().st_size != item.size:
            found.append(f"{item.path}: {path.stat().st_size} bytes, expected {item.size}")
        elif sha256_of(path) != item.sha256:
            found.append(f"{item.path}: SHA-256 differs from the manifest (damaged)")
    return found

"""Attachment files into a backup and back, each checked against its SHA-256 name."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from bot.backup.manifest import ATTACHMENTS, FileEntry
from bot.backup.private import copy_private, private_dir


def collect(
    source: Path, backup_dir: Path, digests: Iterable[str]
) -> tuple[list[FileEntry], list[str]]:
    """Copy the files named `digests` from the attachments folder `source` into the backup;
    return their entries and the digests that were absent or whose bytes no longer match."""
    folder = private_dir(backup_dir / ATTACHMENTS)
    entries: list[FileEntry] = []
    missing: list[str] = []
    for digest in sorted(set(digests)):
        path = source / digest
        target = folder / digest
        if not path.is_file() or copy_private(path, target) != digest:
            target.unlink(missing_ok=True)
            missing.append(digest)
            continue
        entries.append(
            FileEntry(path=f"{ATTACHMENTS}/{digest}", size=target.stat().st_size, sha256=digest)
        )
    return entries, missing


def put_back(backup_dir: Path, entries: Iterable[FileEntry], target: Path) -> tuple[int, int]:
    """Copy a verified backup's attachment files into the attachments folder `target`;
    return the number of files and bytes."""
    folder = private_dir(target)
    files = size = 0
    for item in entries:
        if not item.path.startswith(f"{ATTACHMENTS}/"):
            continue
        copy_private(backup_dir / item.path, folder / item.sha256)
        files, size = files + 1, size + item.size
    return files, size

"""Attachment bytes, stored once per content under var/attachments/<sha256>.

What a file is comes from its bytes (magic numbers), never from the name or the MIME
type the sender declared: both are the sender's word.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import filetype  # type: ignore[import-untyped]

from bot.cases.draft import AttachmentData

# What citizens may attach: pictures and PDF documents.
ALLOWED_TYPES = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "application/pdf": "pdf",
}


class Rejection(StrEnum):
    """Why a file was not taken."""

    TOO_BIG = "too_big"
    TOO_MANY = "too_many"
    BAD_TYPE = "bad_type"


@dataclass(frozen=True)
class Limits:
    """How many files a case takes and how big each may be."""

    max_count: int
    max_bytes: int


def attachments_dir(var_dir: Path) -> Path:
    """Where attachment bytes live."""
    return var_dir / "attachments"


def detected_type(data: bytes) -> str | None:
    """The allowed MIME type the bytes show by their magic numbers, or None."""
    mime: str | None = filetype.guess_mime(data)
    return mime if mime in ALLOWED_TYPES else None


def check(*, size: int | None, count_so_far: int, limits: Limits) -> Rejection | None:
    """Whether a file may be added before downloading it (size as Telegram announced it)."""
    if count_so_far >= limits.max_count:
        return Rejection.TOO_MANY
    if size is not None and size > limits.max_bytes:
        return Rejection.TOO_BIG
    return None


def check_content(data: bytes, limits: Limits) -> Rejection | str:
    """The downloaded bytes' MIME type, or why they are not taken."""
    if len(data) > limits.max_bytes:
        return Rejection.TOO_BIG
    return detected_type(data) or Rejection.BAD_TYPE


def store(
    *, var_dir: Path, data: bytes, mime_type: str, original_name: str | None, source: str
) -> AttachmentData:
    """Write the bytes under their SHA-256 (atomically, once) and describe them."""
    digest = hashlib.sha256(data).hexdigest()
    folder = attachments_dir(var_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    return AttachmentData(
        sha256=digest,
        size=len(data),
        mime_type=mime_type,
        original_name=original_name,
        source=source,
    )

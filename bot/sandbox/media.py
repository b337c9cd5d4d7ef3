"""Telegram objects for stored files: PhotoSize, Document, Sticker, Voice, read from the bytes."""

from __future__ import annotations

import mimetypes
import struct
from typing import Any

from bot.sandbox.state import StoredFile

JSON = dict[str, Any]

DEFAULT_PHOTO_SIZE = (800, 600)
# JPEG start-of-frame markers carry the image size (C4, C8 and CC are other segments).
_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def image_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, GIF or JPEG image, or a default for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data) or DEFAULT_PHOTO_SIZE
    return DEFAULT_PHOTO_SIZE


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _JPEG_SOF and pos + 9 <= len(data):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return int(width), int(height)
        pos += 2 + length
    return None


def extension_for(file_name: str | None, mime_type: str | None, default: str) -> str:
    """A file extension taken from the name, else the MIME type, else the default."""
    if file_name and "." in file_name:
        suffix = file_name.rsplit(".", 1)[1].lower()
        if suffix.isalnum() and len(suffix) <= 8:
            return suffix
    guessed = mimetypes.guess_extension(mime_type) if mime_type else None
    return guessed.lstrip(".") if guessed else default


def mime_for(file_name: str | None, default: str = "application/octet-stream") -> str:
    """The MIME type a file name suggests."""
    guessed, _ = mimetypes.guess_type(file_name or "")
    return guessed or default


def photo_sizes(stored: StoredFile) -> list[JSON]:
    """message.photo: one PhotoSize with the real dimensions when the image format is known."""
    width, height = image_size(stored.data)
    return [
        {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": width,
            "height": height,
            "file_size": stored.size,
        }
    ]


def document_json(stored: StoredFile) -> JSON:
    """message.document."""
    document: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def sticker_json(stored: StoredFile, emoji: str) -> JSON:
    """message.sticker (a regular, static 512×512 sticker)."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
        "set_name": "SandboxStickers",
        "file_size": stored.size,
    }


def voice_json(stored: StoredFile, duration: int) -> JSON:
    """message.voice."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "duration": duration,
        "mime_type": stored.mime_type or "audio/ogg",
        "file_size": stored.size,
    }

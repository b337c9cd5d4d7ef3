"""The citizen's side: messages and button presses that become updates for the bot."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from bot.sandbox.formatting import CAPTION_LIMIT, TEXT_LIMIT
from bot.sandbox.media import (
    document_json,
    extension_for,
    mime_for,
    photo_sizes,
    sticker_json,
    voice_json,
)
from bot.sandbox.state import LoggedMessage, SandboxState, unix_now
from bot.sandbox.tghtml import utf16_len

JSON = dict[str, Any]

_MIME_TYPE_RE = re.compile(r"[A-Za-z0-9][\w!#$&^.+-]*/[A-Za-z0-9][\w!#$&^.+-]*", re.ASCII)
_BOT_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?(?![A-Za-z0-9_@])")
# A silent Ogg page header is enough for a bot that only looks at message.voice.
_PLACEHOLDER_VOICE = b"OggS\x00\x02" + bytes(22)
_PLACEHOLDER_STICKER = b"RIFF\x0c\x00\x00\x00WEBPVP8 "


class ControlError(Exception):
    """A control request that cannot be played (unknown message, no such button …)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Sent:
    """What the control API answers for a message the citizen sent."""

    update_id: int
    message_id: int

    def as_json(self) -> JSON:
        """The control API response body."""
        return {"update_id": self.update_id, "message_id": self.message_id}


CHAT_TYPES = ("private", "group", "supergroup")


def check_chat_type(chat_type: str | None) -> str | None:
    """A chat type the sandbox can play, or a 400."""
    if chat_type is not None and chat_type not in CHAT_TYPES:
        raise ControlError(400, f"chat_type must be one of {', '.join(CHAT_TYPES)}")
    return chat_type


def _send(
    state: SandboxState,
    chat_id: int,
    first_name: str | None,
    content: JSON,
    chat_type: str | None = None,
) -> Sent:
    """Put a citizen message into the chat and queue it as an update."""
    chat = state.ensure_chat(chat_id, first_name, check_chat_type(chat_type))
    if chat.one_time_keyboard:
        chat.reply_keyboard, chat.one_time_keyboard = None, False
    message_id = chat.next_message_id()
    payload: JSON = {
        "message_id": message_id,
        "from": chat.user_json(),
        "chat": chat.chat_json(),
        "date": unix_now(),
        **content,
    }
    chat.add(
        LoggedMessage(
            message_id,
            from_bot=False,
            payload=payload,
            source_text=content.get("text") or content.get("caption"),
        )
    )
    return Sent(state.updates.push({"message": payload}), message_id)


def _caption(caption: str | None) -> JSON:
    if not caption:
        return {}
    if utf16_len(caption) > CAPTION_LIMIT:
        raise ControlError(400, "caption is too long")
    return {"caption": caption}


def _text_content(text: str) -> JSON:
    """A citizen's text as Telegram delivers it: a leading /command gets a bot_command
    entity; empty, over-long or non-Unicode (lone surrogate) text is refused."""
    if not text.strip():
        raise ControlError(400, "text is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ControlError(400, "text must be valid UTF-8") from None
    if utf16_len(text) > TEXT_LIMIT:
        raise ControlError(400, "text is too long")
    content: JSON = {"text": text}
    command = _BOT_COMMAND_RE.match(text)
    if command:
        content["entities"] = [
            {"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}
        ]
    return content


def send_text(
    state: SandboxState,
    *,
    chat_id: int,
    text: str,
    first_name: str | None = None,
    chat_type: str | None = None,
) -> Sent:
    """A text message."""
    return _send(state, chat_id, first_name, _text_content(text), chat_type)


def edit_text(state: SandboxState, *, chat_id: int, message_id: int, text: str) -> int:
    """The citizen edits a text message they sent; returns the edited_message update's id."""
    chat = state.chat(chat_id)
    message = chat.messages.get(message_id) if chat else None
    if message is None or message.from_bot:
        raise ControlError(404, f"no citizen message {message_id} in chat {chat_id}")
    if "text" not in message.payload:
        raise ControlError(400, "there is no text in the message to edit")
    unchanged = {k: v for k, v in message.payload.items() if k not in ("text", "entities")}
    payload = {**unchanged, **_text_content(text), "edit_date": unix_now()}
    message.payload, message.source_text, message.edited = payload, text, True
    return state.updates.push({"edited_message": payload})


def send_contact(
    state: SandboxState, *, chat_id: int, phone_number: str, first_name: str | None = None
) -> Sent:
    """The citizen shares their own phone number (the request_contact button)."""
    if not phone_number.strip():
        raise ControlError(400, "phone_number is empty")
    chat = state.ensure_chat(chat_id, first_name)
    contact = {"phone_number": phone_number, "first_name": chat.first_name, "user_id": chat_id}
    return _send(state, chat_id, None, {"contact": contact})


def send_location(
    state: SandboxState,
    *,
    chat_id: int,
    latitude: float,
    longitude: float,
    first_name: str | None = None,
) -> Sent:
    """The citizen shares a location."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ControlError(400, "latitude or longitude out of range")
    location = {"latitude": latitude, "longitude": longitude}
    return _send(state, chat_id, first_name, {"location": location})


def send_photo(
    state: SandboxState,
    *,
    chat_id: int,
    data: bytes,
    caption: str | None = None,
    file_name: str | None = None,
    first_name: str | None = None,
) -> Sent:
    """The citizen sends a picture (compressed, as message.photo)."""
    if not data:
        raise ControlError(400, "photo is empty")
    mime = mime_for(file_name, "image/jpeg")
    stored = state.store_file(
        data, folder="photos", mime_type=mime, extension=extension_for(file_name, mime, "jpg")
    )
    content = {"photo": photo_sizes(stored), **_caption(caption)}
    return _send(state, chat_id, first_name, content)


def send_document(
    state: SandboxState,
    *,
    chat_id: int,
    data: bytes,
    file_name: str,
    mime_type: str | None = None,
    caption: str | None = None,
    first_name: str | None = None,
    declared_size: int | None = None,
) -> Sent:
    """The citizen sends a file (message.document); `declared_size` plays a client that
    announces another file_size than the bytes have. Any MIME type may be declared, but
    it must be one (it becomes a Content-Type header when the bot downloads the file)."""
    if mime_type and not _MIME_TYPE_RE.fullmatch(mime_type):
        raise ControlError(400, "mime_type must look like type/subtype")
    mime = mime_type or mime_for(file_name)
    stored = state.store_file(
        data,
        folder="documents",
        mime_type=mime,
        file_name=file_name,
        extension=extension_for(file_name, mime, "bin"),
    )
    document = document_json(stored)
    if declared_size is not None:
        document["file_size"] = declared_size
    content = {"document": document, **_caption(caption)}
    return _send(state, chat_id, first_name, content)


def send_sticker(
    state: SandboxState, *, chat_id: int, emoji: str = "👍", first_name: str | None = None
) -> Sent:
    """The citizen sends a sticker."""
    stored = state.store_file(
        _PLACEHOLDER_STICKER, folder="stickers", extension="webp", mime_type="image/webp"
    )
    return _send(state, chat_id, first_name, {"sticker": sticker_json(stored, emoji)})


def send_voice(
    state: SandboxState,
    *,
    chat_id: int,
    data: bytes | None = None,
    duration: int = 3,
    first_name: str | None = None,
) -> Sent:
    """The citizen sends a voice message."""
    stored = state.store_file(
        data or _PLACEHOLDER_VOICE, folder="voice", extension="oga", mime_type="audio/ogg"
    )
    return _send(state, chat_id, first_name, {"voice": voice_json(stored, max(duration, 1))})


def click(
    state: SandboxState,
    *,
    chat_id: int,
    message_id: int,
    data: str,
    chat_type: str | None = None,
    forged: bool = False,
) -> int:
    """The citizen presses an inline button; returns the callback_query update's id.

    `forged` plays a modified client that sends callback data no button carries (the
    Bot API lets a client send any data for any bot message)."""
    chat = state.chat(chat_id)
    message = chat.messages.get(message_id) if chat else None
    if chat is None or message is None or not message.from_bot:
        raise ControlError(404, f"no bot message {message_id} in chat {chat_id}")
    if (kind := check_chat_type(chat_type)) is not None:
        chat.chat_type = kind
    rows = (message.payload.get("reply_markup") or {}).get("inline_keyboard") or []
    offered = any(button.get("callback_data") == data for row in rows for button in row)
    if not offered and not forged:
        raise ControlError(400, f"message {message_id} has no button with callback_data {data!r}")
    query_id = str(secrets.randbits(63))
    state.callback_queries[query_id] = chat_id
    query = {
        "id": query_id,
        "from": chat.user_json(),
        "message": message.payload,
        "chat_instance": f"-{chat_id}0",
        "data": data,
    }
    return state.updates.push({"callback_query": query})

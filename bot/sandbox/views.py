"""How the control API and the chat page see a chat's messages."""

from __future__ import annotations

import time
from typing import Any

from bot.sandbox.state import Chat, LoggedMessage

JSON = dict[str, Any]

FILES_URL = "/sandbox/api/files"
# The first of these a message has names its kind.
_KINDS = ("text", "photo", "document", "location", "contact", "sticker", "voice")
_FILE_KINDS = frozenset({"photo", "document", "sticker", "voice"})


def message_view(message: LoggedMessage) -> JSON:
    """One message: what was sent (text as written, parse_mode) and what the citizen reads."""
    payload = message.payload
    kind = next((k for k in _KINDS if k in payload), "other")
    plain = payload.get("text") or payload.get("caption") or ""
    view: JSON = {
        "message_id": message.message_id,
        "date": payload["date"],
        "from": "bot" if message.from_bot else "citizen",
        "kind": kind,
        "text": message.source_text if message.source_text is not None else plain,
        "plain_text": plain,
        "entities": payload.get("entities") or payload.get("caption_entities") or [],
        "parse_mode": message.parse_mode,
        "reply_markup": message.markup,
        "edited": message.edited,
    }
    if "reply_to_message" in payload:
        view["reply_to_message_id"] = payload["reply_to_message"]["message_id"]
    if kind in _FILE_KINDS:
        media = payload[kind][-1] if kind == "photo" else payload[kind]
        view[kind] = {**media, "url": f"{FILES_URL}/{media['file_id']}"}
    elif kind in ("location", "contact"):
        view[kind] = payload[kind]
    return view


def bot_messages(chat: Chat | None, after: int) -> list[JSON]:
    """What the bot sent to the chat with message_id > after, edits applied."""
    if chat is None:
        return []
    return [message_view(m) for m in chat.messages.values() if m.from_bot and m.message_id > after]


def history(chat: Chat | None) -> JSON:
    """Both sides of the chat plus what the page shows around them."""
    if chat is None:
        return {"messages": [], "keyboard": None, "typing": False, "notice": None}
    return {
        "messages": [message_view(m) for m in chat.messages.values()],
        "keyboard": chat.reply_keyboard,
        "typing": chat.typing_until > time.time(),
        "notice": chat.notice,
    }

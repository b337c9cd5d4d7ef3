"""Bot API methods that put messages into a chat or change them: send, edit, delete."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from bot.sandbox.formatting import Formatted, check_markup, format_text
from bot.sandbox.media import document_json, extension_for, mime_for, photo_sizes
from bot.sandbox.params import BotApiError, Params, bad_request
from bot.sandbox.state import Chat, LoggedMessage, SandboxState, StoredFile, unix_now

JSON = dict[str, Any]
Handler = Callable[[SandboxState, Params], Awaitable[Any]]

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def target_chat(state: SandboxState, params: Params) -> Chat:
    """The chat named by chat_id: a private chat a citizen wrote from, or any group (a
    negative id: a group the bot was added to, such as a unit's staff group)."""
    raw = params.text("chat_id")
    if not raw:
        raise bad_request("chat_id is empty")
    try:
        chat_id = int(raw)
    except ValueError:
        chat_id = 0  # "@username" and other non-numeric ids never name a citizen here
    chat = state.chat(chat_id) if chat_id else None
    if chat is None and chat_id < 0:
        kind = "supergroup" if raw.startswith("-100") else "group"  # Telegram's id ranges
        chat = state.ensure_chat(chat_id, chat_type=kind)
    if chat is None:
        raise bad_request("chat not found")
    if chat.blocked:
        raise BotApiError(403, "Forbidden: bot was blocked by the user")
    return chat


def _reply_to(chat: Chat, params: Params) -> JSON:
    """The reply_to_message field for reply_parameters (or the older reply_to_message_id)."""
    reply = params.decoded("reply_parameters")
    target = reply.get("message_id") if isinstance(reply, dict) else None
    if target is None:
        target = params.integer("reply_to_message_id")
    if target is None:
        return {}
    replied = chat.messages.get(target) if isinstance(target, int) else None
    if replied is not None:
        quoted = {k: v for k, v in replied.payload.items() if k != "reply_to_message"}
        return {"reply_to_message": quoted}
    if isinstance(reply, dict) and reply.get("allow_sending_without_reply"):
        return {}
    raise bad_request("message to be replied not found")


def _deliver(
    state: SandboxState,
    chat: Chat,
    params: Params,
    content: JSON,
    *,
    formatted: Formatted | None,
) -> JSON:
    """Add a bot message to the chat and return the Message object Telegram would."""
    markup = check_markup(params.decoded("reply_markup"))
    reply = _reply_to(chat, params)
    message_id = chat.next_message_id()
    payload: JSON = {
        "message_id": message_id,
        "from": state.bot.user(),
        "chat": chat.chat_json(),
        "date": unix_now(),
        **reply,
        **content,
    }
    if markup is not None and "inline_keyboard" in markup:
        payload["reply_markup"] = markup  # Telegram echoes only inline keyboards
    chat.add(
        LoggedMessage(
            message_id,
            from_bot=True,
            payload=payload,
            markup=markup,
            source_text=formatted.source if formatted else None,
            parse_mode=formatted.parse_mode if formatted else None,
        )
    )
    if markup is not None and "keyboard" in markup:
        chat.reply_keyboard = markup
        chat.one_time_keyboard = bool(markup.get("one_time_keyboard"))
    elif markup is not None and "remove_keyboard" in markup:
        chat.reply_keyboard = None
    chat.typing_until = 0.0  # a sent message ends the "typing…" status
    state.bot_sent.notify(chat.chat_id)  # answer the control API's long polls
    return payload


async def send_message(state: SandboxState, params: Params) -> JSON:
    """sendMessage."""
    chat = target_chat(state, params)
    formatted = format_text(params)
    assert formatted is not None
    content = formatted.fields("text", "entities")
    return _deliver(state, chat, params, content, formatted=formatted)


def _input_file(
    state: SandboxState, params: Params, field: str, *, folder: str, default_extension: str
) -> StoredFile:
    """The file a send method names: an upload, a known file_id, or a URL we cannot fetch."""
    upload = params.upload(field)
    if upload is not None:
        mime = upload.content_type or mime_for(upload.filename)
        extension = extension_for(upload.filename, mime, default_extension)
        return state.store_file(
            upload.data,
            folder=folder,
            extension=extension,
            mime_type=mime,
            file_name=upload.filename,
        )
    reference = params.text(field)
    if not reference:
        raise bad_request(f"there is no {field} in the request")
    if reference in state.files:
        return state.files[reference]
    if reference.startswith(("http://", "https://")):
        # No internet here: keep the URL's name with empty content.
        name = reference.rsplit("/", 1)[-1] or None
        return state.store_file(
            b"",
            folder=folder,
            file_name=name,
            mime_type=mime_for(name),
            extension=extension_for(name, None, default_extension),
        )
    raise bad_request("wrong file identifier/HTTP URL specified")


async def send_photo(state: SandboxState, params: Params) -> JSON:
    """sendPhoto."""
    chat = target_chat(state, params)
    stored = _input_file(state, params, "photo", folder="photos", default_extension="jpg")
    return _send_media(state, params, chat, {"photo": photo_sizes(stored)})


async def send_document(state: SandboxState, params: Params) -> JSON:
    """sendDocument."""
    chat = target_chat(state, params)
    stored = _input_file(state, params, "document", folder="documents", default_extension="bin")
    return _send_media(state, params, chat, {"document": document_json(stored)})


def _send_media(state: SandboxState, params: Params, chat: Chat, content: JSON) -> JSON:
    caption = format_text(params, caption=True)
    if caption is not None and caption.text:
        content.update(caption.fields("caption", "caption_entities"))
    return _deliver(state, chat, params, content, formatted=caption)


async def send_location(state: SandboxState, params: Params) -> JSON:
    """sendLocation."""
    chat = target_chat(state, params)
    latitude, longitude = params.number("latitude"), params.number("longitude")
    if latitude is None or longitude is None:
        raise bad_request("latitude or longitude is empty")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong location specified")
    content = {"location": {"latitude": latitude, "longitude": longitude}}
    return _deliver(state, chat, params, content, formatted=None)


def _editable(state: SandboxState, params: Params) -> LoggedMessage:
    """The bot message an edit method names."""
    if params.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")  # the sandbox has no inline messages
    chat = target_chat(state, params)
    message = chat.messages.get(params.require_int("message_id"))
    if message is None:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _edit(
    message: LoggedMessage, changes: JSON, markup: JSON | None, formatted: Formatted | None
) -> JSON:
    """Apply an edit; like Telegram, an edit without reply_markup drops the inline keyboard."""
    current = {k: v for k, v in message.payload.items() if k != "edit_date"}
    edited = {k: v for k, v in current.items() if k not in changes and k != "reply_markup"}
    edited.update({k: v for k, v in changes.items() if v})
    if markup is not None:
        edited["reply_markup"] = markup
    if edited == current:
        raise bad_request(NOT_MODIFIED)
    edited["edit_date"] = unix_now()
    message.payload = edited
    if markup is not None or "reply_markup" in current:
        message.markup = markup  # a reply keyboard is not part of the message and stays
    message.edited = True
    if changes:  # a text or caption edit replaces what the bot wrote (a caption may go)
        message.source_text = formatted.source if formatted else None
        message.parse_mode = formatted.parse_mode if formatted else None
    return edited


async def edit_message_text(state: SandboxState, params: Params) -> JSON:
    """editMessageText."""
    message = _editable(state, params)
    if "text" not in message.payload:
        raise bad_request("there is no text in the message to edit")
    formatted = format_text(params)
    assert formatted is not None
    markup = check_markup(params.decoded("reply_markup"), inline_only=True)
    changes = {"text": formatted.text, "entities": formatted.entities}
    return _edit(message, changes, markup, formatted)


async def edit_message_caption(state: SandboxState, params: Params) -> JSON:
    """editMessageCaption."""
    message = _editable(state, params)
    if not {"photo", "document"} & message.payload.keys():
        raise bad_request("there is no caption in the message to edit")
    caption = format_text(params, caption=True)
    markup = check_markup(params.decoded("reply_markup"), inline_only=True)
    changes: JSON = {
        "caption": caption.text if caption else None,
        "caption_entities": caption.entities if caption else None,
    }
    return _edit(message, changes, markup, caption)


async def edit_message_reply_markup(state: SandboxState, params: Params) -> JSON:
    """editMessageReplyMarkup."""
    message = _editable(state, params)
    markup = check_markup(params.decoded("reply_markup"), inline_only=True)
    return _edit(message, {}, markup, None)


async def delete_message(state: SandboxState, params: Params) -> bool:
    """deleteMessage (bots may delete both sides of a private chat)."""
    chat = target_chat(state, params)
    if chat.messages.pop(params.require_int("message_id"), None) is None:
        raise bad_request("message to delete not found")
    return True


async def send_chat_action(state: SandboxState, params: Params) -> bool:
    """sendChatAction: the citizen sees "typing…" for up to 5 seconds."""
    chat = target_chat(state, params)
    if not params.text("action"):
        raise bad_request("action is empty")
    chat.typing_until = time.time() + 5
    return True


METHODS: dict[str, Handler] = {
    "sendmessage": send_message,
    "sendphoto": send_photo,
    "senddocument": send_document,
    "sendlocation": send_location,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "sendchataction": send_chat_action,
}

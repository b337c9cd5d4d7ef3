"""The control API under /sandbox/api/: play the citizen, inspect the chat, inject faults."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox import citizen
from bot.sandbox.body import Body, query_int, query_number
from bot.sandbox.citizen import ControlError
from bot.sandbox.faults import Fault
from bot.sandbox.state import SandboxState, state_of
from bot.sandbox.views import bot_messages, history

JSON = dict[str, Any]


async def send(request: Request) -> Response:
    """POST /send {"chat_id", "text", "first_name"?, "chat_type"?} → {"update_id",
    "message_id"}; chat_type "group" or "supergroup" plays a member writing in a group."""
    body = await Body.read(request)
    sent = citizen.send_text(
        state_of(request),
        chat_id=body.integer("chat_id"),
        text=body.text("text"),
        first_name=body.optional_text("first_name"),
        chat_type=body.optional_text("chat_type"),
    )
    return JSONResponse(sent.as_json())


async def edit(request: Request) -> Response:
    """POST /edit {"chat_id", "message_id", "text"} → {"update_id"}: the citizen edits a
    text they sent (Telegram delivers it as an edited_message update)."""
    body = await Body.read(request)
    update_id = citizen.edit_text(
        state_of(request),
        chat_id=body.integer("chat_id"),
        message_id=body.integer("message_id"),
        text=body.text("text"),
    )
    return JSONResponse({"update_id": update_id})


async def click(request: Request) -> Response:
    """POST /click {"chat_id", "message_id", "data", "chat_type"?, "forged"?} →
    {"update_id"}; "forged": true sends data that no button of the message carries."""
    body = await Body.read(request)
    update_id = citizen.click(
        state_of(request),
        chat_id=body.integer("chat_id"),
        message_id=body.integer("message_id"),
        data=body.text("data"),
        chat_type=body.optional_text("chat_type"),
        forged=body.flag("forged", False),
    )
    return JSONResponse({"update_id": update_id})


async def contact(request: Request) -> Response:
    """POST /contact {"chat_id", "phone_number", "first_name"?}."""
    body = await Body.read(request)
    sent = citizen.send_contact(
        state_of(request),
        chat_id=body.integer("chat_id"),
        phone_number=body.text("phone_number"),
        first_name=body.optional_text("first_name"),
    )
    return JSONResponse(sent.as_json())


async def location(request: Request) -> Response:
    """POST /location {"chat_id", "latitude", "longitude"}."""
    body = await Body.read(request)
    sent = citizen.send_location(
        state_of(request),
        chat_id=body.integer("chat_id"),
        latitude=body.number("latitude"),
        longitude=body.number("longitude"),
        first_name=body.optional_text("first_name"),
    )
    return JSONResponse(sent.as_json())


async def photo(request: Request) -> Response:
    """POST /photo {"chat_id", "content_base64", "caption"?, "file_name"?}."""
    body = await Body.read(request)
    sent = citizen.send_photo(
        state_of(request),
        chat_id=body.integer("chat_id"),
        data=body.content(),
        caption=body.optional_text("caption"),
        file_name=body.optional_text("file_name"),
        first_name=body.optional_text("first_name"),
    )
    return JSONResponse(sent.as_json())


async def document(request: Request) -> Response:
    """POST /document {"chat_id", "content_base64", "file_name", "mime_type"?, "caption"?,
    "file_size"?} (file_size: the size the client announces, whatever the bytes)."""
    body = await Body.read(request)
    sent = citizen.send_document(
        state_of(request),
        chat_id=body.integer("chat_id"),
        data=body.content(),
        file_name=body.text("file_name"),
        mime_type=body.optional_text("mime_type"),
        caption=body.optional_text("caption"),
        first_name=body.optional_text("first_name"),
        declared_size=body.integer("file_size") if body.has("file_size") else None,
    )
    return JSONResponse(sent.as_json())


async def sticker(request: Request) -> Response:
    """POST /sticker {"chat_id", "emoji"?}."""
    body = await Body.read(request)
    sent = citizen.send_sticker(
        state_of(request),
        chat_id=body.integer("chat_id"),
        emoji=body.optional_text("emoji") or "👍",
        first_name=body.optional_text("first_name"),
    )
    return JSONResponse(sent.as_json())


async def voice(request: Request) -> Response:
    """POST /voice {"chat_id", "duration"?, "content_base64"?}."""
    body = await Body.read(request)
    data = body.content() if body.has("content_base64") else None
    sent = citizen.send_voice(
        state_of(request),
        chat_id=body.integer("chat_id"),
        data=data,
        duration=body.integer("duration", 3),
        first_name=body.optional_text("first_name"),
    )
    return JSONResponse(sent.as_json())


async def block(request: Request) -> Response:
    """POST /block {"chat_id", "blocked"?: bool}: the citizen blocks (or unblocks) the bot."""
    body = await Body.read(request)
    chat = state_of(request).ensure_chat(body.integer("chat_id"))
    chat.blocked = body.flag("blocked", True)
    return JSONResponse({"chat_id": chat.chat_id, "blocked": chat.blocked})


async def messages(request: Request) -> Response:
    """GET /messages?chat_id=&after=&wait= → what the bot sent there after message `after`,
    edits applied; with wait=SECONDS (long poll, at most 30), held until the bot sends
    something there, or answered [] when the time is up."""
    state = state_of(request)
    chat_id, after = query_int(request, "chat_id"), query_int(request, "after", 0)
    wait = query_number(request, "wait", 0.0)
    return JSONResponse(
        await state.bot_sent.until(chat_id, lambda: bot_messages(state.chat(chat_id), after), wait)
    )


async def chat_history(request: Request) -> Response:
    """GET /history?chat_id= → both sides, the reply keyboard, typing and notices (chat page)."""
    return JSONResponse(history(state_of(request).chat(query_int(request, "chat_id"))))


async def file_content(request: Request) -> Response:
    """GET /files/{file_id} → the stored bytes (for the chat page)."""
    stored = state_of(request).files.get(request.path_params["file_id"])
    if stored is None:
        raise ControlError(404, "no such file")
    return Response(stored.data, media_type=stored.mime_type or "application/octet-stream")


async def add_fault(request: Request) -> Response:
    """POST /faults {"method", "count", "status"?, "retry_after"?, "delay"?} → pending faults."""
    body = await Body.read(request)
    status = body.integer("status") if body.has("status") else None
    delay = body.number("delay", 0.0)
    if status is None and delay <= 0:
        raise ControlError(400, "give a status (429 or 4xx/5xx) or a positive delay")
    if status is not None and not 400 <= status <= 599:
        raise ControlError(400, "status must be between 400 and 599")
    state = state_of(request)
    state.faults.add(
        Fault(
            method=body.text("method"),
            remaining=max(body.integer("count", 1), 1),
            status=status,
            retry_after=max(body.integer("retry_after", 1), 1),
            delay=delay,
            description=body.optional_text("description"),
        )
    )
    return JSONResponse(state.faults.as_json())


async def list_faults(request: Request) -> Response:
    """GET /faults → pending faults."""
    return JSONResponse(state_of(request).faults.as_json())


async def clear_faults(request: Request) -> Response:
    """DELETE /faults clears them all."""
    state_of(request).faults.clear()
    return JSONResponse({"ok": True})


async def calls(request: Request) -> Response:
    """GET /calls?method= → [{"method", "status", "at", "duration"}], oldest first."""
    return JSONResponse(state_of(request).calls.as_json(request.query_params.get("method")))


def _status(state: SandboxState) -> JSON:
    key = state.commands_key(None, None)
    return {
        "polling": state.updates.polling,
        "commands": state.commands.get(key, []),
        "bot": state.bot.get_me(),
        "pending_updates": state.updates.pending_count,
        "limits": state.limits.as_json(),  # Telegram's sending limits and the 429s sent
    }


async def status(request: Request) -> Response:
    """GET /status → {"polling", "commands", "bot", "pending_updates"}."""
    return JSONResponse(_status(state_of(request)))


async def reset(request: Request) -> Response:
    """POST /reset: forget chats, updates, files, faults and calls."""
    state_of(request).reset()
    return JSONResponse({"ok": True})


async def citizen_error(request: Request, exc: Exception) -> Response:
    """Render a ControlError as {"error": ...} with its status."""
    assert isinstance(exc, ControlError)
    return JSONResponse({"error": exc.message}, status_code=exc.status)


_API = "/sandbox/api"
routes = [
    *(
        Route(f"{_API}/{name}", endpoint, methods=["POST"])
        for name, endpoint in [
            ("send", send),
            ("edit", edit),
            ("click", click),
            ("contact", contact),
            ("location", location),
            ("photo", photo),
            ("document", document),
            ("sticker", sticker),
            ("voice", voice),
            ("block", block),
            ("reset", reset),
        ]
    ),
    Route(f"{_API}/messages", messages, methods=["GET"]),
    Route(f"{_API}/history", chat_history, methods=["GET"]),
    Route(f"{_API}/files/{{file_id}}", file_content, methods=["GET"]),
    Route(f"{_API}/faults", add_fault, methods=["POST"]),
    Route(f"{_API}/faults", list_faults, methods=["GET"]),
    Route(f"{_API}/faults", clear_faults, methods=["DELETE"]),
    Route(f"{_API}/calls", calls, methods=["GET"]),
    Route(f"{_API}/status", status, methods=["GET"]),
]

"""The Bot API endpoint: token check, fault injection, the call log, and the simpler methods."""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.params import BotApiError, Params, bad_request, read_params
from bot.sandbox.sending import METHODS as SENDING_METHODS
from bot.sandbox.sending import Handler, target_chat
from bot.sandbox.state import PollConflict, SandboxState, Webhook, state_of

JSON = dict[str, Any]

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # bots may download files up to 20 MB
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


async def get_me(state: SandboxState, params: Params) -> JSON:
    """getMe."""
    return state.bot.get_me()


async def accept(state: SandboxState, params: Params) -> bool:
    """Methods the sandbox only acknowledges (logOut, close, setMyDescription …)."""
    return True


async def set_webhook(state: SandboxState, params: Params) -> bool:
    """setWebhook: from now on the sandbox posts updates to the URL (bot/sandbox/webhook.py)
    and getUpdates conflicts, like on Telegram; an empty URL removes the webhook. Plain
    http:// is accepted, unlike on Telegram, since the bot listens on loopback."""
    url = params.text("url") or ""
    if not url:
        return await delete_webhook(state, params)
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = params.text("secret_token")
    if secret is not None and not SECRET_TOKEN_RE.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    connections = params.integer("max_connections", 40)
    if connections is None or not 1 <= connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    allowed = params.decoded("allowed_updates")
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    state.webhook = Webhook(
        url=url,
        secret_token=secret or None,
        max_connections=connections,
        allowed_updates=[str(kind) for kind in allowed] if isinstance(allowed, list) else None,
    )
    state.updates.webhook_ok = True
    state.updates.notify()
    return True


async def delete_webhook(state: SandboxState, params: Params) -> bool:
    """deleteWebhook: back to getUpdates (pending updates dropped if asked)."""
    state.webhook = None
    state.updates.webhook_ok = False
    if params.flag("drop_pending_updates"):
        state.updates.clear()
    state.updates.notify()
    return True


async def get_webhook_info(state: SandboxState, params: Params) -> JSON:
    """getWebhookInfo (optional fields only when they have a value, as on Telegram)."""
    info: JSON = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": state.updates.pending_count,
    }
    webhook = state.webhook
    if webhook is not None:
        info["url"] = webhook.url
        info["max_connections"] = webhook.max_connections
        if webhook.allowed_updates is not None:
            info["allowed_updates"] = webhook.allowed_updates
        if webhook.last_error_date is not None:
            info["last_error_date"] = webhook.last_error_date
            info["last_error_message"] = webhook.last_error_message
    return info


async def get_updates(state: SandboxState, params: Params) -> list[JSON]:
    """getUpdates with long polling."""
    if state.webhook is not None:
        raise BotApiError(409, WEBHOOK_CONFLICT)
    offset = params.integer("offset", 0) or 0
    limit = params.integer("limit", 100) or 100
    timeout = max(params.number("timeout") or 0.0, 0.0)
    try:
        return await state.updates.get(offset=offset, limit=limit, wait=timeout)
    except PollConflict:
        raise BotApiError(409, POLL_CONFLICT) from None


async def answer_callback_query(state: SandboxState, params: Params) -> bool:
    """answerCallbackQuery: its text reaches the chat page as a notice."""
    chat_id = state.callback_queries.pop(params.text("callback_query_id") or "", None)
    chat = state.chat(chat_id) if chat_id is not None else None
    if chat is None:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = params.text("text")
    if text:
        chat.notice = {"text": text, "show_alert": params.flag("show_alert"), "at": time.time()}
    return True


async def set_my_commands(state: SandboxState, params: Params) -> bool:
    """setMyCommands."""
    commands = params.decoded("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND_RE.match(str(command.get("command"))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description") or "")) <= 256:
            raise bad_request("command description must be non-empty")
    key = state.commands_key(params.decoded("scope"), params.text("language_code"))
    state.commands[key] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


async def get_my_commands(state: SandboxState, params: Params) -> list[JSON]:
    """getMyCommands."""
    key = state.commands_key(params.decoded("scope"), params.text("language_code"))
    return state.commands.get(key, [])


async def delete_my_commands(state: SandboxState, params: Params) -> bool:
    """deleteMyCommands."""
    state.commands.pop(
        state.commands_key(params.decoded("scope"), params.text("language_code")), None
    )
    return True


async def set_chat_menu_button(state: SandboxState, params: Params) -> bool:
    """setChatMenuButton."""
    button = params.decoded("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    state.menu_buttons[params.integer("chat_id")] = button
    return True


async def get_chat_menu_button(state: SandboxState, params: Params) -> JSON:
    """getChatMenuButton."""
    buttons = state.menu_buttons
    return buttons.get(params.integer("chat_id")) or buttons.get(None) or {"type": "default"}


async def get_chat(state: SandboxState, params: Params) -> JSON:
    """getChat (a ChatFullInfo with the fields a private chat has)."""
    chat = target_chat(state, params)
    return {
        **chat.chat_json(),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
        },
    }


async def get_file(state: SandboxState, params: Params) -> JSON:
    """getFile."""
    stored = state.files.get(params.text("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > DOWNLOAD_LIMIT:
        raise bad_request("file is too big")
    return stored.as_file()


METHODS: dict[str, Handler] = {
    "getme": get_me,
    "logout": accept,
    "close": accept,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "getupdates": get_updates,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "setmydescription": accept,
    "setmyshortdescription": accept,
    "setmyname": accept,
    "getchat": get_chat,
    "getfile": get_file,
    **SENDING_METHODS,
}


async def _call(state: SandboxState, request: Request, method: str) -> Any:
    if request.path_params["token"] != state.bot.token:
        raise BotApiError(401, "Unauthorized")
    handler = METHODS.get(method.lower())
    if handler is None:
        raise BotApiError(404, "Not Found")
    fault = state.faults.take(method)
    if fault is not None:
        if fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault.status is not None:
            body = fault.error_body()
            raise BotApiError(body["error_code"], body["description"], body.get("parameters"))
    params = await read_params(request)
    retry_after = state.limits.check(method, params.text("chat_id"))
    if retry_after is not None:  # Telegram's sending limits (bot/sandbox/limits.py)
        raise BotApiError(
            429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
        )
    return await handler(state, params)


async def bot_api(request: Request) -> Response:
    """`/bot<token>/<method>`: answer like Telegram and log the call."""
    state = state_of(request)
    method = request.path_params["method"]
    started = time.time()
    try:
        response: Response = JSONResponse(
            {"ok": True, "result": await _call(state, request, method)}
        )
    except BotApiError as error:
        response = error.response()
    state.calls.record(method=method, status=response.status_code, started=started)
    return response


async def download_file(request: Request) -> Response:
    """`/file/bot<token>/<file_path>`: the bytes of a stored file."""
    state = state_of(request)
    if request.path_params["token"] != state.bot.token:
        return BotApiError(401, "Unauthorized").response()
    stored = state.file_by_path(request.path_params["file_path"])
    if stored is None:
        return BotApiError(404, "Not Found").response()
    return Response(stored.data, media_type=stored.mime_type or "application/octet-stream")


routes = [
    Route("/bot{token}/{method}", bot_api, methods=["GET", "POST"]),
    Route("/file/bot{token}/{file_path:path}", download_file, methods=["GET"]),
]

"""The control API's switch for Telegram's outbound limits: /sandbox/api/limits."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.sandbox.body import Body
from bot.sandbox.citizen import ControlError
from bot.sandbox.state import state_of

_RATES = ("overall_per_second", "chat_per_second", "group_per_minute")


async def set_limits(request: Request) -> Response:
    """POST /limits {"enabled"?: bool, "overall_per_second"?, "chat_burst"?,
    "chat_per_second"?, "group_per_minute"?} → the limits and the 429s they caused."""
    body = await Body.read(request)
    values: dict[str, object] = {}
    if body.has("enabled"):
        values["enabled"] = body.flag("enabled", False)
    for name in _RATES:
        if body.has(name):
            values[name] = _positive(body.number(name), name)
    if body.has("chat_burst"):
        values["chat_burst"] = int(_positive(body.integer("chat_burst"), "chat_burst"))
    limits = state_of(request).limits
    limits.configure(**values)
    return JSONResponse(limits.as_json())


async def get_limits(request: Request) -> Response:
    """GET /limits → {"enabled", the rates, "refused": 429s sent so far}."""
    return JSONResponse(state_of(request).limits.as_json())


def _positive(value: float, name: str) -> float:
    if value <= 0:
        raise ControlError(400, f"{name} must be positive")
    return value


routes = [
    Route("/sandbox/api/limits", set_limits, methods=["POST"]),
    Route("/sandbox/api/limits", get_limits, methods=["GET"]),
]

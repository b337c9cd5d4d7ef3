"""The chat page at /sandbox where a person plays the citizen in a browser."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"


async def chat_page(request: Request) -> Response:
    """GET /sandbox: the chat page."""
    return FileResponse(
        STATIC_DIR / "chat.html",
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-cache"},
    )


async def to_chat_page(request: Request) -> Response:
    """GET /: redirect to the chat page."""
    return RedirectResponse("/sandbox", status_code=307)


routes = [
    Route("/", to_chat_page, methods=["GET"]),
    Route("/sandbox", chat_page, methods=["GET"]),
    Mount("/sandbox/static", StaticFiles(directory=STATIC_DIR), name="sandbox-static"),
]

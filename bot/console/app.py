"""The console's composition root: routes, templates, security layers; and serving it."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import Any

from asgi_csrf import asgi_csrf
from itsdangerous import TimestampSigner
from sqlalchemy.orm import Session, sessionmaker
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Scope, Send

from bot.cases.service import CaseNotFound
from bot.console.csrf import UploadGuard, skip_upload
from bot.console.middleware import BodyLimit, SameOrigin, SecurityHeaders
from bot.console.routes import (
    auth,
    case,
    inbox,
    knowledge,
    ops,
    outbox,
    reports,
    review,
    training,
    units_admin,
)
from bot.console.secret import secret_key
from bot.console.templating import TEMPLATES_DIR, make_templates, render
from bot.db import session_factory
from bot.ops.db_metrics import exposition_registry
from bot.ops.health import Readiness
from bot.settings import Settings
from bot.staff.permissions import Forbidden
from bot.texts import console as texts

log = logging.getLogger(__name__)
STATIC_DIR = TEMPLATES_DIR.parent / "static"


async def _forbidden(request: Request, _exc: Exception) -> Response:
    return render(
        request, "error.html", {"title": texts.FORBIDDEN_TITLE, "message": texts.FORBIDDEN}, 403
    )


async def _not_found(request: Request, _exc: Exception) -> Response:
    return render(
        request, "error.html", {"title": texts.NOT_FOUND_TITLE, "message": texts.NOT_FOUND}, 404
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return await _not_found(request, exc)
    if exc.status_code == 403:
        return await _forbidden(request, exc)
    return Response(str(exc.detail), status_code=exc.status_code)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.error("Console error on %s %s", request.method, request.url.path, exc_info=exc)
    return render(
        request, "error.html", {"title": texts.SERVER_ERROR, "message": texts.SERVER_ERROR}, 500
    )


async def _csrf_failed(_scope: Scope, send: Send, _message_id: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": texts.CSRF_FAILED.encode()})


def create_app(settings: Settings, sessions: sessionmaker[Session] | None = None) -> ASGIApp:
    """The console as an ASGI app; its Starlette core is at `.starlette` of the result."""
    secret = secret_key(settings)
    app = Starlette(
        routes=[
            *ops.routes,  # /healthz, /readyz, /metrics: no log-in
            *auth.routes,
            *inbox.routes,
            *case.routes,
            *reports.routes,
            *knowledge.routes,
            *units_admin.routes,
            *outbox.routes,
            *review.routes,
            *training.routes,
            Mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static"),
        ],
        exception_handlers={
            Forbidden: _forbidden,
            CaseNotFound: _not_found,
            HTTPException: _http_error,
            500: _server_error,
        },
    )
    app.state.settings = settings
    app.state.sessions = sessions or session_factory(settings.database_url)
    app.state.templates = make_templates()
    app.state.csrf_secret = secret
    app.state.signer = TimestampSigner(secret, salt="tiepdan-console-session")
    app.state.throttle = auth.new_throttle()
    app.state.readiness = Readiness(settings, app.state.sessions)
    app.state.metrics = exposition_registry(app.state.sessions)
    protected = asgi_csrf(
        app,
        signing_secret=secret,
        skip_if_scope=skip_upload,
        cookie_secure=settings.console_https,
        send_csrf_failed=_csrf_failed,
    )
    limited = BodyLimit(
        UploadGuard(protected), settings.console_max_upload_mb * 1024 * 1024 + 64 * 1024
    )
    outer = SecurityHeaders(SameOrigin(limited, settings.console_public_url))
    outer.starlette = app  # type: ignore[attr-defined]
    return outer


async def serve(settings: Settings, sock: socket.socket | None = None) -> None:
    """Serve the console on CONSOLE_HOST:CONSOLE_PORT (or `sock`) until cancelled."""

    from bot.sandbox.server import bind_socket
    from bot.serving import quiet_server

    listener = sock or bind_socket(settings.console_host, settings.console_port)
    server = quiet_server(create_app(settings))
    task = asyncio.ensure_future(server.serve(sockets=[listener]))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        server.should_exit = True
        await task
        raise
    finally:
        listener.close()

"""The sandbox server: one Starlette app for the Bot API, control API and chat page."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.sandbox import botapi, control, limits_api, page
from bot.sandbox.citizen import ControlError
from bot.sandbox.state import SandboxState
from bot.sandbox.webhook import delivering
from bot.serving import quiet_server
from bot.settings import SANDBOX_BOT_TOKEN

log = logging.getLogger(__name__)

CONTROL_PREFIX = "/sandbox/api/"
_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


def control_refusal(method: str, path: str, headers: Headers, scheme: str) -> str | None:
    """Why a request may not drive the control API, or None when it may.

    A web page elsewhere can make the citizen's browser send a POST here (a form, or a
    fetch without a preflight), but only with another Origin or with a text, form or
    multipart body: a changing request must come from no browser page (no Origin) or
    from the sandbox's own page, and carry JSON if it carries a body at all.
    """
    if not path.startswith(CONTROL_PREFIX) or method in _READ_ONLY:
        return None
    host = headers.get("host", "")
    if not _literal_host(host):
        # DNS rebinding: a name the attacker controls resolving to this machine.
        return f"the control API answers only to an IP address or localhost (Host {host})"
    origin = headers.get("origin")
    if origin is not None and origin != f"{scheme}://{headers.get('host', '')}":
        return f"cross-origin request refused (Origin {origin})"
    has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
    media_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if has_body and media_type != "application/json":
        return "the control API takes application/json bodies only"
    return None


def _literal_host(host: str) -> bool:
    """True for "localhost" or an IP literal, with or without a port."""
    name = host.rsplit(":", 1)[0] if host.count(":") == 1 or "]" in host else host
    name = name.strip("[]")
    if name == "localhost":
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class ControlGuard:
    """ASGI middleware answering 403 {"error": ...} to what `control_refusal` refuses."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse or pass on one request."""
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            problem = control_refusal(scope["method"], scope["path"], headers, scope["scheme"])
            if problem is not None:
                await JSONResponse({"error": problem}, status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    *,
    token: str = SANDBOX_BOT_TOKEN,
    bot_username: str = "tiepdan_bot",
    outbound_limits: bool = False,
) -> Starlette:
    """Build the sandbox app; its state is at `app.state.sandbox`. `outbound_limits`
    enforces Telegram's sending limits from the start (also switched at /limits)."""
    app = Starlette(
        routes=[*botapi.routes, *control.routes, *limits_api.routes, *page.routes],
        exception_handlers={ControlError: control.citizen_error},
        middleware=[Middleware(ControlGuard)],
        lifespan=_lifespan,
    )
    app.state.sandbox = SandboxState(
        token=token, bot_username=bot_username, outbound_limits=outbound_limits
    )
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """While the server runs, post updates to the bot's webhook once it sets one."""
    async with delivering(app.state.sandbox):
        yield


def bind_socket(host: str, port: int) -> socket.socket:
    """Listen on host:port (0 picks a free port), failing with a clear OSError when taken."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    if not ipaddress.ip_address(address[0]).is_loopback:
        log.warning(
            "The sandbox listens on %s, not a loopback address: anyone who reaches it can "
            "play citizens, read the bot's messages and inject faults. Use 127.0.0.1 "
            "unless that is intended.",
            host,
        )
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        message = f"sandbox cannot listen on {host}:{port}: {error.strerror}"
        raise OSError(error.errno, message) from error
    sock.setblocking(False)
    return sock


async def serve_app(app: Starlette, sock: socket.socket) -> None:
    """Serve the app on a listening socket until cancelled, then shut down cleanly."""
    server = quiet_server(app, lifespan="on")
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError:
        state = app.state.sandbox
        assert isinstance(state, SandboxState)
        state.updates.release()  # held getUpdates answer now instead of delaying shutdown
        server.should_exit = True
        await task
        raise
    finally:
        sock.close()


async def serve(*, host: str, port: int, token: str = SANDBOX_BOT_TOKEN) -> None:
    """Run the sandbox on host:port until the task is cancelled."""
    await serve_app(create_app(token=token), bind_socket(host, port))

"""The sandbox server: one Starlette app for the Bot API, control API and chat page."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Generator

import uvicorn
from starlette.applications import Starlette

from bot.sandbox import botapi, control, page
from bot.sandbox.citizen import ControlError
from bot.sandbox.state import SandboxState
from bot.settings import SANDBOX_BOT_TOKEN


def create_app(*, token: str = SANDBOX_BOT_TOKEN, bot_username: str = "tiepdan_bot") -> Starlette:
    """Build the sandbox app; its state is at `app.state.sandbox`."""
    app = Starlette(
        routes=[*botapi.routes, *control.routes, *page.routes],
        exception_handlers={ControlError: control.citizen_error},
    )
    app.state.sandbox = SandboxState(token=token, bot_username=bot_username)
    return app


def bind_socket(host: str, port: int) -> socket.socket:
    """Listen on host:port (0 picks a free port), failing with a clear OSError when taken."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
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


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the caller owns SIGINT/SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Leave signal handling to the caller."""
        yield


async def serve_app(app: Starlette, sock: socket.socket) -> None:
    """Serve the app on a listening socket until cancelled, then shut down cleanly."""
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=3)
    server = _Server(config)
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

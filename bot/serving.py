"""uvicorn as the project runs it: inside a process that owns its signals."""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any, Literal

import uvicorn

# Seconds an idle connection is kept open. Longer than any client's own idle expiry
# (httpx, and so PTB, drops a pooled connection after 5 s; nginx upstreams after 60 s), so
# the client always closes first: a server closing at the very moment a client reuses the
# connection loses that request as a read error, which for a Bot API call means "may have
# been delivered" and no resend.
KEEP_ALIVE = 75


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: `tiepdan run` (or the test) owns SIGINT
    and SIGTERM and stops every server together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Leave signal handling to the caller."""
        yield


def quiet_server(app: Any, *, lifespan: Literal["on", "off"] = "off") -> QuietServer:
    """A `QuietServer` for `app` as every server of the project runs: warnings only,
    uvicorn's loggers in the process's log format (bot.ops.logs), idle connections kept
    longer than clients keep them, three seconds to finish requests in progress on the
    way out."""
    config = uvicorn.Config(
        app,
        log_level="warning",
        log_config=None,
        lifespan=lifespan,
        timeout_keep_alive=KEEP_ALIVE,
        timeout_graceful_shutdown=3,
    )
    return QuietServer(config)

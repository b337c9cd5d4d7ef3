"""uvicorn as the project runs it: inside a process that owns its signals."""

from __future__ import annotations

import contextlib
from collections.abc import Generator

import uvicorn


class QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: `tiepdan run` (or the test) owns SIGINT
    and SIGTERM and stops every server together."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        """Leave signal handling to the caller."""
        yield

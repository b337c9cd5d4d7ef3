"""Keeping the Rasa server up: wait for it at start-up, and start it again whenever it exits.

The bot never waits on this: while the server is down or loading, citizens get the polite
"understanding is unavailable" reply and the rest of the bot (menus, cases) works as usual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from enum import Enum

from nlu.server import RasaServer

log = logging.getLogger(__name__)

START_TIMEOUT = 180.0
START_ATTEMPTS = 3
# Waits before each restart after consecutive crashes; a server that stayed up for
# STABLE_AFTER seconds starts the sequence again from the first.
RESTART_DELAYS = (1.0, 5.0, 15.0, 60.0)
STABLE_AFTER = 300.0


class Outcome(Enum):
    READY = "ready"
    EXITED = "exited"
    STOPPED = "stopped"
    TIMED_OUT = "timed out"


class RasaSupervisor:
    """Starts a `RasaServer`, waits until `ready()` is true, restarts it when it exits.

    The server it keeps up can be replaced while it watches (a model switch): from then
    on the new one is restarted when it exits, and the old one is left alone.
    """

    def __init__(
        self,
        server: RasaServer,
        ready: Callable[[], Awaitable[bool]],
        *,
        start_timeout: float = START_TIMEOUT,
        start_attempts: int = START_ATTEMPTS,
        restart_delays: tuple[float, ...] = RESTART_DELAYS,
        poll_interval: float = 1.0,
    ) -> None:
        self._server = server
        self._ready = ready
        self._start_timeout = start_timeout
        self._start_attempts = start_attempts
        self._restart_delays = restart_delays
        self._poll = poll_interval

    @property
    def server(self) -> RasaServer:
        """The server kept up now."""
        return self._server

    def replace(self, server: RasaServer) -> RasaServer:
        """Keep `server` up from now on (it is already running); return the previous one,
        which the caller stops."""
        previous, self._server = self._server, server
        return previous

    async def start(self, stop: asyncio.Event) -> None:
        """Start the server and wait until it answers with its model loaded.

        A server that exits during start-up is started again, up to `start_attempts`
        times in all, then RuntimeError (with the end of its log). One that is still
        loading after `start_timeout` is left to finish while the bot starts anyway.
        """
        for attempt in range(1, self._start_attempts + 1):
            self._server.start()
            outcome = await self._until_ready(stop)
            if outcome is Outcome.READY:
                log.info("Rasa NLU server ready")
            if outcome is Outcome.TIMED_OUT:
                log.error(
                    "Rasa did not become ready in %.0f s; the bot starts anyway",
                    self._start_timeout,
                )
            if outcome is not Outcome.EXITED:
                return
            if attempt == self._start_attempts:
                raise RuntimeError(
                    f"the Rasa server exited during start-up {attempt} times "
                    f"(exit code {self._server.exit_code}); the end of its log:\n"
                    + self._server.log_tail()
                )
            log.warning(
                "The Rasa server exited during start-up (exit code %s); starting it again "
                "(attempt %d of %d). The end of its log:\n%s",
                self._server.exit_code, attempt + 1, self._start_attempts,
                self._server.log_tail(),
            )  # fmt: skip

    async def watch(self, stop: asyncio.Event) -> None:
        """Until `stop` is set: start the server again whenever it exits, waiting longer
        after each crash that follows a short run."""
        crashes = 0
        up_since = time.monotonic()
        watched = self._server
        while not await wait_stop(stop, self._poll):
            if watched is not self._server:  # replaced: a new server, a new sequence
                watched, crashes, up_since = self._server, 0, time.monotonic()
            if watched.running:
                continue
            if time.monotonic() - up_since >= STABLE_AFTER:
                crashes = 0
            delay = self._restart_delays[min(crashes, len(self._restart_delays) - 1)]
            crashes += 1
            log.error(
                "The Rasa NLU server exited (exit code %s); starting it again in %.0f s. "
                "The end of its log:\n%s",
                watched.exit_code, delay, watched.log_tail(),
            )  # fmt: skip
            if await wait_stop(stop, delay):
                return
            if watched is not self._server or watched.running:
                continue  # replaced meanwhile: the old one is not ours to restart
            watched.start()
            up_since = time.monotonic()
            if await self._until_ready(stop) is Outcome.READY:
                log.info("Rasa NLU server ready again")

    async def _until_ready(self, stop: asyncio.Event) -> Outcome:
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            if stop.is_set():
                return Outcome.STOPPED
            if not self._server.running:
                return Outcome.EXITED
            if await self._ready():
                return Outcome.READY
            await wait_stop(stop, self._poll)
        return Outcome.TIMED_OUT


async def wait_stop(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep up to `seconds`, waking early when `stop` is set; True if it is."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    return stop.is_set()

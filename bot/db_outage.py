"""Telling a lost database connection from a bug, and logging an outage once, not every tick."""

from __future__ import annotations

import functools
import logging
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import psycopg
from sqlalchemy import exc as sa

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Awaitable[None]])

# Errors that mean "the server is gone or unreachable", whatever the statement was.
_CONNECTION_ERRORS = (
    sa.OperationalError,
    sa.InterfaceError,
    sa.DisconnectionError,
    sa.TimeoutError,  # the pool found no connection in time
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


def is_connection_error(error: BaseException | None) -> bool:
    """True when `error` (or what caused it) is a lost or refused database connection."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, sa.DBAPIError) and error.connection_invalidated:
            return True
        if isinstance(error, _CONNECTION_ERRORS):
            return not _sqlite_bug(error)
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _sqlite_bug(error: BaseException) -> bool:
    """SQLite reports a missing table as an OperationalError too: that is a bug, not an
    outage; only a locked, busy or unreadable file counts as one."""
    original = error.orig if isinstance(error, sa.DBAPIError) else error
    if not isinstance(original, sqlite3.Error):
        return False
    text = str(original).lower()
    return not any(word in text for word in ("locked", "busy", "unable to open", "disk i/o"))


class OutageLog:
    """Remembers which parts currently see the database down, so each logs once per outage."""

    def __init__(self) -> None:
        self._down: set[str] = set()

    def failed(self, who: str, error: BaseException) -> None:
        """Log the first failure of `who` in this outage; later ones only at debug level."""
        if who in self._down:
            log.debug("%s: database still unavailable (%s)", who, type(error).__name__)
            return
        self._down.add(who)
        log.warning(
            "%s: database unavailable (%s: %s); retrying quietly until it is back",
            who,
            type(error).__name__,
            str(error).splitlines()[0] if str(error) else "",
        )

    def recovered(self, who: str) -> None:
        """Log that `who` reached the database again, if it had failed."""
        if who in self._down:
            self._down.discard(who)
            log.info("%s: database available again", who)

    def is_down(self, who: str) -> bool:
        """Whether `who` last saw the database down."""
        return who in self._down


OUTAGES = OutageLog()


def survives_outage(who: str, retry_in: float | None = None) -> Callable[[F], F]:
    """Wrap a job: a lost database connection is logged once per outage and the job runs
    again at its next tick (or, for a daily job, `retry_in` seconds later); any other
    error goes on to the error handler."""

    def wrap(job: F) -> F:
        @functools.wraps(job)
        async def run(context: Any) -> None:
            try:
                await job(context)
            except Exception as error:
                if not is_connection_error(error):
                    raise
                OUTAGES.failed(who, error)
                if retry_in is not None and context.job_queue is not None:
                    context.job_queue.run_once(run, when=retry_in, name=f"{who}-retry")
                return
            OUTAGES.recovered(who)

        return run  # type: ignore[return-value]

    return wrap

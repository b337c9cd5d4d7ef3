"""Requests refused for a wrong or missing secret, logged without flooding the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

# Refusals after the first are summed up in one line at most this often (seconds).
SUMMARY_INTERVAL = 60.0


class RefusalLog:
    """Logs the first refused request at once, then how many more were refused, at most once
    per `interval` (when the next refusal comes, or at `flush`), never one line per request."""

    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval: float = SUMMARY_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = logger
        self._interval = interval
        self._clock = clock
        self._logged_at: float | None = None
        self._unlogged = 0

    def refused(self, peer: str) -> None:
        """Count one refused request from `peer` (the proxy's or the client's address)."""
        now = self._clock()
        if self._logged_at is None:
            self._logged_at = now
            self._log.warning(
                "Webhook: refused a request from %s without the right secret token "
                "(X-Telegram-Bot-Api-Secret-Token); further refusals are counted, "
                "not logged one by one",
                peer,
            )
            return
        self._unlogged += 1
        if now - self._logged_at >= self._interval:
            self.flush()

    def flush(self) -> None:
        """Log the refusals counted since the last line, if any."""
        if self._unlogged:
            since = self._clock() - (self._logged_at or 0.0)
            self._log.warning(
                "Webhook: refused %d more requests without the right secret token "
                "in the last %.0f s",
                self._unlogged,
                since,
            )
            self._unlogged = 0
            self._logged_at = self._clock()

"""Slowing log-in brute force per client address (the per-account lockout is in the DB)."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class LoginThrottle:
    """At most `limit` failed log-ins per address within `window` seconds."""

    limit: int = 10
    window: float = 300.0
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, address: str, now: float | None = None) -> int:
        """Seconds the address must wait before trying again (0: it may try now)."""
        moment = time.monotonic() if now is None else now
        failures = self._failures.get(address)
        if not failures:
            return 0
        while failures and failures[0] <= moment - self.window:
            failures.popleft()
        if len(failures) < self.limit:
            return 0
        return max(1, int(failures[0] + self.window - moment) + 1)

    def failed(self, address: str, now: float | None = None) -> None:
        """Count one failed attempt."""
        moment = time.monotonic() if now is None else now
        self._failures.setdefault(address, deque()).append(moment)
        if len(self._failures) > 10_000:  # bounded memory under a spray of addresses
            self._failures.pop(next(iter(self._failures)))

    def succeeded(self, address: str) -> None:
        """Forget the address's failures."""
        self._failures.pop(address, None)

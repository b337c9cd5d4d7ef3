"""Injected Bot API faults (429, 5xx, slow answers) and the log of calls the bot made."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any

JSON = dict[str, Any]

# Matches every method; handy to simulate a whole outage.
ANY_METHOD = "*"


@dataclass
class Fault:
    """Answer the next `remaining` calls of `method` with an error status or after a delay."""

    method: str
    remaining: int
    status: int | None = None
    retry_after: int = 1
    delay: float = 0.0
    description: str | None = None

    def matches(self, method: str) -> bool:
        """True when this fault applies to a call of `method` (names are case-insensitive)."""
        return self.method == ANY_METHOD or self.method.lower() == method.lower()

    def error_body(self) -> JSON:
        """The Bot API error object Telegram would send for this status."""
        status = self.status or HTTPStatus.INTERNAL_SERVER_ERROR
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            return {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {self.retry_after}",
                "parameters": {"retry_after": self.retry_after},
            }
        description = self.description or _default_description(status)
        return {"ok": False, "error_code": status, "description": description}

    def as_json(self) -> JSON:
        """The fault as the control API shows it."""
        return asdict(self)


def _default_description(status: int) -> str:
    if status == HTTPStatus.BAD_REQUEST:
        return "Bad Request: injected fault"
    if status == HTTPStatus.FORBIDDEN:
        return "Forbidden: bot was blocked by the user"
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown Error"


class FaultPlan:
    """The queue of pending faults, consumed one call at a time in the order they were added."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Queue a fault."""
        self._faults.append(fault)

    def clear(self) -> None:
        """Drop every pending fault."""
        self._faults.clear()

    def take(self, method: str) -> Fault | None:
        """The fault that applies to this call of `method`, counting it as used."""
        for fault in self._faults:
            if fault.matches(method):
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def as_json(self) -> list[JSON]:
        """Pending faults as the control API shows them."""
        return [fault.as_json() for fault in self._faults]


@dataclass(frozen=True)
class Call:
    """One Bot API request and the HTTP status it was answered with."""

    method: str
    status: int
    at: float
    duration: float


class CallLog:
    """The most recent Bot API calls, oldest first."""

    def __init__(self, limit: int = 5000) -> None:
        self._calls: deque[Call] = deque(maxlen=limit)

    def record(self, *, method: str, status: int, started: float) -> None:
        """Log a call that began at wall-clock time `started`."""
        now = time.time()
        self._calls.append(Call(method, status, round(started, 3), round(now - started, 3)))

    def clear(self) -> None:
        """Forget every call."""
        self._calls.clear()

    def as_json(self, method: str | None = None) -> list[JSON]:
        """Calls (optionally of one method, case-insensitive) as the control API shows them."""
        wanted = method.lower() if method else None
        return [asdict(c) for c in self._calls if wanted is None or c.method.lower() == wanted]

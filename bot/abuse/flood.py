"""Per-chat inbound rate limiting: a sliding one-minute window of each chat's updates.

A chat within its budget passes; the first update over it earns one slow-down notice;
the rest are dropped silently until the window has room again. Kept in memory: a
restart forgives everyone, which is what a limit meant to protect the NLU needs.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

WINDOW = 60.0  # seconds
_SWEEP_EVERY = 1000  # admissions between sweeps of chats that went quiet


class Verdict(StrEnum):
    """What to do with one inbound update."""

    PASS = "pass"
    WARN = "warn"  # over the budget for the first time in this window: say so once
    DROP = "drop"


@dataclass
class _Chat:
    seen: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGate:
    """Counts each chat's updates over the last minute against `per_minute`."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._chats: dict[int, _Chat] = {}
        self._admissions = 0

    def admit(self, chat_id: int) -> Verdict:
        """Count one update of `chat_id` and say whether it may be handled."""
        now = self.clock()
        self._admissions += 1
        if self._admissions % _SWEEP_EVERY == 0:
            self._sweep(now)
        chat = self._chats.setdefault(chat_id, _Chat())
        _forget_before(chat.seen, now - WINDOW)
        if len(chat.seen) < self.per_minute:
            chat.seen.append(now)
            chat.warned = False
            return Verdict.PASS
        if chat.warned:
            return Verdict.DROP
        chat.warned = True
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        for chat in self._chats.values():
            _forget_before(chat.seen, now - WINDOW)
        for chat_id in [c for c, chat in self._chats.items() if not chat.seen]:
            del self._chats[chat_id]


def _forget_before(seen: deque[float], cutoff: float) -> None:
    while seen and seen[0] <= cutoff:
        seen.popleft()

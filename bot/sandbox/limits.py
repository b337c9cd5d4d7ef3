"""Telegram's outbound limits, enforced by the sandbox when switched on (off by default:
most tests send faster than Telegram would allow).

Like Telegram: about 30 messages a second per bot; about one a second per private chat,
short bursts allowed; 20 a minute per group. Each is a token bucket; a send that finds
one empty is refused with 429 and the seconds until it would pass as `retry_after`. Every
refusal is counted, and so is every send to a chat that came back before its chat's
retry_after was over (a bot that does not honour retry_after).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.ratelimit import PER_CHAT_BURST, PER_CHAT_PER_SECOND

JSON = dict[str, Any]

# Methods that put a message into a chat (what Telegram's limits count).
SENDING = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "sendlocation",
        "sendmediagroup",
        "sendvoice",
        "sendsticker",
        "copymessage",
        "forwardmessage",
    }
)
OVERALL_PER_SECOND = 30.0
GROUP_PER_MINUTE = 20.0


@dataclass
class Bucket:
    """A token bucket: `capacity` tokens, refilled at `per_second`."""

    capacity: float
    per_second: float
    tokens: float = -1.0  # full on first use
    stamp: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds until a token is available (0: one is there now)."""
        self._refill(now)
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.per_second

    def take(self, now: float) -> None:
        """Use one token (call after `wait` returned 0)."""
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        if self.tokens < 0:
            self.tokens, self.stamp = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now


@dataclass
class OutboundLimits:
    """The limits, their switch, and the count of 429s they caused."""

    enabled: bool = False
    overall_per_second: float = OVERALL_PER_SECOND
    chat_burst: int = PER_CHAT_BURST
    chat_per_second: float = PER_CHAT_PER_SECOND
    group_per_minute: float = GROUP_PER_MINUTE
    clock: Callable[[], float] = time.monotonic
    refused: int = 0
    ignored_retry_after: int = 0
    _overall: Bucket | None = None
    _chats: dict[int, Bucket] = field(default_factory=dict)
    _retry_at: dict[int, float] = field(default_factory=dict)

    def check(self, method: str, chat_id: str | None) -> int | None:
        """Count a call: None when it may pass, else the retry_after (whole seconds, at
        least 1, as Telegram gives it). Only sends to a numeric chat id are limited."""
        if not self.enabled or method.lower() not in SENDING:
            return None
        try:
            chat = int(chat_id or "")
        except ValueError:
            return None
        now = self.clock()
        if now < self._retry_at.get(chat, 0.0):
            self.ignored_retry_after += 1
        buckets = [self._overall_bucket(), self._chat_bucket(chat)]
        wait = max(bucket.wait(now) for bucket in buckets)
        if wait > 0:
            self.refused += 1
            retry_after = max(1, math.ceil(wait))
            self._retry_at[chat] = now + retry_after
            return retry_after
        for bucket in buckets:
            bucket.take(now)
        return None

    def _overall_bucket(self) -> Bucket:
        if self._overall is None:
            self._overall = Bucket(self.overall_per_second, self.overall_per_second)
        return self._overall

    def _chat_bucket(self, chat: int) -> Bucket:
        bucket = self._chats.get(chat)
        if bucket is None:
            if chat < 0:  # a group: 20 a minute, all at once if it likes
                bucket = Bucket(self.group_per_minute, self.group_per_minute / 60)
            else:
                bucket = Bucket(self.chat_burst, self.chat_per_second)
            self._chats[chat] = bucket
        return bucket

    def configure(self, **values: Any) -> None:
        """Change the switch or the rates (buckets start full again)."""
        for name, value in values.items():
            setattr(self, name, value)
        self._overall = None
        self._chats.clear()
        self._retry_at.clear()

    def reset(self) -> None:
        """Forget the buckets and the counts (the switch stays as it is)."""
        self.refused = self.ignored_retry_after = 0
        self._overall = None
        self._chats.clear()
        self._retry_at.clear()

    def as_json(self) -> JSON:
        """The limits as the control API shows them."""
        return {
            "enabled": self.enabled,
            "overall_per_second": self.overall_per_second,
            "chat_burst": self.chat_burst,
            "chat_per_second": self.chat_per_second,
            "group_per_minute": self.group_per_minute,
            "refused": self.refused,
            "ignored_retry_after": self.ignored_retry_after,
        }

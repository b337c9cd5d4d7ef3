"""Unfinished citizen input kept in user_data between messages, and when each was touched.

A draft, a supplement being written or a rating awaiting its comment is "pending". Each
carries a timestamp (in user_data under STAMPS_KEY) so a quiet conversation lets go of
the citizen's next question, and the daily purge deletes what was left for days.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from bot.cases.clock import as_utc, utcnow
from bot.cases.draft import DRAFT_KEY

SUPPLEMENT_KEY = "case_supplement"
RATING_KEY = "case_rating"
STAMPS_KEY = "touched_at"
# The conversation each pending input belongs to: its persisted state goes with it.
CONVERSATIONS = {
    DRAFT_KEY: "case_intake",
    SUPPLEMENT_KEY: "case_supplement",
    RATING_KEY: "case_rating",
}
UserData = MutableMapping[Any, Any]


def touch(user_data: UserData, key: str, now: datetime | None = None) -> None:
    """Stamp the pending input `key` as used now (or drop its stamp when it is gone)."""
    stamps = dict(user_data.get(STAMPS_KEY) or {})
    if key in user_data:
        stamps[key] = (now or utcnow()).isoformat()
    else:
        stamps.pop(key, None)
    if stamps:
        user_data[STAMPS_KEY] = stamps
    else:
        user_data.pop(STAMPS_KEY, None)


def touched_at(user_data: UserData, key: str) -> datetime | None:
    """When the pending input `key` was last used, if it was stamped."""
    stamp = (user_data.get(STAMPS_KEY) or {}).get(key)
    return as_utc(datetime.fromisoformat(stamp)) if isinstance(stamp, str) else None


def is_quiet(user_data: UserData, key: str, quiet: timedelta, now: datetime | None = None) -> bool:
    """True when `key` has not been used for longer than `quiet`."""
    moment = touched_at(user_data, key)
    return moment is not None and (now or utcnow()) - moment > quiet


def expired(user_data: UserData, cutoff: datetime, unstamped: datetime) -> list[str]:
    """The pending inputs last used before `cutoff` (`unstamped` stands in for a missing
    stamp, e.g. the time the row was last written)."""
    return [
        key
        for key in CONVERSATIONS
        if key in user_data and (touched_at(user_data, key) or as_utc(unstamped)) < cutoff
    ]


def drop(user_data: UserData, keys: list[str]) -> None:
    """Forget pending inputs and their stamps."""
    for key in keys:
        user_data.pop(key, None)
        touch(user_data, key)

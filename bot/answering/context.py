"""What a citizen's conversation is about: the last procedure answered, for follow-ups.

Kept in the chat's user_data (persisted like other conversation state, so it survives a
restart). A question answered outright, a suggestion or aspect button remembers its
procedure; small talk and greetings keep it ("cảm ơn" … "thế còn lệ phí?");
the menu and any other reply forget it; it lapses after a quiet gap.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from bot.cases.clock import as_utc, utcnow

CONTEXT_KEY = "answer_context"
# The reply actions (bot/answering/service.py `Action`) that leave the subject as it was.
KEEPS_CONTEXT = frozenset({"greet", "smalltalk"})


def subject_after(action: str, intent: str | None, previous: str | None) -> str | None:
    """What the conversation is about after a reply of `action` about `intent`: the
    procedure just answered (a follow-up too); after small talk or a greeting, still
    `previous`; after anything else (suggestions, a referral, a complaint), nothing."""
    if action == "faq" and intent is not None:
        return intent
    return previous if action in KEEPS_CONTEXT else None


def remember(user_data: MutableMapping[str, Any], intent: str, now: datetime | None = None) -> None:
    """The conversation is now about `intent`."""
    user_data[CONTEXT_KEY] = {"intent": intent, "at": (now or utcnow()).isoformat()}


def forget(user_data: MutableMapping[str, Any]) -> None:
    """The conversation is about nothing in particular (the menu, another subject)."""
    user_data.pop(CONTEXT_KEY, None)


def recall(
    user_data: MutableMapping[str, Any], *, gap: timedelta, now: datetime | None = None
) -> str | None:
    """The procedure last discussed, if the citizen spoke of it less than `gap` ago."""
    stored = user_data.get(CONTEXT_KEY)
    if not isinstance(stored, dict) or not isinstance(stored.get("intent"), str):
        return None
    try:
        at = as_utc(datetime.fromisoformat(str(stored.get("at"))))
    except ValueError:
        return None
    if (now or utcnow()) - at >= gap:
        return None
    return str(stored["intent"])

"""What a citizen's conversation is about: the last procedure answered, for follow-ups.

Kept in the chat's user_data (persisted like other conversation state, so it survives a
restart). A question answered outright, a suggestion or aspect button remembers its
procedure; small talk, greetings and replies that answer nothing (suggestions, "not
understood", off-topic) keep it ("cảm ơn" … "thế còn lệ phí?"; "bố đưa đi được không"
→ suggestions → "cháu có phải chụp ảnh không"); the menu, a referral, a complaint or a
status request forget it; it lapses after a quiet gap.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime, timedelta
from typing import Any

from bot.cases.clock import as_utc, utcnow

CONTEXT_KEY = "answer_context"
# The reply actions (bot/answering/service.py `Action`) that leave the subject as it was:
# none of them is about another subject (docs/nlu-choices.md: keeping it after
# suggestions, measured on the development dialogues).
KEEPS_CONTEXT = frozenset({"greet", "smalltalk", "fallback"})


def subject_after(action: str, intent: str | None, previous: str | None) -> str | None:
    """What the conversation is about after a reply of `action` about `intent`: the
    procedure just answered (a follow-up too); after small talk, a greeting or a reply
    that answers nothing (suggestions, a decline), still `previous`; after a referral, a
    complaint or a status request, nothing."""
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

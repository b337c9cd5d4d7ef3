"""The ledger of handled updates (`processed_updates`).

Telegram delivers a webhook update again until an instance answers 200. An instance
answers once the update is handled (bot/webhook); if it dies before answering, the retry
reaches the other instance, which must not handle the update a second time when the first
got as far as replying. With several processes on PostgreSQL, each update is looked up and
recorded under its chat's lock, as its turn starts and ends (bot/ordering/turns.py).
What is left: an instance killed between sending its reply and recording the update (its
conversation state is written first, then the record: milliseconds, more under load)
makes the retry reply again. Recording before replying would instead lose the reply, or
the state, in that window.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.ordering.models import ProcessedUpdate

# Telegram gives up redelivering an update after about a day; a week is plenty.
KEEP = timedelta(days=7)


def forget_old(*, session: Session, now: datetime | None = None) -> int:
    """Delete records older than `KEEP` (the daily purge); returns how many."""
    cutoff = (now or utcnow()) - KEEP
    result = session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)

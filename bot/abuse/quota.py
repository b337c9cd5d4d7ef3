"""How many cases one chat may lodge a day (a rolling 24 hours)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.models import Case

DAY = timedelta(hours=24)


def cases_last_day(*, session: Session, chat_id: int, now: datetime | None = None) -> int:
    """The cases `chat_id` lodged during the 24 hours before `now`."""
    since = (now or utcnow()) - DAY
    query = select(func.count(Case.id)).where(Case.chat_id == chat_id, Case.received_at > since)
    return session.scalar(query) or 0


def over_daily_cap(*, session: Session, chat_id: int, cap: int) -> int | None:
    """The day's count when `chat_id` may lodge no more cases today, else None."""
    count = cases_last_day(session=session, chat_id=chat_id)
    return count if count >= cap else None

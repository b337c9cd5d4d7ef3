"""The office's local time (Vietnam, UTC+7 all year) and UTC helpers for stored timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

OFFICE_TZ = timezone(timedelta(hours=7), "ICT")


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored timestamp as aware UTC (SQLite hands back naive UTC values)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local(moment: datetime) -> datetime:
    """A timestamp in the office's local time."""
    return as_utc(moment).astimezone(OFFICE_TZ)


def local_today(now: datetime | None = None) -> date:
    """Today's date at the office."""
    return local(now or utcnow()).date()

"""Working days: Monday–Friday minus public holidays, plus swapped working Saturdays (data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HOLIDAYS_FILE = Path(__file__).resolve().parent / "data" / "holidays.yml"


@dataclass(frozen=True)
class WorkCalendar:
    """Days off and working Saturdays; years missing from the data count weekends only."""

    days_off: frozenset[date] = field(default_factory=frozenset)
    working_saturdays: frozenset[date] = field(default_factory=frozenset)
    known_years: frozenset[int] = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        """True on a day the office works."""
        if day in self.working_saturdays:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start: date, days: int) -> date:
        """The `days`-th working day after `start` (`start` itself is not counted)."""
        day = start
        for _ in range(days):
            day = self.next_working_day(day)
        return day


def read_calendar(path: Path = HOLIDAYS_FILE) -> WorkCalendar:
    """The calendar described by the data file."""
    raw: dict[int, dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    days_off: set[date] = set()
    saturdays: set[date] = set()
    for year in raw.values():
        days_off.update(year.get("days_off") or [])
        saturdays.update(year.get("working_saturdays") or [])
    return WorkCalendar(frozenset(days_off), frozenset(saturdays), frozenset(raw))


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The calendar from the shipped data file, read once."""
    return read_calendar()


OFFICE_CLOSES = time(17, 0)


def due_date(
    received: datetime, working_days: int, calendar: WorkCalendar, closes: time = OFFICE_CLOSES
) -> date:
    """The deadline `working_days` working days after receipt (local time of the office).

    Rule: a case received on a working day before closing time counts as received that
    day; one received after closing or on a day off counts as received on the next
    working day. The deadline is then the `working_days`-th working day after the day
    of receipt (the day of receipt itself is not counted, as "kể từ ngày nhận được").
    """
    day = received.date()
    if not calendar.is_working_day(day) or received.time() >= closes:
        day = calendar.next_working_day(day)
    return calendar.add_working_days(day, working_days)

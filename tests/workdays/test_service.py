"""Working days from the holiday data: weekends, public holidays and swapped Saturdays."""

from __future__ import annotations

from datetime import date, datetime

from bot.cases.clock import OFFICE_TZ
from bot.workdays.service import default_calendar, due_date, read_calendar

CALENDAR = default_calendar()


def test_the_data_file_knows_2026_and_2027() -> None:
    assert {2026, 2027} <= read_calendar().known_years


def test_holidays_weekends_and_swapped_saturdays() -> None:
    assert not CALENDAR.is_working_day(date(2026, 1, 2))  # swapped day off
    assert CALENDAR.is_working_day(date(2026, 1, 10))  # Saturday worked instead
    assert not CALENDAR.is_working_day(date(2026, 2, 18))  # Tết
    assert not CALENDAR.is_working_day(date(2026, 4, 27))  # Giỗ Tổ moved to Monday
    assert not CALENDAR.is_working_day(date(2026, 11, 29))  # Sunday
    assert CALENDAR.is_working_day(date(2026, 11, 24))  # 24/11 is not a holiday (yet)


def test_ten_working_days_skip_tet() -> None:
    received = datetime(2026, 2, 10, 9, 0, tzinfo=OFFICE_TZ)  # Tuesday before Tết
    # 11, 12, 13 Feb; Tết 16–20 Feb; 23–27 Feb; 2, 3 Mar.
    assert due_date(received, 10, CALENDAR) == date(2026, 3, 3)


def test_after_hours_and_weekends_count_from_the_next_working_day() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=OFFICE_TZ)
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=OFFICE_TZ)
    monday_morning = datetime(2026, 11, 30, 8, 0, tzinfo=OFFICE_TZ)
    assert due_date(friday_evening, 10, CALENDAR) == date(2026, 12, 14)
    assert due_date(sunday, 10, CALENDAR) == date(2026, 12, 14)
    assert due_date(monday_morning, 10, CALENDAR) == date(2026, 12, 14)


def test_new_year_2027_is_skipped() -> None:
    received = datetime(2026, 12, 21, 9, 0, tzinfo=OFFICE_TZ)  # Monday
    # 22, 23, 24, 25, 28, 29, 30, 31 Dec; 1 Jan is a holiday; 4, 5 Jan.
    assert due_date(received, 10, CALENDAR) == date(2027, 1, 5)

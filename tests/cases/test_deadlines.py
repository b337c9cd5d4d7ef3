"""Deadlines: informing, resolving, extensions within the law, how pressing a date is."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.deadlines import (
    check_extension,
    due_soon_condition,
    due_state,
    extended_due,
    inform_due,
    overdue_condition,
    resolve_due,
)
from bot.cases.locking import WorkflowError
from bot.cases.models import Case
from bot.cases.status import CaseKind
from bot.workdays.service import WorkCalendar, default_calendar
from tests.cases.workflow_support import new_case

CAL = default_calendar()
NO_HOLIDAYS = WorkCalendar()
KN, TC, PA = CaseKind.COMPLAINT, CaseKind.DENUNCIATION, CaseKind.PETITION
REASON = "Vụ việc phức tạp, cần xác minh thêm"


def test_inform_within_10_working_days_skipping_the_april_holidays() -> None:
    received = datetime(2026, 4, 23, 3, 0, tzinfo=UTC)  # Thursday 10:00
    assert inform_due(received, CAL) == date(2026, 5, 12)
    assert inform_due(received, NO_HOLIDAYS) == date(2026, 5, 7)


def test_resolution_counts_calendar_days_and_ends_on_a_working_day() -> None:
    assert resolve_due(KN, date(2026, 12, 1), CAL) == date(2026, 12, 31)
    assert resolve_due(PA, date(2026, 12, 1), CAL) == date(2026, 12, 16)
    # 30/08 is a Sunday, 31/08–02/09 the National Day holiday.
    assert resolve_due(TC, date(2026, 7, 31), CAL) == date(2026, 9, 3)
    assert resolve_due(TC, date(2026, 7, 31), NO_HOLIDAYS) == date(2026, 8, 31)


def test_an_extension_moves_the_date_by_calendar_days() -> None:
    assert extended_due(date(2026, 12, 31), 15, CAL) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("kind", "done", "days", "very_complex", "refusal"),
    [
        (KN, 0, 15, False, None),
        (KN, 0, 16, False, "extension_days"),
        (KN, 1, 5, False, "extension_limit"),
        (PA, 0, 15, False, None),
        (PA, 1, 10, False, "extension_limit"),
        (TC, 0, 30, False, None),
        (TC, 0, 31, False, "extension_days"),
        (TC, 1, 30, False, "extension_not_very_complex"),
        (TC, 1, 30, True, None),
        (TC, 2, 10, True, "extension_limit"),
        (KN, 0, 0, False, "extension_days"),
    ],
)
def test_extension_limits(
    kind: CaseKind, done: int, days: int, very_complex: bool, refusal: str | None
) -> None:
    def check() -> None:
        check_extension(kind=kind, done=done, days=days, reason=REASON, very_complex=very_complex)

    if refusal is None:
        check()
    else:
        with pytest.raises(WorkflowError) as refused:
            check()
        assert refused.value.code == refusal
        assert refused.value.message


def test_an_extension_needs_a_real_reason() -> None:
    with pytest.raises(WorkflowError) as refused:
        check_extension(kind=KN, done=0, days=5, reason="  phức tạp ", very_complex=False)
    assert refused.value.code == "extension_reason_short"


FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("due_on", "state"),
    [
        (date(2026, 11, 26), "overdue"),
        (FRIDAY, "due_soon"),
        (date(2026, 11, 30), "due_soon"),
        (date(2026, 12, 1), "due_soon"),  # the 2nd working day after Friday
        (date(2026, 12, 2), "ok"),
    ],
)
def test_due_state(due_on: date, state: str) -> None:
    assert due_state(due_on, FRIDAY, CAL) == state


def test_due_soon_counts_working_days_over_a_holiday() -> None:
    # Thursday 27/08: Friday 28/08 is the 1st working day, Thursday 03/09 the 2nd.
    assert due_state(date(2026, 9, 3), date(2026, 8, 27), CAL) == "due_soon"
    assert due_state(date(2026, 9, 4), date(2026, 8, 27), CAL) == "ok"


def test_inbox_conditions_count_only_open_pressing_cases(db: Session) -> None:
    dues = {
        "late": date(2026, 11, 20),
        "soon": date(2026, 11, 30),
        "later": date(2026, 12, 10),
        "late_closed": date(2026, 11, 20),
        "late_guided": date(2026, 11, 20),
    }
    for name, due_on in dues.items():
        case = new_case(db)
        case.due_on = due_on
        if name == "late_closed":
            case.status, case.due_kind = "closed", "none"
        if name == "late_guided":
            case.status, case.due_kind = "guided", "none"
    db.flush()

    def count(condition: object) -> int:
        return int(db.scalar(select(func.count()).select_from(Case).where(condition)) or 0)

    assert count(overdue_condition(FRIDAY)) == 1
    assert count(due_soon_condition(FRIDAY, CAL)) == 1

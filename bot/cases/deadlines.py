"""Deadlines of a case (domain.md §3): when it is due, how far it may be extended, how late.

- received / classified: inform the citizen within 10 working days of receipt
  (Luật Tiếp công dân art. 28) — `DueKind.INFORM`, set at intake;
- accepted / in progress / extended: resolve within a number of days from acceptance —
  `DueKind.RESOLVE`;
- every other status puts no pressure on the office — `DueKind.NONE` (due_on is kept).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from sqlalchemy import ColumnElement, and_

from bot.cases.clock import local
from bot.cases.locking import WorkflowError
from bot.cases.models import Case
from bot.cases.status import OPEN, CaseKind, CaseStatus
from bot.workdays.service import WorkCalendar, due_date

INFORM_WITHIN_WORKING_DAYS = 10  # Luật Tiếp công dân art. 28
# Calendar days from acceptance, as the laws say "30 ngày".
RESOLVE_DAYS = {
    CaseKind.COMPLAINT: 30,  # Luật Khiếu nại art. 28 (first complaint)
    CaseKind.DENUNCIATION: 30,  # Luật Tố cáo art. 30
    CaseKind.PETITION: 15,  # ⚠️ office rule: no law fixes a time for kiến nghị, phản ánh
}
# How many extensions, and by how many days each at most.
MAX_EXTENSIONS = {CaseKind.COMPLAINT: 1, CaseKind.DENUNCIATION: 2, CaseKind.PETITION: 1}
MAX_EXTENSION_DAYS = {
    CaseKind.COMPLAINT: 15,  # complex case: 45 days in total
    CaseKind.DENUNCIATION: 30,  # the second time only when very complex
    CaseKind.PETITION: 15,  # ⚠️ office rule
}
MIN_REASON_LENGTH = 10
DUE_SOON_WORKING_DAYS = 2

RESOLVING = frozenset({CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.EXTENDED})
INFORMING = frozenset({CaseStatus.RECEIVED, CaseStatus.CLASSIFIED})

DueState = Literal["overdue", "due_soon", "ok"]


class DueKind(StrEnum):
    """What `Case.due_on` is the deadline of."""

    INFORM = "inform"
    RESOLVE = "resolve"
    NONE = "none"


def inform_due(received_at: datetime, calendar: WorkCalendar) -> date:
    """The day by which the citizen must hear what happens to their case."""
    return due_date(local(received_at), INFORM_WITHIN_WORKING_DAYS, calendar)


def end_of_period(start: date, days: int, calendar: WorkCalendar) -> date:
    """`days` calendar days after `start` (not counted); a last day off moves to the next
    working day (Bộ luật Dân sự art. 147–148)."""
    end = start + timedelta(days=days)
    return end if calendar.is_working_day(end) else calendar.next_working_day(end)


def resolve_due(kind: CaseKind, accepted_on: date, calendar: WorkCalendar) -> date:
    """The day by which a case accepted on `accepted_on` must be resolved."""
    return end_of_period(accepted_on, RESOLVE_DAYS[kind], calendar)


def due_after(
    case: Case, status: CaseStatus, *, today: date, calendar: WorkCalendar
) -> tuple[date, DueKind]:
    """The deadline and its kind once `case` moves to `status` on `today`."""
    if status in INFORMING:
        return inform_due(case.received_at, calendar), DueKind.INFORM
    if status is CaseStatus.ACCEPTED:
        return resolve_due(CaseKind(case.kind), today, calendar), DueKind.RESOLVE
    if status in RESOLVING and case.due_kind == DueKind.RESOLVE.value:
        return case.due_on, DueKind.RESOLVE
    if status in RESOLVING:
        # Back from a suspension: the resolution clock restarts from today. ⚠️ The law
        # excludes the suspended time; a leader extends when that is fairer.
        return resolve_due(CaseKind(case.kind), today, calendar), DueKind.RESOLVE
    return case.due_on, DueKind.NONE


def check_extension(
    *, kind: CaseKind, done: int, days: int, reason: str, very_complex: bool
) -> None:
    """Raise WorkflowError unless the law allows one more extension of `days` days."""
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise WorkflowError("extension_reason_short")
    if done >= MAX_EXTENSIONS[kind]:
        raise WorkflowError("extension_limit")
    if not 1 <= days <= MAX_EXTENSION_DAYS[kind]:
        raise WorkflowError("extension_days", max_days=MAX_EXTENSION_DAYS[kind])
    if kind is CaseKind.DENUNCIATION and done >= 1 and not very_complex:
        raise WorkflowError("extension_not_very_complex")


def extended_due(due_on: date, days: int, calendar: WorkCalendar) -> date:
    """The deadline after an extension by `days` calendar days."""
    return end_of_period(due_on, days, calendar)


def due_state(due_on: date, today: date, calendar: WorkCalendar) -> DueState:
    """How pressing a deadline is: past, within 2 working days, or not yet."""
    if due_on < today:
        return "overdue"
    if due_on <= calendar.add_working_days(today, DUE_SOON_WORKING_DAYS):
        return "due_soon"
    return "ok"


def _pressing() -> ColumnElement[bool]:
    return and_(
        Case.status.in_([s.value for s in OPEN]),
        Case.due_kind != DueKind.NONE.value,
    )


def overdue_condition(today: date) -> ColumnElement[bool]:
    """SQL condition: open cases whose deadline has passed."""
    return and_(_pressing(), Case.due_on < today)


def due_soon_condition(today: date, calendar: WorkCalendar) -> ColumnElement[bool]:
    """SQL condition: open cases due today or within the next 2 working days."""
    bound = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
    return and_(_pressing(), Case.due_on >= today, Case.due_on <= bound)


def apply_due(case: Case, status: CaseStatus, *, today: date, calendar: WorkCalendar) -> None:
    """Set `case.due_on` and `case.due_kind` for its move to `status`."""
    due_on, kind = due_after(case, status, today=today, calendar=calendar)
    case.due_on = due_on
    case.due_kind = kind.value

"""The staff inbox: the cases a person may see, filtered, searched, counted and paginated.

Every condition starts from `visible_cases(actor)`; a denouncer's identity is searched
only where `identity_searchable(actor)` allows and never shown in the list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from bot.cases.clock import OFFICE_TZ, local, local_today
from bot.cases.codes import normalize_code
from bot.cases.deadlines import (
    DueKind,
    DueState,
    due_soon_condition,
    due_state,
    overdue_condition,
)
from bot.cases.models import Case
from bot.cases.search import fold
from bot.cases.status import OPEN, CaseKind, CaseStatus
from bot.staff.models import StaffUser
from bot.staff.permissions import identity_searchable, visible_cases
from bot.staff.roles import Actor, Role
from bot.units.models import Unit
from bot.workdays.service import WorkCalendar, default_calendar

PAGE_SIZE = 50
EXCERPT_CHARS = 140
MAX_SEARCH_WORDS = 8
ALL_STATUSES = frozenset(CaseStatus)
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"
# The content fields a row's excerpt is made of, most telling first (never identity).
_EXCERPT_FIELDS = ("content", "violation", "accused", "act", "request", "issuer")
_MASK = "•••"


class DueFilter(StrEnum):
    """Deadline filters: past due, or due within two working days (open cases only)."""

    OVERDUE = "overdue"
    SOON = "soon"


class InboxSort(StrEnum):
    """Row orders: soonest due first (default), oldest or newest received first."""

    DUE = "due"
    RECEIVED = "received"
    RECEIVED_DESC = "-received"


@dataclass(frozen=True)
class InboxQuery:
    """What the person asked for; the defaults are the open cases, soonest due first."""

    kinds: frozenset[CaseKind] = frozenset()
    statuses: frozenset[CaseStatus] = OPEN
    unit: str | None = None
    assignee: str | int | None = None  # ASSIGNEE_ME, ASSIGNEE_NONE or a staff id
    due: DueFilter | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    sort: InboxSort = InboxSort.DUE
    page: int = 1


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox (no identity of the citizen)."""

    code: str
    kind: str
    status: str
    unit_code: str
    received_at: datetime
    due_on: date
    due_state: DueState | None
    assigned_to: str | None
    excerpt: str


@dataclass(frozen=True)
class InboxPage:
    """One page of rows, the total, and the count of each status under the other filters."""

    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    counts: dict[CaseStatus, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Choice:
    """A value a filter may take and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class InboxChoices:
    """What the person may filter by: the units they see and who cases may be assigned to."""

    units: list[Choice]
    staff: list[Choice]


def inbox_choices(*, session: Session, actor: Actor) -> InboxChoices:
    """The units `actor` sees and the active officers and leaders of those units."""
    units = select(Unit.code, Unit.name).order_by(Unit.position, Unit.code)
    staff = (
        select(StaffUser.id, StaffUser.display_name, StaffUser.username, StaffUser.unit_code)
        .where(
            StaffUser.active.is_(True),
            StaffUser.role.in_([Role.OFFICER.value, Role.LEADER.value]),
            StaffUser.unit_code.is_not(None),
        )
        .order_by(StaffUser.unit_code, StaffUser.display_name, StaffUser.username)
    )
    if not actor.all_units:
        units = units.where(Unit.code == actor.unit_code)
        staff = staff.where(StaffUser.unit_code == actor.unit_code)
    return InboxChoices(
        units=[Choice(code, name) for code, name in session.execute(units)],
        staff=[
            Choice(str(id_), f"{name or username} ({unit})")
            for id_, name, username, unit in session.execute(staff)
        ],
    )


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_condition(actor: Actor, q: str) -> ColumnElement[bool] | None:
    """Every word of `q` in the folded code, content or address (or in the identity, where
    `actor` may search it); a tracking code typed loosely ("qh26110042") matches too."""
    words = fold(q).split()[:MAX_SEARCH_WORDS]
    if not words:
        return None
    identity_ok = identity_searchable(actor)
    per_word = [
        or_(
            Case.search_text.like(_like(word), escape="\\"),
            and_(Case.search_identity.like(_like(word), escape="\\"), identity_ok),
        )
        for word in words
    ]
    condition = and_(*per_word)
    code = normalize_code(q.strip())
    return or_(Case.code == code, condition) if code else condition


def _day_start(day: date) -> datetime:
    """Midnight at the office on `day`, in UTC (how timestamps are stored and compared)."""
    return datetime.combine(day, time(0), OFFICE_TZ).astimezone(UTC)


def _assignee_condition(actor: Actor, assignee: str | int) -> ColumnElement[bool]:
    if assignee == ASSIGNEE_ME:
        return Case.assigned_to_id == actor.id
    if assignee == ASSIGNEE_NONE:
        return Case.assigned_to_id.is_(None)
    return Case.assigned_to_id == int(assignee)


def filter_conditions(
    *, actor: Actor, query: InboxQuery, today: date, calendar: WorkCalendar
) -> list[ColumnElement[bool]]:
    """The conditions of every filter except status (counts per status use these)."""
    conditions = [visible_cases(actor)]
    if query.kinds:
        conditions.append(Case.kind.in_(sorted(k.value for k in query.kinds)))
    if query.unit:
        conditions.append(Case.unit_code == query.unit)
    if query.assignee is not None:
        conditions.append(_assignee_condition(actor, query.assignee))
    if query.due is DueFilter.OVERDUE:
        conditions.append(overdue_condition(today))
    elif query.due is DueFilter.SOON:
        conditions.append(due_soon_condition(today, calendar))
    if query.received_from:
        conditions.append(Case.received_at >= _day_start(query.received_from))
    if query.received_to:
        conditions.append(Case.received_at < _day_start(query.received_to + timedelta(days=1)))
    found = search_condition(actor, query.q)
    if found is not None:
        conditions.append(found)
    return conditions


def status_condition(statuses: frozenset[CaseStatus]) -> ColumnElement[bool] | None:
    """The status filter (None when every status is wanted)."""
    if statuses >= ALL_STATUSES:
        return None
    return Case.status.in_(sorted(s.value for s in statuses))


def count_by_status(
    *, session: Session, conditions: list[ColumnElement[bool]]
) -> dict[CaseStatus, int]:
    """How many cases of each status match `conditions` (one grouped query)."""
    stmt = select(Case.status, func.count()).where(*conditions).group_by(Case.status)
    found = {status: int(n) for status, n in session.execute(stmt)}
    return {status: found.get(status.value, 0) for status in CaseStatus}


_ORDER = {
    InboxSort.DUE: (Case.due_on, Case.id),
    InboxSort.RECEIVED: (Case.received_at, Case.id),
    InboxSort.RECEIVED_DESC: (Case.received_at.desc(), Case.id.desc()),
}


def inbox_page(
    *,
    session: Session,
    actor: Actor,
    query: InboxQuery,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> InboxPage:
    """The page of cases `actor` may see matching `query`, with the counts per status."""
    today = today or local_today()
    calendar = calendar or default_calendar()
    conditions = filter_conditions(actor=actor, query=query, today=today, calendar=calendar)
    counts = count_by_status(session=session, conditions=conditions)
    total = sum(n for status, n in counts.items() if status in query.statuses)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(query.page, 1), pages)
    wanted = status_condition(query.statuses)
    if wanted is not None:
        conditions.append(wanted)
    stmt = (
        select(
            Case.code,
            Case.kind,
            Case.status,
            Case.unit_code,
            Case.received_at,
            Case.due_on,
            Case.due_kind,
            Case.details,
            Case.confidential,
            Case.citizen_name,
            Case.citizen_phone,
            Case.citizen_id_number,
            StaffUser.display_name,
            StaffUser.username,
        )
        .outerjoin(StaffUser, StaffUser.id == Case.assigned_to_id)
        .where(*conditions)
        .order_by(*_ORDER[query.sort])
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    rows = [
        InboxRow(
            code=r.code,
            kind=r.kind,
            status=r.status,
            unit_code=r.unit_code,
            received_at=local(r.received_at),
            due_on=r.due_on,
            due_state=_row_due_state(r.status, r.due_kind, r.due_on, today, calendar),
            assigned_to=r.display_name or r.username,
            excerpt=excerpt(
                r.details or {},
                hidden=(r.citizen_name, r.citizen_phone, r.citizen_id_number)
                if r.confidential
                else (),
            ),
        )
        for r in session.execute(stmt)
    ]
    return InboxPage(rows=rows, total=total, page=page, pages=pages, counts=counts)


def _row_due_state(
    status: str, due_kind: str, due_on: date, today: date, calendar: WorkCalendar
) -> DueState | None:
    """How pressing the row's deadline is; None when nothing is expected of the office."""
    if status not in OPEN or due_kind == DueKind.NONE.value:
        return None
    return due_state(due_on, today, calendar)


def excerpt(details: Mapping[str, Any], *, hidden: tuple[str | None, ...] = ()) -> str:
    """The start of a case's content for the list; `hidden` values (a denouncer's name,
    phone, ID number written into the content) are masked."""
    parts = [str(details[key]) for key in _EXCERPT_FIELDS if details.get(key)]
    text = " — ".join(" ".join(p.split()) for p in parts)
    for value in hidden:
        if value and value.strip():
            text = re.sub(re.escape(value.strip()), _MASK, text, flags=re.IGNORECASE)
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"

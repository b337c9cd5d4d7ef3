"""The dashboard's figures for one unit (or all a person may see), one period and one kind."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.cases.clock import as_utc
from bot.cases.deadlines import overdue_condition
from bot.cases.inbox import ALL_STATUSES, InboxQuery
from bot.cases.inbox import filter_conditions as inbox_conditions
from bot.cases.models import Case
from bot.cases.status import CaseKind, CaseStatus
from bot.staff.permissions import Action, Forbidden
from bot.staff.roles import Actor
from bot.texts import console as labels
from bot.texts import reports as texts
from bot.units.models import Unit
from bot.workdays.service import default_calendar

RATING_SCALE = range(1, 6)


@dataclass(frozen=True)
class ReportFilter:
    """Which cases a report or an export covers: received in [date_from, date_to] (local)."""

    date_from: date
    date_to: date
    unit: str | None = None
    kinds: frozenset[CaseKind] = frozenset()

    def params(self) -> dict[str, list[str]]:
        """The filter as query parameters (the inbox's names), for links and the audit log."""
        return {
            "unit": [self.unit] if self.unit else [],
            "kind": sorted(k.value for k in self.kinds),
            "from": [self.date_from.isoformat()],
            "to": [self.date_to.isoformat()],
        }


@dataclass(frozen=True)
class Count:
    """One bar of a chart, one line of a table."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Duration:
    """The median of a time span over `count` cases (None when there are none)."""

    count: int
    median_hours: float | None

    @property
    def median_days(self) -> float | None:
        """The median in days."""
        return None if self.median_hours is None else self.median_hours / 24


@dataclass(frozen=True)
class Ratings:
    """The citizens' ratings (1–5) of cases in the period."""

    count: int
    average: float | None
    distribution: list[Count]


@dataclass(frozen=True)
class Report:
    """Everything the dashboard shows."""

    filter: ReportFilter
    total: int
    by_kind: list[Count]
    by_status: list[Count]
    by_unit: list[Count]
    overdue: int
    first_response: Duration
    closing: Duration
    ratings: Ratings


def this_month(today: date) -> tuple[date, date]:
    """The first and last day of `today`'s month."""
    start = today.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def report_filter(query: InboxQuery, *, today: date) -> ReportFilter:
    """The report of what an inbox-style query asks for.

    No period is this month; only an end date is that date's month up to it; only a
    start date runs until today.
    """
    start, end = query.received_from, query.received_to
    if start is None and end is None:
        start, end = this_month(today)
    elif start is None:
        assert end is not None
        start = end.replace(day=1)
    elif end is None:
        end = max(start, today)
    return ReportFilter(date_from=start, date_to=end, unit=query.unit, kinds=query.kinds)


def visible_units(*, session: Session, actor: Actor) -> list[Unit]:
    """The units whose cases `actor` may see, in display order."""
    stmt = select(Unit).order_by(Unit.position)
    if not actor.all_units:
        stmt = stmt.where(Unit.code == actor.unit_code)
    return list(session.scalars(stmt))


def _inbox_query(report_filter: ReportFilter, *, period: bool) -> InboxQuery:
    return InboxQuery(
        kinds=report_filter.kinds,
        statuses=ALL_STATUSES,
        unit=report_filter.unit,
        received_from=report_filter.date_from if period else None,
        received_to=report_filter.date_to if period else None,
    )


def _conditions(
    actor: Actor, report_filter: ReportFilter, today: date, *, period: bool
) -> list[ColumnElement[bool]]:
    unit = report_filter.unit
    if unit is not None and not (actor.all_units or actor.unit_code == unit):
        raise Forbidden(Action.VIEW)
    return inbox_conditions(
        actor=actor,
        query=_inbox_query(report_filter, period=period),
        today=today,
        calendar=default_calendar(),
    )


def scope_conditions(
    *, actor: Actor, report_filter: ReportFilter, today: date
) -> list[ColumnElement[bool]]:
    """The cases `actor` may see of the filter's unit and kind, received at any time.

    Raises Forbidden when the filter names a unit outside the person's scope.
    """
    return _conditions(actor, report_filter, today, period=False)


def filter_conditions(
    *, actor: Actor, report_filter: ReportFilter, today: date
) -> list[ColumnElement[bool]]:
    """The scope conditions and: received within the filter's period (local dates)."""
    return _conditions(actor, report_filter, today, period=True)


def _grouped(
    session: Session, column: InstrumentedAttribute[str], conditions: list[ColumnElement[bool]]
) -> dict[str, int]:
    stmt = select(column, func.count()).where(*conditions).group_by(column)
    return {str(key): int(value) for key, value in session.execute(stmt)}


def _median_span(
    session: Session,
    end: InstrumentedAttribute[datetime | None],
    conditions: list[ColumnElement[bool]],
) -> Duration:
    stmt = select(Case.received_at, end).where(*conditions, end.is_not(None))
    hours = [
        (as_utc(finished) - as_utc(received)).total_seconds() / 3600
        for received, finished in session.execute(stmt)
        if finished is not None
    ]
    return Duration(len(hours), statistics.median(hours) if hours else None)


def _ratings(session: Session, conditions: list[ColumnElement[bool]]) -> Ratings:
    stmt = (
        select(Case.rating, func.count())
        .where(*conditions, Case.rating.is_not(None))
        .group_by(Case.rating)
    )
    counts = {int(stars): int(n) for stars, n in session.execute(stmt) if stars is not None}
    total = sum(counts.values())
    average = sum(stars * n for stars, n in counts.items()) / total if total else None
    distribution = [
        Count(str(stars), texts.STARS.format(stars=stars), counts.get(stars, 0))
        for stars in RATING_SCALE
    ]
    return Ratings(total, average, distribution)


def build_report(
    *, session: Session, actor: Actor, report_filter: ReportFilter, today: date
) -> Report:
    """The figures of the cases `actor` may see that match `report_filter`."""
    scope = scope_conditions(actor=actor, report_filter=report_filter, today=today)
    conditions = filter_conditions(actor=actor, report_filter=report_filter, today=today)
    kinds = _grouped(session, Case.kind, conditions)
    statuses = _grouped(session, Case.status, conditions)
    per_unit = _grouped(session, Case.unit_code, conditions)
    units = [
        u
        for u in visible_units(session=session, actor=actor)
        if report_filter.unit in (None, u.code)
    ]
    overdue = session.scalar(
        select(func.count()).select_from(Case).where(*scope, overdue_condition(today))
    )
    return Report(
        filter=report_filter,
        total=sum(kinds.values()),
        by_kind=[
            Count(k.value, labels.KIND_LABELS[k.value], kinds.get(k.value, 0)) for k in CaseKind
        ],
        by_status=[
            Count(s.value, labels.STATUS_LABELS[s.value], statuses[s.value])
            for s in CaseStatus
            if statuses.get(s.value)
        ],
        by_unit=[Count(u.code, u.name, per_unit.get(u.code, 0)) for u in units],
        overdue=int(overdue or 0),
        first_response=_median_span(session, Case.first_response_at, conditions),
        closing=_median_span(session, Case.closed_at, conditions),
        ratings=_ratings(session, conditions),
    )

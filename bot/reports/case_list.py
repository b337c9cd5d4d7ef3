"""The inbox's filtered case list as a file (same filters as the inbox page)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.inbox import InboxQuery, status_condition
from bot.cases.inbox import filter_conditions as inbox_conditions
from bot.cases.models import Case
from bot.reports.cells import content, identity, local_date
from bot.reports.exports import Cell, ExportFile, Format, Table, export_table
from bot.staff.models import StaffUser
from bot.staff.roles import Actor
from bot.texts import console as labels
from bot.texts import reports as texts
from bot.units.models import Unit
from bot.workdays.service import default_calendar

ACTION = "export_cases"
WIDTHS = (16, 18, 16, 20, 14, 12, 24, 14, 18, 30, 30, 60, 20, 10)


def query_summary(query: InboxQuery) -> dict[str, Any]:
    """The query as plain values, for the audit log."""
    return {
        "kinds": sorted(query.kinds),
        "statuses": sorted(query.statuses),
        "unit": query.unit,
        "assignee": None if query.assignee is None else str(query.assignee),
        "due": query.due,
        "from": query.received_from.isoformat() if query.received_from else None,
        "to": query.received_to.isoformat() if query.received_to else None,
        "q": query.q,
    }


def case_table(*, session: Session, actor: Actor, query: InboxQuery, today: date) -> Table:
    """Every case `actor` may see matching `query` (not one page), oldest first."""
    conditions = inbox_conditions(
        actor=actor, query=query, today=today, calendar=default_calendar()
    )
    wanted = status_condition(query.statuses)
    if wanted is not None:
        conditions.append(wanted)
    stmt = (
        select(Case, Unit.name, StaffUser.display_name, StaffUser.username)
        .join(Unit, Unit.code == Case.unit_code)
        .outerjoin(StaffUser, StaffUser.id == Case.assigned_to_id)
        .where(*conditions)
        .order_by(Case.received_at, Case.id)
    )
    rows: list[list[Cell]] = []
    for case, unit_name, staff_name, staff_username in session.execute(stmt):
        person = identity(case)
        rows.append(
            [
                case.code,
                labels.KIND_LABELS[case.kind],
                labels.STATUS_LABELS[case.status],
                unit_name,
                local_date(case.received_at),
                case.due_on,
                person.name,
                person.phone,
                person.id_number,
                person.address,
                case.address_detail,
                content(case),
                staff_name or staff_username or "",
                case.rating,
            ]
        )
    return Table(texts.CASES_SHEET, texts.CASES_COLUMNS, rows, WIDTHS)


def export_cases(
    *,
    session: Session,
    actor: Actor,
    query: InboxQuery,
    fmt: Format,
    today: date,
    ip: str | None = None,
) -> ExportFile:
    """The case list as a file; the export is recorded in the audit log."""
    return export_table(
        session=session,
        actor=actor,
        table=case_table(session=session, actor=actor, query=query, today=today),
        fmt=fmt,
        action=ACTION,
        name=texts.CASES_FILE.format(today=today.strftime("%d-%m-%Y")),
        filters=query_summary(query),
        ip=ip,
    )

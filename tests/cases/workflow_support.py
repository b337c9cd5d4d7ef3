"""Builders for the workflow tests: staff accounts as the services see them, cases, outbox."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.models import Case, CaseEvent
from bot.cases.status import CaseKind
from bot.outbox.models import OutboxMessage
from bot.staff.models import StaffUser
from bot.staff.roles import Actor
from bot.staff.service import actor_of
from tests.console.conftest import STAFF
from tests.factories_cases import add_case, case_draft

NOV_27 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 at the office


def add_staff_rows(session: Session) -> dict[str, Actor]:
    """The six accounts (no password hashing: these tests never log in)."""
    actors: dict[str, Actor] = {}
    for username, (role, unit) in STAFF.items():
        user = StaffUser(
            username=username,
            display_name=username,
            role=role.value,
            unit_code=unit,
            password_hash="-",
            active=True,
            failed_logins=0,
        )
        session.add(user)
        session.flush()
        actors[username] = actor_of(user)
    return actors


def new_case(
    session: Session,
    kind: CaseKind = CaseKind.PETITION,
    *,
    unit: str = "QH",
    chat_id: int | None = 7001,
    assigned: Actor | None = None,
    now: datetime = NOV_27,
    anonymous: bool = False,
    notify: bool = True,
) -> Case:
    """A case lodged through the real service, optionally already assigned."""
    case = add_case(
        session,
        chat_id=chat_id,
        draft=case_draft(kind, unit=unit, anonymous=anonymous, notify=notify),
        now=now,
    )
    if assigned is not None:
        case.assigned_to_id = assigned.id
        session.flush()
    return case


def outbox_of(session: Session, case: Case) -> list[OutboxMessage]:
    """The messages queued for the case's citizen, oldest first."""
    stmt = select(OutboxMessage).where(OutboxMessage.case_id == case.id).order_by(OutboxMessage.id)
    return list(session.scalars(stmt))


def events_of(session: Session, case: Case, kind: str | None = None) -> list[CaseEvent]:
    """The case's log (of one kind), oldest first."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    if kind is not None:
        stmt = stmt.where(CaseEvent.kind == kind)
    return list(session.scalars(stmt))

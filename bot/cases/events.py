"""Appending to a case's event log (never updated, never deleted by the bot) and reading it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.models import CaseEvent
from bot.cases.status import EventKind

CITIZEN = "citizen"
SYSTEM = "system"


def append_event(
    *,
    session: Session,
    case_id: int,
    kind: EventKind,
    actor: str,
    text: str | None = None,
    public: bool = False,
    status_from: str | None = None,
    status_to: str | None = None,
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    """Add one entry to the log of case `case_id`."""
    event = CaseEvent(
        case_id=case_id,
        kind=kind.value,
        actor=actor,
        text=text,
        public=public,
        status_from=status_from,
        status_to=status_to,
        data=data or {},
    )
    session.add(event)
    session.flush()
    return event


def latest_public_note(*, session: Session, case_id: int) -> str | None:
    """The newest staff reply or status-change note the citizen may read, if any."""
    kinds = (EventKind.STAFF_REPLY.value, EventKind.STATUS_CHANGED.value)
    stmt = (
        select(CaseEvent.text)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.kind.in_(kinds),
            CaseEvent.public.is_(True),
            CaseEvent.text.is_not(None),
            CaseEvent.text != "",
        )
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)

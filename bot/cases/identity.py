"""Revealing a denouncer's identity (Luật Tố cáo art. 9, 47, 56): entitled people only, logged."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.cases.events import append_event
from bot.cases.locking import load_for
from bot.cases.status import EventKind
from bot.staff.permissions import Action
from bot.staff.roles import Actor

AUDIT_ACTION = "reveal_identity"


@dataclass(frozen=True)
class Identity:
    """The citizen's personal details kept on a case (None once erased or never given)."""

    name: str | None
    phone: str | None
    id_number: str | None
    home_address: str | None


def reveal_identity(
    *, session: Session, actor: Actor, case_id: int, ip: str | None = None
) -> Identity:
    """The identity behind a confidential case, logged on the case and in the audit log."""
    case = load_for(session, actor, case_id, Action.REVEAL_IDENTITY)
    append_event(
        session=session, case_id=case.id, kind=EventKind.IDENTITY_REVEALED, actor=actor.tag
    )
    record(
        session=session,
        actor=actor.tag,
        action=AUDIT_ACTION,
        target_type="case",
        target_id=case.code,
        ip=ip,
    )
    return Identity(
        name=case.citizen_name,
        phone=case.citizen_phone,
        id_number=case.citizen_id_number,
        home_address=case.citizen_address,
    )

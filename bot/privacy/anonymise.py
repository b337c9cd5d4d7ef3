"""Anonymising a case: what erasure on request and the retention period both do.

The register (Sổ tiếp công dân) keeps one row per case: its code, kind, unit, dates,
status and where it was routed. Everything else that came from the citizen or could
quote them goes: identity, address, location, content and captions, the rating comment,
attachments (rows here; files once nothing refers to them, see bot.privacy.scrub), the
texts of the case's events (supplements, messages, staff replies and notes) and of its
outbox messages, a pending one of which is cancelled so it is never delivered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, or_, select, update
from sqlalchemy.orm import Session

from bot.cases.deadlines import DueKind
from bot.cases.events import append_event
from bot.cases.models import Attachment, Case
from bot.cases.status import OPEN, CaseStatus, EventKind
from bot.outbox.models import OutboxMessage
from bot.outbox.service import OutboxStatus

# What an erased outbox message says about why it was not delivered.
ERASED = "erased"
# Event data that carries personal content: file hashes, a reason typed by staff.
_PERSONAL_EVENT_DATA = ("attachments", "reason")


def anonymise_case(
    session: Session, case: Case, *, now: datetime, actor: str, note: str | None
) -> set[str]:
    """Strip `case` down to its register row; returns the hashes of its attachment files.

    An open case is withdrawn first (logged by `actor` with the staff-visible `note`):
    without the citizen's data the office can neither verify nor answer it.
    """
    files = set(session.scalars(select(Attachment.sha256).where(Attachment.case_id == case.id)))
    session.execute(delete(Attachment).where(Attachment.case_id == case.id))
    for event in case.events:
        event.text = None
        data = event.data or {}
        if any(key in data for key in _PERSONAL_EVENT_DATA):
            event.data = {k: v for k, v in data.items() if k not in _PERSONAL_EVENT_DATA}
    if CaseStatus(case.status) in OPEN:
        _withdraw(session, case, actor=actor, note=note)
    case.chat_id = None
    case.citizen_name = case.citizen_phone = case.citizen_id_number = None
    case.citizen_address = None
    case.address_detail = ""
    case.latitude = case.longitude = None
    case.details = {}
    case.rating_comment = None
    case.status_reason = None
    case.consent_notify = False
    case.personal_data_erased_at = now
    silence_outbox(session, OutboxMessage.case_id == case.id)
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.PERSONAL_DATA_ERASED,
        actor=actor,
        text=note,
    )
    session.expire(case, ["attachments"])
    return files


def silence_outbox(session: Session, *where: ColumnElement[bool]) -> int:
    """Blank the texts of the outbox messages matching `where`; a pending one is failed
    with the error "erased" so it is never sent. Returns how many were still pending."""
    condition = or_(*where)
    pending = session.execute(
        update(OutboxMessage)
        .where(condition, OutboxMessage.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.FAILED.value, last_error=ERASED)
    )
    session.execute(update(OutboxMessage).where(condition).values(text="", reply_markup=None))
    return int(getattr(pending, "rowcount", 0) or 0)


def _withdraw(session: Session, case: Case, *, actor: str, note: str | None) -> None:
    previous = case.status
    case.status = CaseStatus.WITHDRAWN.value
    case.due_kind = DueKind.NONE.value
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        status_from=previous,
        status_to=case.status,
        text=note,
        data={"erasure": True},
    )

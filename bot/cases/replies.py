"""What staff write on a case: internal notes, replies to the citizen, and their delivery."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.events import append_event
from bot.cases.locking import clean_text, guarded, load_for
from bot.cases.models import CaseEvent
from bot.cases.service import add_staff_reply
from bot.cases.status import EventKind
from bot.outbox.models import OutboxMessage
from bot.outbox.service import OutboxStatus
from bot.staff.permissions import Action
from bot.staff.roles import Actor

OUTBOX_IDS = "outbox_ids"  # key of a staff_reply / status_changed event's data

Delivery = Literal["queued", "sent", "failed", "declined"]


@dataclass(frozen=True)
class DeliveryState:
    """Whether the citizen got a reply or a status notice; `error` of the last failure."""

    state: Delivery
    error: str | None = None


def add_internal_note(*, session: Session, actor: Actor, case_id: int, text: str) -> CaseEvent:
    """A note for staff only: logged on the case, never sent to the citizen."""
    case = load_for(session, actor, case_id, Action.NOTE)
    return append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.INTERNAL_NOTE,
        actor=actor.tag,
        text=clean_text(text),
        public=False,
    )


def reply_to_citizen(*, session: Session, actor: Actor, case_id: int, text: str) -> CaseEvent:
    """Send the citizen a reply (via the outbox); the event's data lists the messages queued."""
    case = load_for(session, actor, case_id, Action.REPLY)
    body = clean_text(text)
    with guarded():
        if case.first_response_at is None:
            case.first_response_at = utcnow()
        with capture_outbox(session) as queued:
            add_staff_reply(session=session, case_id=case.id, text=body, actor=actor.tag)
        reply = latest_event(session=session, case_id=case.id, kind=EventKind.STAFF_REPLY)
        link_outbox(reply, queued)
        session.flush()
    return reply


@contextmanager
def capture_outbox(session: Session) -> Iterator[list[int]]:
    """Collect the ids of the outbox messages this session stores inside the block."""
    ids: list[int] = []

    def seen(_session: Session, instance: object) -> None:
        if isinstance(instance, OutboxMessage):
            ids.append(instance.id)

    sa_event.listen(session, "pending_to_persistent", seen)
    try:
        yield ids
    finally:
        sa_event.remove(session, "pending_to_persistent", seen)


def link_outbox(event: CaseEvent, outbox_ids: list[int]) -> None:
    """Record on a reply or status event which outbox messages carried it to the citizen."""
    event.data = {**(event.data or {}), OUTBOX_IDS: sorted(outbox_ids)}


def latest_event(*, session: Session, case_id: int, kind: EventKind) -> CaseEvent:
    """The newest event of `kind` on the case (one this transaction just appended)."""
    stmt = (
        select(CaseEvent)
        .where(CaseEvent.case_id == case_id, CaseEvent.kind == kind.value)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).one()


def delivery_state(*, session: Session, event: CaseEvent) -> DeliveryState:
    """Whether the messages of a staff_reply / status_changed event reached the citizen."""
    data: dict[str, Any] = event.data or {}
    ids = data.get(OUTBOX_IDS)
    if ids is None:
        ids = _queued_right_after(session, event)
    if not ids:
        return DeliveryState("declined")
    messages = list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))))
    failed = [m for m in messages if m.status == OutboxStatus.FAILED.value]
    if failed:
        return DeliveryState("failed", failed[0].last_error)
    if len(messages) == len(ids) and all(m.status == OutboxStatus.SENT.value for m in messages):
        return DeliveryState("sent")
    errors = [m.last_error for m in messages if m.last_error]
    return DeliveryState("queued", errors[0] if errors else None)


def _queued_right_after(session: Session, event: CaseEvent) -> list[int]:
    """For events logged before the link existed: the notices queued just after them."""
    following = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.case_id == event.case_id, CaseEvent.id > event.id)
        .order_by(CaseEvent.id)
        .limit(20)
    )
    ids: list[int] = []
    for later in following:
        if later.kind != EventKind.NOTIFICATION_QUEUED.value:
            break
        ids.append(int(later.data["outbox_id"]))
    return ids

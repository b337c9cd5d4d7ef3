"""Following a case up: taking, assigning, moving along the status flow, extending.

Every function checks the version the person's form saw and their permission
(`bot.staff.permissions`), logs what it did on the case as `actor.tag`, and tells the
citizen through the outbox when the change concerns them. This module is the one
entry point of the console's case actions: it re-exports the ones that live in their
own modules (replies and notes, duplicates and splits, identity).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.cases.classify import apply_kind
from bot.cases.clock import local_today, utcnow
from bot.cases.deadlines import (
    RESOLVING,
    DueKind,
    apply_due,
    check_extension,
    extended_due,
)
from bot.cases.events import append_event
from bot.cases.identity import Identity, reveal_identity
from bot.cases.locking import StaleCase, WorkflowError, clean_text, guarded, load_for
from bot.cases.merge import mark_duplicate, split_case
from bot.cases.models import Case, CaseEvent
from bot.cases.replies import (
    DeliveryState,
    add_internal_note,
    capture_outbox,
    delivery_state,
    latest_event,
    link_outbox,
    reply_to_citizen,
)
from bot.cases.service import CaseNotFound, change_status
from bot.cases.status import CaseKind, CaseStatus, EventKind, can_move
from bot.staff.models import StaffUser
from bot.staff.permissions import Action, Forbidden
from bot.staff.roles import Actor
from bot.staff.service import officers_of
from bot.texts import workflow as texts
from bot.workdays.service import WorkCalendar, default_calendar

__all__ = [
    "CaseNotFound",
    "DeliveryState",
    "Forbidden",
    "Identity",
    "StaleCase",
    "WorkflowError",
    "add_internal_note",
    "assign_case",
    "change_case_status",
    "delivery_state",
    "extend_deadline",
    "mark_duplicate",
    "reply_to_citizen",
    "reveal_identity",
    "split_case",
    "take_case",
]

ROUTED_TO_MAX = 300  # the column's size; the event keeps the whole text


def take_case(*, session: Session, actor: Actor, case_id: int, expected_version: int) -> Case:
    """An officer assigns an unassigned case of their unit to themselves."""
    case = load_for(session, actor, case_id, Action.TAKE, expected_version)
    return _assign(session, case, actor, actor.id, actor.username)


def assign_case(
    *, session: Session, actor: Actor, case_id: int, assignee_id: int, expected_version: int
) -> Case:
    """A leader assigns the case to an active officer or leader of the case's unit."""
    case = load_for(session, actor, case_id, Action.ASSIGN, expected_version)
    assignee: StaffUser | None = next(
        (u for u in officers_of(session=session, unit_code=case.unit_code) if u.id == assignee_id),
        None,
    )
    if assignee is None:
        raise WorkflowError("not_assignable")
    if case.assigned_to_id == assignee.id:
        raise WorkflowError("already_assigned")
    return _assign(session, case, actor, assignee.id, assignee.username)


def _assign(session: Session, case: Case, actor: Actor, user_id: int, username: str) -> Case:
    with guarded():
        previous = case.assigned_to_id
        case.assigned_to_id = user_id
        append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.ASSIGNED,
            actor=actor.tag,
            data={"from_id": previous, "to_id": user_id, "to": username},
        )
        session.flush()
    return case


def change_case_status(
    *,
    session: Session,
    actor: Actor,
    case_id: int,
    status: CaseStatus,
    expected_version: int,
    note: str | None = None,
    reason: str | None = None,
    routed_to: str | None = None,
    kind: CaseKind | None = None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> Case:
    """Move the case along the status flow and tell the citizen (with `note`, if any).

    Not accepting needs a `reason`, guiding and transferring say where (`routed_to`);
    both are told to the citizen. Classifying may change the `kind`. Deadlines follow
    the new status; extensions go through `extend_deadline`.
    """
    case = load_for(session, actor, case_id, Action.CHANGE_STATUS, expected_version)
    current = CaseStatus(case.status)
    if status is CaseStatus.EXTENDED:
        raise WorkflowError("extend_with_deadline_form")
    if not can_move(current, status):
        raise WorkflowError("invalid_transition")
    if kind is not None and kind.value != case.kind and status is not CaseStatus.CLASSIFIED:
        raise WorkflowError("kind_only_when_classifying")
    public, data = _routing(status, note=note, reason=reason, routed_to=routed_to)
    moment = now or utcnow()
    with guarded():
        if kind is not None and kind.value != case.kind:
            data.update(kind_from=case.kind, kind_to=kind.value)
            apply_kind(case, kind)
        if status is CaseStatus.NOT_ACCEPTED:
            case.status_reason = data["reason"]
        if "routed_to" in data:
            case.routed_to = data["routed_to"][:ROUTED_TO_MAX]
        apply_due(case, status, today=local_today(moment), calendar=calendar or default_calendar())
        if case.first_response_at is None:
            case.first_response_at = moment
        if status is CaseStatus.CLOSED:
            case.closed_at = moment
        move(session, case, status, actor, public, data)
        session.flush()
    return case


def _routing(
    status: CaseStatus, *, note: str | None, reason: str | None, routed_to: str | None
) -> tuple[str | None, dict[str, Any]]:
    """The citizen's note for this change and what the status event records."""
    data: dict[str, Any] = {}
    lines: list[str] = []
    if status is CaseStatus.NOT_ACCEPTED:
        data["reason"] = clean_text(reason, "reason_required")
        lines.append(texts.NOTE_NOT_ACCEPTED.format(reason=data["reason"]))
    if status in (CaseStatus.GUIDED, CaseStatus.TRANSFERRED):
        data["routed_to"] = clean_text(routed_to, "routed_to_required")
        template = texts.NOTE_GUIDED if status is CaseStatus.GUIDED else texts.NOTE_TRANSFERRED
        lines.append(template.format(where=data["routed_to"]))
    if note and note.strip():
        lines.append(note.strip())
    return ("\n".join(lines) or None), data


def move(
    session: Session,
    case: Case,
    status: CaseStatus,
    actor: Actor,
    note: str | None,
    data: dict[str, Any],
) -> CaseEvent:
    """Change the status through the case service; the event keeps `data` and its notices."""
    with capture_outbox(session) as queued:
        change_status(
            session=session, case_id=case.id, status=status, actor=actor.tag, public_note=note
        )
    event = latest_event(session=session, case_id=case.id, kind=EventKind.STATUS_CHANGED)
    event.data = {**(event.data or {}), **data}
    link_outbox(event, queued)
    return event


def extend_deadline(
    *,
    session: Session,
    actor: Actor,
    case_id: int,
    days: int,
    reason: str,
    expected_version: int,
    very_complex: bool = False,
    calendar: WorkCalendar | None = None,
) -> Case:
    """A leader extends the time to resolve the case, within the law's limits.

    Khiếu nại: once, ≤ 15 days; tố cáo: twice, ≤ 30 days each, the second only when
    very complex; kiến nghị, phản ánh: once, ≤ 15 days. The case moves to "extended"
    where the flow allows it, and the citizen is told the new date.
    """
    case = load_for(session, actor, case_id, Action.EXTEND, expected_version)
    current = CaseStatus(case.status)
    if current not in RESOLVING or case.due_kind != DueKind.RESOLVE.value:
        raise WorkflowError("not_extendable")
    kind = CaseKind(case.kind)
    check_extension(
        kind=kind, done=case.extensions, days=days, reason=reason, very_complex=very_complex
    )
    with guarded():
        before = case.due_on
        case.due_on = extended_due(before, days, calendar or default_calendar())
        case.extensions += 1
        data = {
            "days": days,
            "due_from": before.isoformat(),
            "due_to": case.due_on.isoformat(),
            "number": case.extensions,
            "very_complex": very_complex,
        }
        append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.DEADLINE_EXTENDED,
            actor=actor.tag,
            text=reason.strip(),
            data=data,
        )
        # From "accepted" the flow has no "extended": the date moves, the status stays.
        if can_move(current, CaseStatus.EXTENDED):
            note = texts.NOTE_EXTENDED.format(due=case.due_on)
            move(session, case, CaseStatus.EXTENDED, actor, note, data)
        session.flush()
    return case

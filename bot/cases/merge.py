"""Merging a duplicate into its original, and splitting a mixed case in two (domain.md §3)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.classify import apply_kind
from bot.cases.clock import local, utcnow
from bot.cases.codes import next_code, normalize_code
from bot.cases.deadlines import DueKind, inform_due
from bot.cases.events import append_event
from bot.cases.locking import WorkflowError, clean_text, guarded, load_for, touch
from bot.cases.models import Case
from bot.cases.notify import status_changed
from bot.cases.replies import capture_outbox, link_outbox
from bot.cases.status import OPEN, CaseKind, CaseStatus, EventKind
from bot.staff.permissions import Action, can
from bot.staff.roles import Actor
from bot.texts import workflow as texts
from bot.texts.cases import KIND_LABELS
from bot.workdays.service import WorkCalendar, default_calendar


def mark_duplicate(
    *,
    session: Session,
    actor: Actor,
    case_id: int,
    original_code: str,
    expected_version: int,
    now: datetime | None = None,
) -> Case:
    """Close the case as a duplicate of the case `original_code`, with a polite notice.

    The original must be of the same unit or visible to `actor`. The citizen hears the
    original's code only when the original is their own.
    """
    case = load_for(session, actor, case_id, Action.DUPLICATE, expected_version)
    if CaseStatus(case.status) not in OPEN:
        raise WorkflowError("case_not_open")
    original = _original(session, actor, case, original_code)
    own = case.chat_id is not None and original.chat_id == case.chat_id
    note = texts.NOTE_DUPLICATE_OWN.format(original=original.code) if own else texts.NOTE_DUPLICATE
    moment = now or utcnow()
    with guarded():
        previous = case.status
        case.status = CaseStatus.CLOSED.value
        case.duplicate_of_id = original.id
        case.due_kind = DueKind.NONE.value
        case.closed_at = moment
        if case.first_response_at is None:
            case.first_response_at = moment
        status_event = append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.STATUS_CHANGED,
            actor=actor.tag,
            status_from=previous,
            status_to=case.status,
            text=note,
            public=True,
        )
        with capture_outbox(session) as queued:
            status_changed(session=session, case=case, note=note)
        link_outbox(status_event, queued)
        for on, other, key in ((case, original, "original"), (original, case, "duplicate")):
            append_event(
                session=session,
                case_id=on.id,
                kind=EventKind.DUPLICATE,
                actor=actor.tag,
                data={key: other.code},
            )
        session.flush()
    return case


def _original(session: Session, actor: Actor, case: Case, original_code: str) -> Case:
    """The case a duplicate repeats; never one `actor` may not see."""
    code = normalize_code(original_code) or original_code.strip().upper()
    original = session.scalars(select(Case).where(Case.code == code)).first()
    if original is None or not (
        original.unit_code == case.unit_code or can(actor, Action.VIEW, original)
    ):
        raise WorkflowError("original_not_found")
    if original.id == case.id:
        raise WorkflowError("same_case")
    if original.duplicate_of_id is not None:
        raise WorkflowError("original_is_duplicate")
    return original


def split_case(
    *,
    session: Session,
    actor: Actor,
    case_id: int,
    kind: CaseKind,
    content: str,
    expected_version: int,
    calendar: WorkCalendar | None = None,
) -> Case:
    """Make a new case of `kind` from part of a mixed case; returns the new case.

    The new case keeps the citizen, chat, consents, receipt time and unit of the
    original, gets its own code and deadline, and the citizen is told its code.
    """
    case = load_for(session, actor, case_id, Action.SPLIT, expected_version)
    if CaseStatus(case.status) not in OPEN:
        raise WorkflowError("case_not_open")
    text = clean_text(content)
    with guarded():
        new = _copy(session, case, text, calendar or default_calendar())
        apply_kind(new, kind)
        # The denouncer's identity is on the original too: protect it there as well.
        if new.confidential:
            case.confidential = True
        touch(case)
        session.add(new)
        session.flush()
        append_event(
            session=session,
            case_id=new.id,
            kind=EventKind.CREATED,
            actor=actor.tag,
            status_to=new.status,
            data={"split_from": case.code},
        )
        append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.SPLIT,
            actor=actor.tag,
            text=text,
            data={"new_case": new.code, "kind": kind.value},
        )
        note = texts.NOTE_SPLIT.format(original=case.code, kind=KIND_LABELS[kind.value].lower())
        status_changed(session=session, case=new, note=note)
        session.flush()
    return new


def _copy(session: Session, case: Case, content: str, calendar: WorkCalendar) -> Case:
    """A new received case with the original's citizen, consents, receipt time and unit."""
    return Case(
        code=next_code(
            session=session, unit_code=case.unit_code, received_at=local(case.received_at)
        ),
        draft_id=uuid.uuid4().hex,
        kind=case.kind,
        unit_code=case.unit_code,
        status=CaseStatus.RECEIVED.value,
        chat_id=case.chat_id,
        anonymous=case.anonymous,
        as_information=False,
        confidential=case.confidential,
        citizen_name=case.citizen_name,
        citizen_phone=case.citizen_phone,
        citizen_id_number=case.citizen_id_number,
        citizen_address=case.citizen_address,
        address_detail=case.address_detail,
        latitude=case.latitude,
        longitude=case.longitude,
        details={"content": content},
        consent_handling=case.consent_handling,
        consent_notify=case.consent_notify,
        received_at=case.received_at,
        due_on=inform_due(case.received_at, calendar),
        due_kind=DueKind.INFORM.value,
        extensions=0,
        split_from_id=case.id,
    )

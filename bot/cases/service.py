"""Cases: creating one from a confirmed draft, finding, listing and following them up."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.clock import local, utcnow
from bot.cases.codes import next_code
from bot.cases.draft import AttachmentData, CaseDraft, fields_for, missing_fields
from bot.cases.events import CITIZEN, append_event
from bot.cases.models import Attachment, Case
from bot.cases.notify import staff_replied, status_changed
from bot.cases.status import CaseKind, CaseStatus, EventKind, can_move
from bot.workdays.service import WorkCalendar, default_calendar, due_date

INFORM_WITHIN_WORKING_DAYS = 10  # Luật Tiếp công dân art. 28
CREATE_ATTEMPTS = 5
T = TypeVar("T")


class CaseNotFound(LookupError):
    """No case with that id."""


class InvalidTransition(ValueError):
    """The status flow does not allow this change."""


class IncompleteDraft(ValueError):
    """The draft lacks answers its kind requires (a khiếu nại's identity, for one)."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        super().__init__(f"the draft lacks: {', '.join(missing)}")
        self.missing = missing


def get_by_draft(*, session: Session, draft_id: str) -> Case | None:
    """The case created from this draft, if it was confirmed already."""
    return session.scalars(select(Case).where(Case.draft_id == draft_id)).first()


def create_case(
    *,
    session: Session,
    draft: CaseDraft,
    chat_id: int | None,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> tuple[Case, bool]:
    """The case for `draft` and whether it is new (a repeated confirmation returns the first).

    Raises IncompleteDraft when an answer the kind requires is missing (a khiếu nại
    or a named tố cáo without name, phone, ID number and home address is never
    saved), and IntegrityError when another transaction took the same code or draft
    id meanwhile; `submit_case` retries in a fresh transaction.
    """
    existing = get_by_draft(session=session, draft_id=draft.draft_id)
    if existing is not None:
        return existing, False
    received = now or utcnow()
    kind = draft.kind
    anonymous = draft.anonymous and kind is not CaseKind.COMPLAINT
    missing = missing_fields(kind, anonymous=anonymous, fields=draft.fields)
    if missing:
        raise IncompleteDraft(missing)
    wanted = fields_for(kind, anonymous=anonymous)
    fields: dict[str, Any] = {k: v for k, v in draft.fields.items() if k in wanted}
    if draft.captions:
        fields["captions"] = list(draft.captions)
    case = Case(
        code=next_code(session=session, unit_code=draft.unit_code, received_at=local(received)),
        draft_id=draft.draft_id,
        kind=kind.value,
        unit_code=draft.unit_code,
        status=CaseStatus.RECEIVED.value,
        chat_id=chat_id,
        anonymous=anonymous,
        as_information=anonymous and kind is CaseKind.DENUNCIATION,
        confidential=kind is CaseKind.DENUNCIATION and not anonymous,
        citizen_name=fields.pop("name", None),
        citizen_phone=fields.pop("phone", None),
        citizen_id_number=fields.pop("id_number", None),
        citizen_address=fields.pop("home_address", None),
        address_detail=draft.address,
        latitude=draft.latitude,
        longitude=draft.longitude,
        details=fields,
        consent_handling=True,
        consent_notify=draft.consent_notify,
        received_at=received,
        due_on=due_date(
            local(received), INFORM_WITHIN_WORKING_DAYS, calendar or default_calendar()
        ),
    )
    session.add(case)
    session.flush()
    add_attachments(session=session, case_id=case.id, items=draft.attachments)
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.CREATED,
        actor=CITIZEN,
        status_to=case.status,
        data={"attachments": len(draft.attachments), "confirmed": True},
    )
    return case, True


def submit_case(
    *,
    sessions: sessionmaker[Session],
    draft: CaseDraft,
    chat_id: int | None,
    now: datetime | None = None,
    then: Callable[[Session, Case, bool], T],
    calendar: WorkCalendar | None = None,
) -> T:
    """Create the case in its own transaction, retrying when a concurrent one took its code.

    `then(session, case, created)` runs in the same transaction and returns what the
    caller needs (e.g. the receipt's values); it may append to the event log.
    """
    for attempt in range(CREATE_ATTEMPTS):
        try:
            with sessions() as session, session.begin():
                case, created = create_case(
                    session=session, draft=draft, chat_id=chat_id, now=now, calendar=calendar
                )
                return then(session, case, created)
        except IntegrityError:
            if attempt == CREATE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def get_case(*, session: Session, case_id: int) -> Case:
    """The case with this id."""
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound(case_id)
    return case


def find_own_case(*, session: Session, code: str, chat_id: int) -> Case | None:
    """The case with `code` if it belongs to this chat; another citizen's code finds nothing."""
    return session.scalars(select(Case).where(Case.code == code, Case.chat_id == chat_id)).first()


def list_own_cases(*, session: Session, chat_id: int, limit: int = 10) -> list[Case]:
    """The chat's cases, newest first."""
    stmt = select(Case).where(Case.chat_id == chat_id).order_by(Case.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def change_status(
    *,
    session: Session,
    case_id: int,
    status: CaseStatus,
    actor: str,
    public_note: str | None = None,
) -> Case:
    """Move a case along the status flow, log it and notify the citizen (via the outbox).

    `public_note` goes with this change only (logged on its event, sent in its notice).
    """
    case = get_case(session=session, case_id=case_id)
    current = CaseStatus(case.status)
    if not can_move(current, status):
        raise InvalidTransition(f"{current.value} → {status.value}")
    case.status = status.value
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.STATUS_CHANGED,
        actor=actor,
        status_from=current.value,
        status_to=status.value,
        text=public_note,
        public=True,
    )
    status_changed(session=session, case=case, note=public_note)
    return case


def add_staff_reply(*, session: Session, case_id: int, text: str, actor: str) -> Case:
    """Log a staff reply on the case and send it to the citizen (via the outbox)."""
    case = get_case(session=session, case_id=case_id)
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.STAFF_REPLY,
        actor=actor,
        text=text,
        public=True,
    )
    staff_replied(session=session, case=case, text=text)
    return case


def add_attachments(*, session: Session, case_id: int, items: Iterable[AttachmentData]) -> None:
    """Record files already stored on disk (by content hash) against a case."""
    for item in items:
        session.add(
            Attachment(
                case_id=case_id,
                sha256=item.sha256,
                size=item.size,
                mime_type=item.mime_type,
                original_name=item.original_name,
                source=item.source,
            )
        )

"""The case page's read model: everything one person may see of a case and may do to it.

Permissions and masking are applied here, not in the template: a masked identity is
never in the view at all, and the actions listed are those `can()` allows (the
workflow services check again when one is used).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.canned import list_canned
from bot.cases.clock import local_today
from bot.cases.deadlines import due_state
from bot.cases.models import Attachment, Case, CaseEvent
from bot.cases.service import CaseNotFound
from bot.cases.status import OPEN, CaseKind, CaseStatus, allowed_next
from bot.cases.timeline import EventView, build_timeline, events_of
from bot.staff.models import StaffUser
from bot.staff.permissions import Action, can, identity_masked, require
from bot.staff.roles import Actor
from bot.staff.service import officers_of
from bot.units.models import Unit
from bot.workdays.service import WorkCalendar, default_calendar

MAP_URL = "https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
CONTENT_ORDER = ("content", "act", "issuer", "learnt_on", "request", "accused", "violation", "when")


@dataclass(frozen=True)
class IdentityView:
    """The citizen's identity, or only `masked=True` when the viewer may not see it."""

    masked: bool
    name: str | None = None
    phone: str | None = None
    id_number: str | None = None
    home_address: str | None = None


@dataclass(frozen=True)
class AttachmentView:
    """One file of the case, as listed on the page."""

    id: int
    name: str
    mime_type: str
    size: int
    is_image: bool


@dataclass(frozen=True)
class Choice:
    """An option of a select: a value and what the person reads."""

    value: str
    label: str
    text: str = ""  # a canned reply's text


@dataclass(frozen=True)
class CaseView:
    """The case as `actor` may see it on the page."""

    id: int
    code: str
    version: int
    kind: str
    status: str
    unit_code: str
    unit_name: str
    received_at: datetime
    due_on: date
    due_state: str  # overdue | due_soon | ok (ok also for a case no longer pressing)
    extensions: int
    assignee: str | None
    address: str
    map_url: str | None
    latitude: float | None
    longitude: float | None
    consent_handling: bool
    consent_notify: bool
    anonymous: bool
    as_information: bool
    confidential: bool
    personal_data_erased_at: datetime | None
    routed_to: str | None
    status_reason: str | None
    duplicate_of: str | None
    split_from: str | None
    content: list[tuple[str, str]]  # (field key, value) in the kind's order
    captions: list[str]
    identity: IdentityView
    can_reveal: bool
    conversation: list[EventView]
    events: list[EventView]
    attachments: list[AttachmentView]
    actions: frozenset[str]
    officers: list[Choice]
    next_statuses: list[str]
    kinds: list[str]
    canned: list[Choice]


def case_by_code(*, session: Session, code: str) -> Case:
    """The case with this tracking code (CaseNotFound otherwise)."""
    case = session.scalars(select(Case).where(Case.code == code.strip().upper())).first()
    if case is None:
        raise CaseNotFound(code)
    return case


def case_view(
    *,
    session: Session,
    actor: Actor,
    code: str,
    revealed: bool = False,
    today: date | None = None,
    calendar: WorkCalendar | None = None,
) -> CaseView:
    """What `actor` may see of case `code` (Forbidden when nothing).

    `revealed=True` shows a confidential identity to an entitled person; the caller
    must have logged the reveal (`bot.cases.workflow.reveal_identity`) in the same
    transaction. Nobody else sees it, whatever `revealed` says.
    """
    case = case_by_code(session=session, code=code)
    require(actor, Action.VIEW, case)
    actions = frozenset(a.value for a in Action if can(actor, a, case))
    log = events_of(session=session, case=case)
    names = _staff_names(session, case, log)
    conversation, events = build_timeline(session=session, events=log, staff=names)
    return CaseView(
        id=case.id,
        code=case.code,
        version=case.version,
        kind=case.kind,
        status=case.status,
        unit_code=case.unit_code,
        unit_name=_unit_name(session, case.unit_code),
        received_at=case.received_at,
        due_on=case.due_on,
        due_state=_due_state(case, today or local_today(), calendar or default_calendar()),
        extensions=case.extensions,
        assignee=names.get(case.assigned_to_id) if case.assigned_to_id else None,
        address=case.address_detail,
        map_url=_map_url(case.latitude, case.longitude),
        latitude=case.latitude,
        longitude=case.longitude,
        consent_handling=case.consent_handling,
        consent_notify=case.consent_notify,
        anonymous=case.anonymous,
        as_information=case.as_information,
        confidential=case.confidential,
        personal_data_erased_at=case.personal_data_erased_at,
        routed_to=case.routed_to,
        status_reason=case.status_reason,
        duplicate_of=_code_of(session, case.duplicate_of_id),
        split_from=_code_of(session, case.split_from_id),
        content=_content(case.details or {}),
        captions=[str(c) for c in (case.details or {}).get("captions") or []],
        identity=_identity(actor, case, revealed=revealed),
        can_reveal=Action.REVEAL_IDENTITY.value in actions,
        conversation=conversation,
        events=events,
        attachments=[_attachment(a) for a in case.attachments],
        actions=actions,
        officers=_officers(session, case) if Action.ASSIGN.value in actions else [],
        next_statuses=_next_statuses(case, actions),
        kinds=[k.value for k in CaseKind],
        canned=_canned(session, case) if Action.REPLY.value in actions else [],
    )


def _identity(actor: Actor, case: Case, *, revealed: bool) -> IdentityView:
    if identity_masked(actor, case, revealed=revealed):
        return IdentityView(masked=True)
    return IdentityView(
        masked=False,
        name=case.citizen_name,
        phone=case.citizen_phone,
        id_number=case.citizen_id_number,
        home_address=case.citizen_address,
    )


def _due_state(case: Case, today: date, calendar: WorkCalendar) -> str:
    if case.status not in {s.value for s in OPEN} or case.due_kind == "none":
        return "ok"
    return due_state(case.due_on, today, calendar)


def _map_url(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return MAP_URL.format(lat=lat, lon=lon)


def _content(details: dict[str, Any]) -> list[tuple[str, str]]:
    keys = [k for k in CONTENT_ORDER if details.get(k)]
    keys += sorted(k for k in details if k not in CONTENT_ORDER and k != "captions")
    return [(k, str(details[k])) for k in keys if details.get(k) not in (None, "")]


def _attachment(item: Attachment) -> AttachmentView:
    return AttachmentView(
        id=item.id,
        name=item.original_name or f"tep-{item.id}",
        mime_type=item.mime_type,
        size=item.size,
        is_image=item.mime_type.startswith("image/"),
    )


def _staff_names(session: Session, case: Case, log: list[CaseEvent]) -> dict[int | str, str]:
    """Display names of the staff on this case, by id and by log tag (`staff:<username>`)."""
    usernames = {e.actor.removeprefix("staff:") for e in log if e.actor.startswith("staff:")}
    usernames |= {str(e.data["to"]) for e in log if e.data and e.data.get("to")}
    stmt = select(StaffUser).where(
        StaffUser.username.in_(usernames) | (StaffUser.id == case.assigned_to_id)
    )
    names: dict[int | str, str] = {}
    for user in session.scalars(stmt):
        label = user.display_name or user.username
        names[user.id] = label
        names[f"staff:{user.username}"] = label
    return names


def _unit_name(session: Session, unit_code: str) -> str:
    unit = session.get(Unit, unit_code)
    return unit.name if unit else unit_code


def _code_of(session: Session, case_id: int | None) -> str | None:
    if case_id is None:
        return None
    return session.scalar(select(Case.code).where(Case.id == case_id))


def _officers(session: Session, case: Case) -> list[Choice]:
    return [
        Choice(str(u.id), u.display_name or u.username)
        for u in officers_of(session=session, unit_code=case.unit_code)
    ]


def _next_statuses(case: Case, actions: frozenset[str]) -> list[str]:
    if Action.CHANGE_STATUS.value not in actions:
        return []
    nexts = allowed_next(CaseStatus(case.status))
    return [s.value for s in CaseStatus if s in nexts]


def _canned(session: Session, case: Case) -> list[Choice]:
    replies = list_canned(session=session, kind=case.kind, status=case.status)
    return [Choice(str(r.id), r.title, r.text) for r in replies]

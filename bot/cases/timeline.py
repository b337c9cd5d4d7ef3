"""A case's event log as the case page shows it: the conversation and the full log."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.events import CITIZEN
from bot.cases.models import Case, CaseEvent
from bot.cases.status import EventKind
from bot.cases.workflow import delivery_state

E = EventKind
# Which entries make up the conversation with the citizen, and on whose side each is.
SIDES = {
    E.MESSAGE_IN.value: "citizen",
    E.SUPPLEMENT.value: "citizen",
    E.MESSAGE_OUT.value: "office",
    E.STAFF_REPLY.value: "office",
    E.NOTIFICATION_QUEUED.value: "office",
    E.INTERNAL_NOTE.value: "internal",
}
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class EventView:
    """One entry of the log, with who wrote it and, for a staff reply, its delivery."""

    id: int
    kind: str
    at: datetime
    actor: str  # "citizen", "system" or a staff member's display name
    side: str  # citizen | office | internal | system
    text: str | None
    status_from: str | None
    status_to: str | None
    data: dict[str, Any]
    assignee: str | None = None  # whom an "assigned" entry gave the case to
    delivery: str | None = None  # queued | sent | failed | declined
    delivery_error: str | None = None


def build_timeline(
    *, session: Session, events: list[CaseEvent], staff: dict[int | str, str]
) -> tuple[list[EventView], list[EventView]]:
    """The conversation (messages both ways and internal notes) and the full log, oldest first.

    A notice queued for a staff reply is the reply itself on its way: the conversation
    shows the reply (with its delivery state) once, the full log shows both.
    """
    views = [_view(session, event, staff) for event in events]
    replied = {
        outbox_id
        for v in views
        if v.kind == E.STAFF_REPLY.value
        for outbox_id in _outbox_ids(v.data)
    }
    conversation = [
        v
        for v in views
        if v.kind in SIDES
        and not (v.kind == E.NOTIFICATION_QUEUED.value and set(_outbox_ids(v.data)) & replied)
    ]
    return conversation, views


def events_of(*, session: Session, case: Case) -> list[CaseEvent]:
    """The case's log, oldest first, as stored now (not a relationship loaded earlier)."""
    stmt = select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    return list(session.scalars(stmt))


def _outbox_ids(data: dict[str, Any]) -> list[int]:
    ids = data.get("outbox_ids") or ([data["outbox_id"]] if data.get("outbox_id") else [])
    return [int(i) for i in ids]


def _view(session: Session, event: CaseEvent, staff: dict[int | str, str]) -> EventView:
    data: dict[str, Any] = event.data or {}
    delivery = error = None
    if event.kind == E.STAFF_REPLY.value:
        state = delivery_state(session=session, event=event)
        delivery, error = state.state, state.error
    return EventView(
        id=event.id,
        kind=event.kind,
        at=event.at,
        actor=staff.get(event.actor, event.actor),
        side=SIDES.get(event.kind, "citizen" if event.actor == CITIZEN else "system"),
        text=_plain(event.text) if event.kind == E.NOTIFICATION_QUEUED.value else event.text,
        status_from=event.status_from,
        status_to=event.status_to,
        data=data,
        assignee=staff.get(f"staff:{data['to']}", str(data["to"])) if data.get("to") else None,
        delivery=delivery,
        delivery_error=error,
    )


def _plain(text: str | None) -> str | None:
    """A notice's Telegram HTML as the text the citizen read (the page escapes it again)."""
    return html.unescape(TAG.sub("", text)) if text else text

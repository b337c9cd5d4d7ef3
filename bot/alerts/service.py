"""What a unit's staff group is told, queued through the outbox (no Telegram here).

- A new case: kind, code, unit, times and a short excerpt with the console link; a
  tố cáo only by its code (the denouncer's identity is confidential, Luật Tố cáo
  art. 9, 47) and never anyone's ID number.
- Each working morning: the unit's open cases that are overdue or due within
  `DUE_SOON_WORKING_DAYS` working days, once a day (recorded in the audit log).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from html import escape
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.service import recent, record
from bot.cases.clock import local, utcnow
from bot.cases.models import Case
from bot.cases.status import OPEN, CaseKind
from bot.outbox import service as outbox
from bot.outbox.models import OutboxMessage
from bot.texts import cases as case_texts
from bot.texts import staff as texts
from bot.units.service import get_unit
from bot.workdays.service import WorkCalendar, default_calendar

T = TypeVar("T")

DUE_SOON_WORKING_DAYS = 2
DIGEST_LIMIT = 20  # cases listed in one digest; the rest are counted
EXCERPT_CHARS = 160
DIGEST_ACTION = "digest_sent"
SYSTEM_ACTOR = "system"
# The content fields an alert may quote; a tố cáo has none (it could identify the denouncer).
_EXCERPT_FIELDS: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.PETITION: ("content",),
    CaseKind.COMPLAINT: ("act", "request"),
    CaseKind.DENUNCIATION: (),
}
# Nine or more digits, possibly spaced or dotted: a phone or an ID number typed into content.
_NUMBER_RUN = re.compile(r"\+?\d(?:[\s.\-]?\d){8,}")
_SPACES = re.compile(r"\s+")


def case_url(console_url: str, code: str) -> str:
    """The case's page in the staff console."""
    return f"{console_url.rstrip('/')}/cases/{code}"


def excerpt(case: Case, limit: int = EXCERPT_CHARS) -> str:
    """A one-line, plain-text excerpt of the case's content, numbers like IDs masked."""
    details = case.details or {}
    parts = [str(details[key]) for key in _EXCERPT_FIELDS[CaseKind(case.kind)] if details.get(key)]
    text = _SPACES.sub(" ", _NUMBER_RUN.sub("***", " — ".join(parts))).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def new_case_text(*, case: Case, unit_name: str, console_url: str) -> str:
    """The alert for a new case (Telegram HTML)."""
    url = escape(case_url(console_url, case.code))
    if case.kind == CaseKind.DENUNCIATION.value:
        return texts.NEW_DENUNCIATION.format(code=escape(case.code), url=url)
    return texts.NEW_CASE.format(
        kind=case_texts.KIND_LABELS[case.kind],
        code=escape(case.code),
        unit=escape(unit_name),
        received=local(case.received_at).strftime(texts.DATETIME),
        due=case.due_on.strftime(texts.DATE),
        excerpt=escape(excerpt(case)) or texts.NO_EXCERPT,
        url=url,
    )


def queue_new_case_alert(
    *, session: Session, case: Case, chats: Mapping[str, int], console_url: str
) -> OutboxMessage | None:
    """Queue the alert to the case's unit group, in the caller's transaction (None: no group)."""
    chat_id = chats.get(case.unit_code)
    if chat_id is None:
        return None
    unit = get_unit(session=session, code=case.unit_code)
    text = new_case_text(
        case=case, unit_name=unit.name if unit else case.unit_code, console_url=console_url
    )
    return outbox.enqueue(
        session=session,
        chat_id=chat_id,
        text=text,
        case_id=case.id,
        purpose=outbox.Purpose.STAFF_ALERT,
    )


def with_new_case_alert(
    then: Callable[[Session, Case, bool], T], *, chats: Mapping[str, int], console_url: str
) -> Callable[[Session, Case, bool], T]:
    """`then` for `submit_case` that first queues the alert, for a newly created case only."""

    def alert_then(session: Session, case: Case, created: bool) -> T:
        if created:
            queue_new_case_alert(session=session, case=case, chats=chats, console_url=console_url)
        return then(session, case, created)

    return alert_then


@dataclass(frozen=True)
class DigestRow:
    """One case in a digest: nothing personal."""

    code: str
    kind: str
    due_on: date


@dataclass(frozen=True)
class Digest:
    """A unit's open cases that need attention on `day`."""

    unit_code: str
    day: date
    overdue: list[DigestRow]
    due_soon: list[DigestRow]

    @property
    def empty(self) -> bool:
        """True when there is nothing to tell."""
        return not self.overdue and not self.due_soon


def build_digest(
    *, session: Session, unit_code: str, day: date, calendar: WorkCalendar | None = None
) -> Digest:
    """Open cases of the unit overdue on `day` or due within the next working days."""
    horizon = (calendar or default_calendar()).add_working_days(day, DUE_SOON_WORKING_DAYS)
    rows = session.execute(
        select(Case.code, Case.kind, Case.due_on)
        .where(
            Case.unit_code == unit_code,
            Case.status.in_([status.value for status in OPEN]),
            Case.due_on <= horizon,
        )
        .order_by(Case.due_on, Case.code)
    ).all()
    found = [DigestRow(code, kind, due_on) for code, kind, due_on in rows]
    return Digest(
        unit_code=unit_code,
        day=day,
        overdue=[row for row in found if row.due_on < day],
        due_soon=[row for row in found if row.due_on >= day],
    )


def digest_text(
    *, digest: Digest, unit_name: str, console_url: str, limit: int = DIGEST_LIMIT
) -> str:
    """The digest as Telegram HTML: counts, then up to `limit` cases, overdue first."""
    lines = [
        texts.DIGEST_HEADING.format(
            unit=escape(unit_name),
            day=digest.day.strftime(texts.DATE),
            overdue=len(digest.overdue),
            due_soon=len(digest.due_soon),
            days=DUE_SOON_WORKING_DAYS,
        )
    ]
    room = limit
    for heading, rows in (
        (texts.DIGEST_OVERDUE, digest.overdue),
        (texts.DIGEST_DUE_SOON, digest.due_soon),
    ):
        if not rows:
            continue
        shown = rows[: max(room, 0)]
        room -= len(shown)
        lines += ["", heading]
        lines += [
            texts.DIGEST_ROW.format(
                code=escape(row.code),
                kind=case_texts.KIND_LABELS.get(row.kind, row.kind),
                due=row.due_on.strftime(texts.DATE),
                url=escape(case_url(console_url, row.code)),
            )
            for row in shown
        ]
        if len(rows) > len(shown):
            inbox = escape(f"{console_url.rstrip('/')}/cases")
            lines.append(texts.DIGEST_MORE.format(count=len(rows) - len(shown), url=inbox))
    return "\n".join(lines)


def digest_key(unit_code: str, day: date) -> str:
    """The audit target of one unit's digest on one day."""
    return f"{unit_code}:{day.isoformat()}"


def digest_sent(*, session: Session, unit_code: str, day: date) -> bool:
    """True when that unit's digest for `day` has been queued already."""
    key = digest_key(unit_code, day)
    return bool(recent(session=session, limit=1, action=DIGEST_ACTION, target_id=key))


def digest_due(*, now: datetime, digest_hour: int, calendar: WorkCalendar) -> date | None:
    """The local day whose digest is due at `now` (a working day, at or after the hour)."""
    moment = local(now)
    if moment.hour < digest_hour or not calendar.is_working_day(moment.date()):
        return None
    return moment.date()


def queue_digests(
    *,
    session: Session,
    chats: Mapping[str, int],
    console_url: str,
    digest_hour: int,
    now: datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> list[str]:
    """Queue today's digest to each unit group that has not had it; returns those units.

    Nothing goes out on a day off, before `digest_hour` (local), twice on one day, or
    to a unit with nothing overdue or due soon.
    """
    work = calendar or default_calendar()
    day = digest_due(now=now or utcnow(), digest_hour=digest_hour, calendar=work)
    if day is None:
        return []
    queued: list[str] = []
    for unit_code, chat_id in sorted(chats.items()):
        if digest_sent(session=session, unit_code=unit_code, day=day):
            continue
        digest = build_digest(session=session, unit_code=unit_code, day=day, calendar=work)
        if digest.empty:
            continue
        unit = get_unit(session=session, code=unit_code)
        text = digest_text(
            digest=digest, unit_name=unit.name if unit else unit_code, console_url=console_url
        )
        message = outbox.enqueue(
            session=session, chat_id=chat_id, text=text, purpose=outbox.Purpose.STAFF_DIGEST
        )
        record(
            session=session,
            actor=SYSTEM_ACTOR,
            action=DIGEST_ACTION,
            target_type="unit",
            target_id=digest_key(unit_code, day),
            after={
                "overdue": len(digest.overdue),
                "due_soon": len(digest.due_soon),
                "outbox_id": message.id,
            },
        )
        queued.append(unit_code)
    return queued

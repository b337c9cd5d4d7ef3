"""Telling the citizen about their case through the outbox (no Telegram here: Bot API JSON)."""

from __future__ import annotations

from html import escape
from typing import Any

from sqlalchemy.orm import Session

from bot.cases.events import SYSTEM, append_event
from bot.cases.models import Case
from bot.cases.status import CaseStatus, EventKind
from bot.outbox import service as outbox
from bot.texts import cases as texts
from bot.texts.splitting import split_html

RATE_PREFIX = "case:rate:"


def rating_markup(code: str) -> dict[str, Any]:
    """Five buttons 1–5 as Bot API JSON."""
    row = [{"text": "⭐" * n, "callback_data": f"{RATE_PREFIX}{code}:{n}"} for n in range(1, 6)]
    return {"inline_keyboard": [row[:3], row[3:]]}


def status_changed(*, session: Session, case: Case, note: str | None = None) -> None:
    """Queue the news of a status change with the note of that change (and a rating
    request when the case closes)."""
    text = texts.NOTIFY_STATUS.format(code=case.code, status=texts.STATUS_LABELS[case.status])
    if note:
        text += texts.NOTIFY_NOTE.format(note=escape(note, quote=False))
    text += texts.NOTIFY_FOOTER.format(code=case.code)
    markup = None
    if case.status == CaseStatus.CLOSED.value and case.rating is None:
        text += texts.ASK_RATING
        markup = rating_markup(case.code)
    _queue(session, case, text, markup)


def staff_replied(*, session: Session, case: Case, text: str) -> None:
    """Queue a staff reply."""
    body = texts.NOTIFY_REPLY.format(code=case.code, text=escape(text, quote=False))
    _queue(session, case, body + texts.NOTIFY_FOOTER.format(code=case.code), None)


def _queue(session: Session, case: Case, text: str, markup: dict[str, Any] | None) -> None:
    """Enqueue for a citizen who agreed to news and is reachable; log it on the case.

    A text too long for one message goes as several, the buttons with the last.
    """
    if case.chat_id is None or not case.consent_notify:
        return
    parts = split_html(text)
    for number, part in enumerate(parts, start=1):
        message = outbox.enqueue(
            session=session,
            chat_id=case.chat_id,
            text=part,
            reply_markup=markup if number == len(parts) else None,
            case_id=case.id,
        )
        append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.NOTIFICATION_QUEUED,
            actor=SYSTEM,
            text=part,
            public=True,
            data={"outbox_id": message.id},
        )

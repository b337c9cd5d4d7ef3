"""Case services on SQLite and PostgreSQL: creation, idempotency, codes, status, replies."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.cases import service
from bot.cases.codes import next_code
from bot.cases.models import Case, CaseEvent
from bot.cases.service import (
    InvalidTransition,
    add_staff_reply,
    change_status,
    create_case,
    find_own_case,
    list_own_cases,
    submit_case,
)
from bot.cases.status import CaseKind, CaseStatus
from bot.db import session_factory
from bot.outbox.models import OutboxMessage
from tests.factories_cases import add_case, case_draft

NOV_27 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # Friday 10:00 at the office


def test_create_a_petition(db: Session) -> None:
    case = add_case(db, now=NOV_27)
    assert case.code == "QH-2611-0001" and case.status == "received"
    assert case.due_on == date(2026, 12, 11)
    assert case.citizen_name == "Nguyễn Thị Lan" and case.details == {"content": "Đèn hỏng"}
    assert not case.confidential and len(case.attachments) == 1
    assert [e.kind for e in case.events] == ["created"]


def test_codes_count_per_unit_and_month(db: Session) -> None:
    add_case(db, now=NOV_27)
    assert add_case(db, now=NOV_27).code == "QH-2611-0002"
    assert add_case(db, draft=case_draft(unit="HH"), now=NOV_27).code == "HH-2611-0001"
    december = datetime(2026, 12, 1, 3, tzinfo=UTC)
    assert add_case(db, now=december).code == "QH-2612-0001"


def test_the_same_draft_never_makes_a_second_case(db: Session) -> None:
    draft = case_draft()
    first, created = create_case(session=db, draft=draft, chat_id=1)
    again, created_again = create_case(session=db, draft=draft, chat_id=1)
    assert created and not created_again and first.id == again.id


def test_denunciations_are_confidential_and_anonymous_ones_are_information(db: Session) -> None:
    named = add_case(db, draft=case_draft(CaseKind.DENUNCIATION))
    anonymous = add_case(db, draft=case_draft(CaseKind.DENUNCIATION, anonymous=True))
    assert named.confidential and not named.as_information
    assert anonymous.as_information and anonymous.citizen_name is None
    assert set(anonymous.details) == {"accused", "violation", "when"}


def test_a_complaint_cannot_be_anonymous(db: Session) -> None:
    case = add_case(db, draft=case_draft(CaseKind.COMPLAINT, anonymous=True))
    assert not case.anonymous and case.citizen_id_number == "022188001234"


def test_submit_retries_when_another_transaction_took_the_code(
    db_url: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_case(db, now=NOV_27)
    db.commit()
    calls: list[str] = []

    def racing(*, session: Session, unit_code: str, received_at: datetime) -> str:
        calls.append(unit_code)
        if len(calls) == 1:
            return "QH-2611-0001"  # what a concurrent transaction just committed
        return next_code(session=session, unit_code=unit_code, received_at=received_at)

    monkeypatch.setattr(service, "next_code", racing)
    code = submit_case(
        sessions=session_factory(db_url),
        draft=case_draft(),
        chat_id=5,
        now=NOV_27,
        then=lambda _s, case, _created: case.code,
    )
    assert code == "QH-2611-0002" and len(calls) == 2


def test_submit_gives_up_after_repeated_conflicts(
    db_url: str, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_case(db, now=NOV_27)
    db.commit()
    monkeypatch.setattr(service, "next_code", lambda **_: "QH-2611-0001")
    with pytest.raises(IntegrityError):
        submit_case(
            sessions=session_factory(db_url),
            draft=case_draft(),
            chat_id=5,
            then=lambda _s, case, _c: case.id,
        )


def test_own_cases_only(db: Session) -> None:
    mine = add_case(db, chat_id=1)
    add_case(db, chat_id=2)
    assert find_own_case(session=db, code=mine.code, chat_id=1) is mine
    assert find_own_case(session=db, code=mine.code, chat_id=2) is None
    assert [c.id for c in list_own_cases(session=db, chat_id=1)] == [mine.id]


def test_status_changes_are_logged_and_notified(db: Session) -> None:
    case = add_case(db)
    change_status(
        session=db, case_id=case.id, status=CaseStatus.ACCEPTED, actor="staff:an", public_note="ok"
    )
    with pytest.raises(InvalidTransition):
        change_status(session=db, case_id=case.id, status=CaseStatus.RECEIVED, actor="staff:an")
    add_staff_reply(session=db, case_id=case.id, text="<b>Trả lời</b>", actor="staff:an")
    events = db.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()
    assert [e.kind for e in events] == [
        "created",
        "status_changed",
        "notification_queued",
        "staff_reply",
        "notification_queued",
    ]
    assert events[1].status_from == "received" and events[1].actor == "staff:an"
    outbox = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.chat_id for m in outbox] == [7001, 7001]
    assert "&lt;b&gt;Trả lời&lt;/b&gt;" in outbox[1].text


def test_no_news_without_consent(db: Session) -> None:
    case = add_case(db, draft=case_draft(notify=False))
    change_status(session=db, case_id=case.id, status=CaseStatus.ACCEPTED, actor="staff:an")
    assert db.scalars(select(OutboxMessage)).all() == []


def test_closing_asks_for_a_rating(db: Session) -> None:
    case = add_case(db)
    for status in (CaseStatus.ACCEPTED, CaseStatus.ANSWERED, CaseStatus.CLOSED):
        change_status(session=db, case_id=case.id, status=status, actor="staff:an")
    last = db.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert last is not None and last.reply_markup is not None
    data = [b["callback_data"] for row in last.reply_markup["inline_keyboard"] for b in row]
    assert data[0] == f"case:rate:{case.code}:1" and len(data) == 5
    assert db.get(Case, case.id) is case

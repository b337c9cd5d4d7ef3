"""Replies and their delivery, internal notes, revealing identity, canned replies."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.cases.canned import (
    delete_canned,
    list_canned,
    read_canned_file,
    save_canned,
    seed_canned,
)
from bot.cases.models import CannedReply
from bot.cases.status import CaseKind, CaseStatus, EventKind
from bot.cases.workflow import (
    Identity,
    add_internal_note,
    change_case_status,
    delivery_state,
    reply_to_citizen,
    reveal_identity,
)
from bot.outbox.service import mark_attempt_failed, mark_sent
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor
from tests.cases.workflow_support import add_staff_rows, events_of, new_case, outbox_of


@pytest.fixture
def staff(db: Session) -> dict[str, Actor]:
    return add_staff_rows(db)


def test_a_reply_is_queued_and_its_delivery_followed(db: Session, staff: dict[str, Actor]) -> None:
    officer = staff["canbo.qh"]
    case = new_case(db, assigned=officer)
    reply = reply_to_citizen(session=db, actor=officer, case_id=case.id, text=" Đã sửa đèn <b> ")
    assert reply.kind == EventKind.STAFF_REPLY.value and reply.actor == "staff:canbo.qh"
    assert reply.text == "Đã sửa đèn <b>" and case.first_response_at is not None
    [message] = outbox_of(db, case)
    assert reply.data["outbox_ids"] == [message.id] and "Đã sửa đèn &lt;b&gt;" in message.text
    assert delivery_state(session=db, event=reply).state == "queued"
    mark_sent(session=db, message_id=message.id)
    assert delivery_state(session=db, event=reply).state == "sent"

    second = reply_to_citizen(session=db, actor=officer, case_id=case.id, text="Thêm thông tin")
    [_, other] = outbox_of(db, case)
    mark_attempt_failed(
        session=db, message_id=other.id, error="Forbidden: bot was blocked", permanent=True
    )
    failed = delivery_state(session=db, event=second)
    assert (failed.state, failed.error) == ("failed", "Forbidden: bot was blocked")


def test_a_status_notice_has_a_delivery_state_too(db: Session, staff: dict[str, Actor]) -> None:
    case = new_case(db)
    change_case_status(
        session=db,
        actor=staff["lanhdao.qh"],
        case_id=case.id,
        status=CaseStatus.CLASSIFIED,
        expected_version=case.version,
    )
    [event] = events_of(db, case, EventKind.STATUS_CHANGED.value)
    [message] = outbox_of(db, case)
    mark_attempt_failed(session=db, message_id=message.id, error="Timed out")
    assert delivery_state(session=db, event=event).state == "queued"
    mark_sent(session=db, message_id=message.id)
    assert delivery_state(session=db, event=event).state == "sent"
    # An event logged without the link is matched to the notices queued right after it.
    event.data = {}
    assert delivery_state(session=db, event=event).state == "sent"


@pytest.mark.parametrize("chat_id", [7001, None])
def test_a_reply_is_declined_without_consent_or_chat(
    db: Session, staff: dict[str, Actor], chat_id: int | None
) -> None:
    case = new_case(db, notify=chat_id is None, chat_id=chat_id)
    reply = reply_to_citizen(session=db, actor=staff["lanhdao.qh"], case_id=case.id, text="Chào")
    assert outbox_of(db, case) == []
    assert delivery_state(session=db, event=reply).state == "declined"


def test_internal_notes_are_never_sent(db: Session, staff: dict[str, Actor]) -> None:
    case = new_case(db)
    note = add_internal_note(
        session=db, actor=staff["canbo2.qh"], case_id=case.id, text="Đã gọi điện, chưa nghe máy"
    )
    assert note.kind == "internal_note" and not note.public and note.actor == "staff:canbo2.qh"
    assert outbox_of(db, case) == [] and case.first_response_at is None
    with pytest.raises(Forbidden):
        add_internal_note(session=db, actor=staff["quantri"], case_id=case.id, text="x")


def test_revealing_an_identity_is_logged_on_the_case_and_in_the_audit(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db, CaseKind.DENUNCIATION, assigned=staff["canbo.qh"])
    identity = reveal_identity(session=db, actor=staff["canbo.qh"], case_id=case.id, ip="10.0.0.7")
    assert identity == Identity("Lê Văn Cường", "0977000111", "034099001122", "thôn Hà Thành")
    [event] = events_of(db, case, EventKind.IDENTITY_REVEALED.value)
    assert event.actor == "staff:canbo.qh" and not event.public
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "reveal_identity"))
    assert (entry.actor, entry.target_id, entry.ip) == ("staff:canbo.qh", case.code, "10.0.0.7")
    for refused in ("canbo2.qh", "lanhdao.all", "quantri", "canbo.cp"):
        with pytest.raises(Forbidden):
            reveal_identity(session=db, actor=staff[refused], case_id=case.id)
    reveal_identity(session=db, actor=staff["lanhdao.qh"], case_id=case.id)
    assert len(events_of(db, case, EventKind.IDENTITY_REVEALED.value)) == 2
    plain = new_case(db, assigned=staff["canbo.qh"])
    with pytest.raises(Forbidden):
        reveal_identity(session=db, actor=staff["canbo.qh"], case_id=plain.id)


def test_canned_replies_are_seeded_once_and_filtered(db: Session) -> None:
    rows = read_canned_file()
    assert seed_canned(session=db, rows=rows) == len(rows)
    assert seed_canned(session=db, rows=rows) == 0
    titles = [r.title for r in list_canned(session=db, kind="khieu_nai", status="not_accepted")]
    assert titles[0] == "Khiếu nại đã quá thời hiệu" and "Cảm ơn, đang xem xét" in titles
    assert "Tố cáo đã được thụ lý" not in titles
    generic = list_canned(session=db, kind=None, status=None)
    assert all(r.kind is None and r.status is None for r in generic)


def test_only_admins_keep_canned_replies_and_it_is_audited(
    db: Session, staff: dict[str, Actor]
) -> None:
    values = {"title": "Hẹn làm việc", "text": "Mời ông/bà đến trụ sở.", "kind": "", "status": ""}
    with pytest.raises(Forbidden):
        save_canned(session=db, actor=staff["lanhdao.qh"], canned_id=None, active=True, **values)
    admin = staff["quantri"]
    row = save_canned(session=db, actor=admin, canned_id=None, active=True, **values)
    assert row.kind is None and row.updated_by == "staff:quantri"
    save_canned(session=db, actor=admin, canned_id=row.id, active=False, **values)
    assert list_canned(session=db, kind=None, status=None) == []
    delete_canned(session=db, actor=admin, canned_id=row.id)
    assert db.get(CannedReply, row.id) is None
    entries = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [e.action for e in entries] == ["save_canned", "save_canned", "delete_canned"]
    assert entries[0].before is None and entries[1].before["active"] is True  # type: ignore[index]
    assert entries[1].after["active"] is False  # type: ignore[index]

"""Staff notes and replies are events: each notice carries its own, /tracuu the latest."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cases.events import latest_public_note
from bot.cases.service import add_staff_reply, change_status
from bot.cases.status import CaseStatus
from bot.outbox.models import OutboxMessage
from tests.factories_cases import add_case


def test_a_reply_never_rides_along_with_a_later_status_notice(db: Session) -> None:
    case = add_case(db)
    assert latest_public_note(session=db, case_id=case.id) is None
    change_status(
        session=db, case_id=case.id, status=CaseStatus.ACCEPTED, actor="s", public_note="Thụ lý"
    )
    assert latest_public_note(session=db, case_id=case.id) == "Thụ lý"
    add_staff_reply(session=db, case_id=case.id, text="Cán bộ sẽ đến xem.", actor="s")
    assert latest_public_note(session=db, case_id=case.id) == "Cán bộ sẽ đến xem."
    change_status(session=db, case_id=case.id, status=CaseStatus.IN_PROGRESS, actor="s")
    change_status(session=db, case_id=case.id, status=CaseStatus.ANSWERED, actor="s")
    db.flush()
    sent = [m.text for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert len(sent) == 4
    assert "Thụ lý" in sent[0] and "Cán bộ sẽ đến xem." in sent[1]
    assert all("Cán bộ sẽ đến xem." not in text and "Thụ lý" not in text for text in sent[2:])
    # A status change without a note leaves the latest reply as the latest update.
    assert latest_public_note(session=db, case_id=case.id) == "Cán bộ sẽ đến xem."


def test_a_long_reply_goes_out_in_parts_with_its_footer_last(db: Session) -> None:
    case = add_case(db)
    add_staff_reply(session=db, case_id=case.id, text="Nội dung trả lời.\n" * 400, actor="s")
    db.flush()
    sent = [m.text for m in db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    assert len(sent) == 2 and all(len(text) <= 4096 for text in sent)
    assert case.code in sent[0] and "/tracuu" in sent[-1]

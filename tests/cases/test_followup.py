"""Supplements, ratings and data-subject requests on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.cases.draft import AttachmentData
from bot.cases.followup import add_supplement, comment_rating, rate_case
from bot.cases.service import change_status
from bot.cases.status import CaseKind, CaseStatus
from bot.messages.service import record_inbound
from bot.privacy.service import erase_own_data, view_own_data
from tests.factories_cases import add_case, case_draft


def test_supplements_go_to_open_own_cases_only(db: Session) -> None:
    case = add_case(db, chat_id=1)
    photo = AttachmentData("cd" * 32, 5, "image/jpeg", "ảnh", "photo")
    assert (
        add_supplement(session=db, code=case.code, chat_id=2, texts=["x"], attachments=[]) is None
    )
    added = add_supplement(
        session=db, code=case.code, chat_id=1, texts=["thêm"], attachments=[photo]
    )
    assert added is case and len(case.attachments) == 2
    case.status = CaseStatus.CLOSED.value
    assert (
        add_supplement(session=db, code=case.code, chat_id=1, texts=["x"], attachments=[]) is None
    )


def test_rating_once_on_a_closed_case(db: Session) -> None:
    case = add_case(db, chat_id=1)
    assert rate_case(session=db, code=case.code, chat_id=1, rating=5) is None  # still open
    for status in (CaseStatus.ACCEPTED, CaseStatus.ANSWERED, CaseStatus.CLOSED):
        change_status(session=db, case_id=case.id, status=status, actor="staff:an")
    assert rate_case(session=db, code=case.code, chat_id=2, rating=5) is None
    assert rate_case(session=db, code=case.code, chat_id=1, rating=9) is None
    assert rate_case(session=db, code=case.code, chat_id=1, rating=4) is case
    assert rate_case(session=db, code=case.code, chat_id=1, rating=5) is None
    assert comment_rating(session=db, code=case.code, chat_id=1, comment="Tốt")
    assert (case.rating, case.rating_comment) == (4, "Tốt")


def test_erasure_withdraws_and_anonymises_own_cases_only(db: Session) -> None:
    petition = add_case(db, chat_id=1)
    complaint = add_case(db, chat_id=1, draft=case_draft(CaseKind.COMPLAINT))
    other = add_case(db, chat_id=2)
    record_inbound(session=db, chat_id=1, text="hỏi", action="faq")
    record_inbound(session=db, chat_id=2, text="hỏi", action="faq")
    view = view_own_data(session=db, chat_id=1)
    assert {c.id for c in view.cases} == {petition.id, complaint.id} and view.questions == 1
    erased = erase_own_data(session=db, chat_id=1)
    assert (erased.questions_deleted, erased.cases_erased, erased.cases_withdrawn) == (1, 2, 2)
    assert petition.citizen_name is None and petition.citizen_phone is None
    assert complaint.citizen_name is None and complaint.status == CaseStatus.WITHDRAWN
    assert other.citizen_name == "Nguyễn Thị Lan"
    assert view_own_data(session=db, chat_id=1).questions == 0

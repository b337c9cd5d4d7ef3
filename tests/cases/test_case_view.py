"""The case page's read model: permissions, masking, actions offered, the timeline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.cases.case_view import CaseView, case_view
from bot.cases.models import CannedReply, Case
from bot.cases.service import CaseNotFound
from bot.cases.status import CaseKind, CaseStatus
from bot.cases.workflow import add_internal_note, reply_to_citizen, reveal_identity, take_case
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role
from bot.staff.service import actor_of, add_staff
from bot.workdays.service import WorkCalendar
from tests.factories_cases import add_case, case_draft

PASSWORD = "mat-khau-thu-nghiem-1"


def _staff(db: Session, username: str, role: Role, unit: str | None) -> Actor:
    return actor_of(
        add_staff(session=db, username=username, password=PASSWORD, role=role, unit_code=unit)
    )


@pytest.fixture
def people(db: Session) -> dict[str, Actor]:
    return {
        "officer": _staff(db, "canbo.qh", Role.OFFICER, "QH"),
        "officer2": _staff(db, "canbo2.qh", Role.OFFICER, "QH"),
        "other_unit": _staff(db, "canbo.cp", Role.OFFICER, "CP"),
        "leader": _staff(db, "lanhdao.qh", Role.LEADER, "QH"),
        "admin": _staff(db, "quantri", Role.ADMIN, None),
    }


def _denunciation(db: Session) -> Case:
    return add_case(db, draft=case_draft(CaseKind.DENUNCIATION))


def test_view_of_an_unknown_code_is_not_found(db: Session, people: dict[str, Actor]) -> None:
    with pytest.raises(CaseNotFound):
        case_view(session=db, actor=people["officer"], code="QH-0000-9999")


def test_officer_of_another_unit_may_not_see_the_case(
    db: Session, people: dict[str, Actor]
) -> None:
    case = add_case(db)
    with pytest.raises(Forbidden):
        case_view(session=db, actor=people["other_unit"], code=case.code)


def test_denouncer_identity_is_absent_for_an_unassigned_officer(
    db: Session, people: dict[str, Actor]
) -> None:
    case = _denunciation(db)
    view = case_view(session=db, actor=people["officer"], code=case.code, revealed=True)
    assert view.identity.masked
    assert view.identity.name is None and view.identity.id_number is None
    assert not view.can_reveal


def test_leader_sees_the_identity_only_after_a_reveal(
    db: Session, people: dict[str, Actor]
) -> None:
    case = _denunciation(db)
    leader = people["leader"]
    before = case_view(session=db, actor=leader, code=case.code)
    assert before.identity.masked and before.can_reveal
    reveal_identity(session=db, actor=leader, case_id=case.id)
    after = case_view(session=db, actor=leader, code=case.code, revealed=True)
    assert not after.identity.masked
    assert after.identity.name == "Lê Văn Cường"
    assert after.events[-1].kind == "identity_revealed"


def test_actions_follow_the_permissions(db: Session, people: dict[str, Actor]) -> None:
    case = add_case(db)
    officer = case_view(session=db, actor=people["officer"], code=case.code)
    assert officer.actions == {"view", "note", "take"}
    assert officer.officers == [] and officer.canned == [] and officer.next_statuses == []
    leader = case_view(session=db, actor=people["leader"], code=case.code)
    assert {"assign", "extend", "reply", "change_status", "split", "duplicate"} <= leader.actions
    assert {o.label for o in leader.officers} >= {"canbo.qh", "canbo2.qh"}
    assert "classified" in leader.next_statuses and "closed" not in leader.next_statuses
    admin = case_view(session=db, actor=people["admin"], code=case.code)
    assert admin.actions == {"view"}


def test_canned_replies_match_the_case_kind_and_status(
    db: Session, people: dict[str, Actor]
) -> None:
    case = add_case(db)
    db.add_all(
        [
            CannedReply(title="Chung", text="Cảm ơn", kind=None, status=None, active=True),
            CannedReply(title="PA mới", text="Đã nhận", kind="phan_anh", status="received"),
            CannedReply(title="KN", text="Khiếu nại", kind="khieu_nai", status=None),
            CannedReply(title="Cũ", text="Bỏ", kind=None, status=None, active=False),
        ]
    )
    db.flush()
    view = case_view(session=db, actor=people["leader"], code=case.code)
    assert [c.label for c in view.canned] == ["PA mới", "Chung"]


def test_timeline_shows_the_conversation_with_delivery_and_notes(
    db: Session, people: dict[str, Actor]
) -> None:
    case = add_case(db)
    take_case(session=db, actor=people["officer"], case_id=case.id, expected_version=case.version)
    reply_to_citizen(session=db, actor=people["officer"], case_id=case.id, text="Chào ông/bà")
    add_internal_note(session=db, actor=people["officer"], case_id=case.id, text="Gọi lại")
    view = case_view(session=db, actor=people["officer"], code=case.code)
    assert [(e.kind, e.side) for e in view.conversation] == [
        ("staff_reply", "office"),
        ("internal_note", "internal"),
    ]
    reply = view.conversation[0]
    assert reply.delivery == "queued" and reply.actor == "canbo.qh"
    assert view.assignee == "canbo.qh"
    # The full log keeps the queued notice too.
    assert "notification_queued" in [e.kind for e in view.events]


def test_due_state_and_map_link(db: Session, people: dict[str, Actor]) -> None:
    draft = replace(case_draft(), latitude=21.0123, longitude=107.2987)
    case = add_case(db, draft=draft)
    day_after_due = date.fromordinal(case.due_on.toordinal() + 1)

    def seen() -> CaseView:
        return case_view(
            session=db,
            actor=people["officer"],
            code=case.code,
            today=day_after_due,
            calendar=WorkCalendar(),
        )

    late = seen()
    assert late.due_state == "overdue"
    assert late.map_url is not None
    assert late.map_url.startswith("https://www.openstreetmap.org/?mlat=21.012300&mlon=107.298700")
    case.status = CaseStatus.CLOSED.value
    db.flush()
    assert seen().due_state == "ok"

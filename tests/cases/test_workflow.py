"""Following a case up: permissions, assignment, status changes and deadlines (both databases)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from bot.cases.classify import apply_kind
from bot.cases.models import Case
from bot.cases.status import CaseKind, CaseStatus, EventKind
from bot.cases.workflow import (
    StaleCase,
    WorkflowError,
    add_internal_note,
    assign_case,
    change_case_status,
    extend_deadline,
    mark_duplicate,
    reply_to_citizen,
    reveal_identity,
    split_case,
    take_case,
)
from bot.staff.permissions import Action, Forbidden
from bot.staff.roles import Actor
from tests.cases.workflow_support import add_staff_rows, events_of, new_case, outbox_of

S = CaseStatus
DEC_1 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Tuesday 09:00 at the office
REASON = "Vụ việc phức tạp, cần xác minh thêm tại hiện trường"


@pytest.fixture
def staff(db: Session) -> dict[str, Actor]:
    actors = add_staff_rows(db)
    ASSIGNEE["id"] = actors["canbo2.qh"].id
    return actors


def _status(db: Session, actor: Actor, case: Case, status: CaseStatus, **kw: object) -> Case:
    return change_case_status(
        session=db,
        actor=actor,
        case_id=case.id,
        status=status,
        expected_version=case.version,
        **kw,  # type: ignore[arg-type]
    )


# --- Every service refuses what the permission matrix forbids ---

Attempt = Callable[[Session, Actor, Case], object]
ASSIGNEE: dict[str, int] = {}  # the officer a leader assigns to, set by the `staff` fixture
ATTEMPTS: dict[Action, Attempt] = {
    Action.TAKE: lambda db, a, c: take_case(
        session=db, actor=a, case_id=c.id, expected_version=c.version
    ),
    Action.ASSIGN: lambda db, a, c: assign_case(
        session=db,
        actor=a,
        case_id=c.id,
        assignee_id=ASSIGNEE["id"],
        expected_version=c.version,
    ),
    Action.CHANGE_STATUS: lambda db, a, c: _status(db, a, c, S.CLASSIFIED),
    Action.NOTE: lambda db, a, c: add_internal_note(
        session=db, actor=a, case_id=c.id, text="Ghi chú"
    ),
    Action.REPLY: lambda db, a, c: reply_to_citizen(
        session=db, actor=a, case_id=c.id, text="Trả lời"
    ),
    Action.EXTEND: lambda db, a, c: extend_deadline(
        session=db, actor=a, case_id=c.id, days=5, reason=REASON, expected_version=c.version
    ),
    Action.DUPLICATE: lambda db, a, c: mark_duplicate(
        session=db, actor=a, case_id=c.id, original_code="QH-2611-0099", expected_version=c.version
    ),
    Action.SPLIT: lambda db, a, c: split_case(
        session=db,
        actor=a,
        case_id=c.id,
        kind=CaseKind.PETITION,
        content="Phần khác",
        expected_version=c.version,
    ),
    Action.REVEAL_IDENTITY: lambda db, a, c: reveal_identity(session=db, actor=a, case_id=c.id),
}
# (actor, whether the QH case is assigned to canbo.qh) → actions refused.
REFUSED = [
    ("canbo.cp", True, list(ATTEMPTS)),
    ("canbo2.qh", True, [a for a in ATTEMPTS if a is not Action.NOTE]),
    ("canbo.qh", True, [Action.TAKE, Action.ASSIGN, Action.EXTEND]),
    ("canbo.qh", False, [Action.CHANGE_STATUS, Action.REPLY, Action.SPLIT, Action.EXTEND]),
    ("lanhdao.qh", False, [Action.TAKE]),
    ("lanhdao.all", False, [Action.TAKE, Action.REVEAL_IDENTITY]),
    ("quantri", False, list(ATTEMPTS)),
]


@pytest.mark.parametrize(("who", "assigned", "refused"), REFUSED)
def test_services_refuse_what_the_matrix_forbids(
    db: Session, staff: dict[str, Actor], who: str, assigned: bool, refused: list[Action]
) -> None:
    owner = staff["canbo.qh"] if assigned else None
    for action in refused:
        case = new_case(db, CaseKind.DENUNCIATION, assigned=owner)
        with pytest.raises(Forbidden) as error:
            ATTEMPTS[action](db, staff[who], case)
        assert error.value.action is action
        assert events_of(db, case, EventKind.STATUS_CHANGED.value) == []


ALLOWED = [
    ("canbo.qh", True, [Action.NOTE, Action.REPLY, Action.CHANGE_STATUS, Action.REVEAL_IDENTITY]),
    ("canbo.qh", False, [Action.TAKE, Action.NOTE]),
    ("canbo2.qh", True, [Action.NOTE]),
    ("lanhdao.qh", False, [Action.ASSIGN, Action.CHANGE_STATUS, Action.REVEAL_IDENTITY]),
    ("lanhdao.all", False, [Action.ASSIGN, Action.REPLY, Action.SPLIT]),
]


@pytest.mark.parametrize(("who", "assigned", "allowed"), ALLOWED)
def test_services_do_what_the_matrix_allows(
    db: Session, staff: dict[str, Actor], who: str, assigned: bool, allowed: list[Action]
) -> None:
    owner = staff["canbo.qh"] if assigned else None
    for action in allowed:
        case = new_case(db, CaseKind.DENUNCIATION, assigned=owner)
        ATTEMPTS[action](db, staff[who], case)
        assert len(events_of(db, case)) > 1


# --- Taking and assigning ---


def test_an_officer_takes_an_unassigned_case_once(db: Session, staff: dict[str, Actor]) -> None:
    case = new_case(db)
    version = case.version
    take_case(session=db, actor=staff["canbo.qh"], case_id=case.id, expected_version=version)
    assert case.assigned_to_id == staff["canbo.qh"].id and case.version == version + 1
    [event] = events_of(db, case, EventKind.ASSIGNED.value)
    assert event.actor == "staff:canbo.qh" and event.data["to"] == "canbo.qh"
    with pytest.raises(Forbidden):
        take_case(
            session=db, actor=staff["canbo2.qh"], case_id=case.id, expected_version=case.version
        )


def test_a_leader_assigns_only_to_active_staff_of_the_unit(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db)
    leader = staff["lanhdao.qh"]
    for wrong in ("canbo.cp", "quantri", "lanhdao.all"):
        with pytest.raises(WorkflowError) as refused:
            assign_case(
                session=db,
                actor=leader,
                case_id=case.id,
                assignee_id=staff[wrong].id,
                expected_version=case.version,
            )
        assert refused.value.code == "not_assignable"
    assign_case(
        session=db,
        actor=leader,
        case_id=case.id,
        assignee_id=staff["canbo2.qh"].id,
        expected_version=case.version,
    )
    assert case.assigned_to_id == staff["canbo2.qh"].id


def test_a_stale_version_is_refused_before_anything_changes(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db)
    with pytest.raises(StaleCase) as stale:
        take_case(
            session=db, actor=staff["canbo.qh"], case_id=case.id, expected_version=case.version + 1
        )
    assert stale.value.code == "stale" and case.assigned_to_id is None


# --- Status changes ---


def test_transitions_follow_the_flow(db: Session, staff: dict[str, Actor]) -> None:
    leader = staff["lanhdao.qh"]
    case = new_case(db)
    for wrong in (S.CLOSED, S.IN_PROGRESS, S.ANSWERED):
        with pytest.raises(WorkflowError) as refused:
            _status(db, leader, case, wrong)
        assert refused.value.code == "invalid_transition"
    with pytest.raises(WorkflowError) as refused:
        _status(db, leader, case, S.EXTENDED)
    assert refused.value.code == "extend_with_deadline_form"
    for status in (S.CLASSIFIED, S.ACCEPTED, S.IN_PROGRESS, S.ANSWERED, S.CLOSED):
        _status(db, leader, case, status, note=f"Bước {status.value}")
    assert case.status == "closed" and case.closed_at is not None
    changes = events_of(db, case, EventKind.STATUS_CHANGED.value)
    assert [e.status_to for e in changes] == [
        "classified",
        "accepted",
        "in_progress",
        "answered",
        "closed",
    ]
    assert all(e.actor == "staff:lanhdao.qh" and e.data["outbox_ids"] for e in changes)
    # Each notice carries the note of its own change only.
    texts = [m.text for m in outbox_of(db, case)]
    assert "Bước accepted" in texts[1] and "Bước classified" not in texts[1]


def test_not_accepting_needs_a_reason_told_to_the_citizen(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db)
    leader = staff["lanhdao.qh"]
    for empty in (None, "   "):
        with pytest.raises(WorkflowError) as refused:
            _status(db, leader, case, S.NOT_ACCEPTED, reason=empty)
        assert refused.value.code == "reason_required"
    _status(db, leader, case, S.NOT_ACCEPTED, reason="Đơn đã quá thời hiệu <90 ngày>")
    assert case.status_reason == "Đơn đã quá thời hiệu <90 ngày>" and case.due_kind == "none"
    [message] = outbox_of(db, case)
    assert "Lý do: Đơn đã quá thời hiệu &lt;90 ngày&gt;" in message.text


@pytest.mark.parametrize("status", [S.GUIDED, S.TRANSFERRED])
def test_guiding_and_transferring_say_where(
    db: Session, staff: dict[str, Actor], status: CaseStatus
) -> None:
    case = new_case(db)
    leader = staff["lanhdao.qh"]
    with pytest.raises(WorkflowError) as refused:
        _status(db, leader, case, status, note="Xin cảm ơn")
    assert refused.value.code == "routed_to_required"
    _status(db, leader, case, status, routed_to="Tòa án nhân dân khu vực 5", note="Xin cảm ơn")
    assert case.routed_to == "Tòa án nhân dân khu vực 5" and case.first_response_at is not None
    [message] = outbox_of(db, case)
    assert "Tòa án nhân dân khu vực 5" in message.text and "Xin cảm ơn" in message.text


def test_first_response_is_kept_from_the_first_action(db: Session, staff: dict[str, Actor]) -> None:
    case = new_case(db)
    _status(db, staff["lanhdao.qh"], case, S.CLASSIFIED, now=DEC_1)
    first = case.first_response_at
    _status(db, staff["lanhdao.qh"], case, S.ACCEPTED)
    assert case.first_response_at == first


def test_accepting_starts_the_resolution_deadline(db: Session, staff: dict[str, Actor]) -> None:
    complaint = new_case(db, CaseKind.COMPLAINT)
    petition = new_case(db)
    assert complaint.due_kind == "inform" and complaint.due_on == date(2026, 12, 11)
    _status(db, staff["lanhdao.qh"], complaint, S.ACCEPTED, now=DEC_1)
    _status(db, staff["lanhdao.qh"], petition, S.ACCEPTED, now=DEC_1)
    assert (complaint.due_kind, complaint.due_on) == ("resolve", date(2026, 12, 31))
    assert petition.due_on == date(2026, 12, 16)
    _status(db, staff["lanhdao.qh"], petition, S.ANSWERED)
    assert (petition.due_kind, petition.due_on) == ("none", date(2026, 12, 16))


def test_a_resolution_deadline_on_a_holiday_moves_to_the_next_working_day(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db, CaseKind.DENUNCIATION, now=datetime(2026, 7, 27, 3, tzinfo=UTC))
    accepted = datetime(2026, 7, 31, 3, tzinfo=UTC)  # + 30 days = Sunday 30/08, then 31/08–2/09
    _status(db, staff["lanhdao.qh"], case, S.ACCEPTED, now=accepted)
    assert case.due_on == date(2026, 9, 3)


def test_classifying_may_reclassify_and_a_named_denunciation_becomes_confidential(
    db: Session, staff: dict[str, Actor]
) -> None:
    leader = staff["lanhdao.qh"]
    case = new_case(db)
    assert not case.confidential
    with pytest.raises(WorkflowError) as refused:
        _status(db, leader, case, S.ACCEPTED, kind=CaseKind.DENUNCIATION)
    assert refused.value.code == "kind_only_when_classifying"
    _status(db, leader, case, S.CLASSIFIED, kind=CaseKind.DENUNCIATION)
    assert case.kind == "to_cao" and case.confidential and not case.as_information
    [event] = events_of(db, case, EventKind.STATUS_CHANGED.value)
    assert (event.data["kind_from"], event.data["kind_to"]) == ("phan_anh", "to_cao")
    apply_kind(case, CaseKind.PETITION)
    assert case.confidential, "confidentiality is never removed"


def test_a_case_without_full_identity_cannot_become_a_complaint(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db)  # a petition: name and phone only
    with pytest.raises(WorkflowError) as refused:
        _status(db, staff["lanhdao.qh"], case, S.CLASSIFIED, kind=CaseKind.COMPLAINT)
    assert refused.value.code == "identity_required" and case.kind == "phan_anh"


# --- Extensions ---


def _resolving(db: Session, staff: dict[str, Actor], kind: CaseKind) -> Case:
    case = new_case(db, kind)
    for status in (S.ACCEPTED, S.IN_PROGRESS):
        _status(db, staff["lanhdao.qh"], case, status, now=DEC_1)
    return case


def _extend(db: Session, actor: Actor, case: Case, days: int, **kw: object) -> Case:
    return extend_deadline(
        session=db,
        actor=actor,
        case_id=case.id,
        days=days,
        reason=REASON,
        expected_version=case.version,
        **kw,  # type: ignore[arg-type]
    )


def test_a_complaint_is_extended_once_by_at_most_15_days(
    db: Session, staff: dict[str, Actor]
) -> None:
    leader = staff["lanhdao.qh"]
    case = _resolving(db, staff, CaseKind.COMPLAINT)
    with pytest.raises(WorkflowError) as refused:
        _extend(db, leader, case, 16)
    assert refused.value.code == "extension_days"
    _extend(db, leader, case, 15)
    assert (case.status, case.extensions, case.due_on) == ("extended", 1, date(2027, 1, 15))
    [extension] = events_of(db, case, EventKind.DEADLINE_EXTENDED.value)
    assert extension.text == REASON and extension.data["due_from"] == "2026-12-31"
    assert "15/01/2027" in outbox_of(db, case)[-1].text
    with pytest.raises(WorkflowError) as again:
        _extend(db, leader, case, 5)
    assert again.value.code == "extension_limit"


def test_a_denunciation_is_extended_a_second_time_only_when_very_complex(
    db: Session, staff: dict[str, Actor]
) -> None:
    leader = staff["lanhdao.qh"]
    case = _resolving(db, staff, CaseKind.DENUNCIATION)
    _extend(db, leader, case, 30)
    with pytest.raises(WorkflowError) as refused:
        _extend(db, leader, case, 30)
    assert refused.value.code == "extension_not_very_complex"
    _extend(db, leader, case, 30, very_complex=True)
    assert case.extensions == 2 and case.status == "extended"
    with pytest.raises(WorkflowError) as third:
        _extend(db, leader, case, 1, very_complex=True)
    assert third.value.code == "extension_limit"


def test_only_a_case_being_resolved_is_extended(db: Session, staff: dict[str, Actor]) -> None:
    leader = staff["lanhdao.qh"]
    case = new_case(db)
    with pytest.raises(WorkflowError) as refused:
        _extend(db, leader, case, 5)
    assert refused.value.code == "not_extendable"
    _status(db, leader, case, S.ACCEPTED, now=DEC_1)
    _extend(db, leader, case, 5)  # "accepted" has no "extended" in the flow: the date moves
    assert (case.status, case.due_on) == ("accepted", date(2026, 12, 21))
    with pytest.raises(Forbidden):
        _extend(db, staff["canbo.qh"], case, 5)

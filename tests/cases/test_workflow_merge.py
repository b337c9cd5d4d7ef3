"""Duplicates and splits: codes, events on both cases, the citizen's notices (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.cases.models import Case
from bot.cases.status import CaseKind, EventKind
from bot.cases.workflow import WorkflowError, mark_duplicate, split_case
from bot.staff.roles import Actor
from tests.cases.workflow_support import add_staff_rows, events_of, new_case, outbox_of


@pytest.fixture
def staff(db: Session) -> dict[str, Actor]:
    return add_staff_rows(db)


def _duplicate(db: Session, actor: Actor, case: Case, original: str) -> Case:
    return mark_duplicate(
        session=db,
        actor=actor,
        case_id=case.id,
        original_code=original,
        expected_version=case.version,
    )


def test_a_duplicate_is_closed_without_telling_another_citizens_code(
    db: Session, staff: dict[str, Actor]
) -> None:
    original = new_case(db, chat_id=7001)
    duplicate = new_case(db, chat_id=7002)
    _duplicate(db, staff["lanhdao.qh"], duplicate, original.code.lower())
    assert duplicate.status == "closed" and duplicate.duplicate_of_id == original.id
    assert duplicate.closed_at is not None and duplicate.due_kind == "none"
    [message] = outbox_of(db, duplicate)
    assert message.chat_id == 7002 and original.code not in message.text
    assert duplicate.code in message.text
    [status] = events_of(db, duplicate, EventKind.STATUS_CHANGED.value)
    assert status.data["outbox_ids"] == [message.id] and original.code not in (status.text or "")
    assert events_of(db, duplicate, EventKind.DUPLICATE.value)[0].data == {
        "original": original.code
    }
    assert events_of(db, original, EventKind.DUPLICATE.value)[0].data == {
        "duplicate": duplicate.code
    }
    assert outbox_of(db, original) == []


def test_a_duplicate_of_the_citizens_own_case_names_it(
    db: Session, staff: dict[str, Actor]
) -> None:
    original = new_case(db)
    duplicate = new_case(db)
    _duplicate(db, staff["lanhdao.qh"], duplicate, original.code)
    assert original.code in outbox_of(db, duplicate)[0].text


def test_the_original_must_be_visible_another_case_and_not_a_duplicate(
    db: Session, staff: dict[str, Actor]
) -> None:
    elsewhere = new_case(db, unit="CP")
    case = new_case(db, assigned=staff["canbo.qh"])
    first = new_case(db)
    cases = {"missing": "QH-2611-9999", "invisible": elsewhere.code, "self": case.code}
    expected = {
        "missing": "original_not_found",
        "invisible": "original_not_found",
        "self": "same_case",
    }
    for name, code in cases.items():
        with pytest.raises(WorkflowError) as refused:
            _duplicate(db, staff["canbo.qh"], case, code)
        assert refused.value.code == expected[name]
    _duplicate(db, staff["lanhdao.qh"], first, case.code)
    with pytest.raises(WorkflowError) as chained:
        _duplicate(db, staff["canbo.qh"], case, first.code)
    assert chained.value.code == "original_is_duplicate"
    with pytest.raises(WorkflowError) as closed:
        _duplicate(db, staff["lanhdao.qh"], first, case.code)
    assert closed.value.code == "case_not_open"
    # A leader of all units sees the other unit's case.
    _duplicate(db, staff["lanhdao.all"], case, elsewhere.code)
    assert case.duplicate_of_id == elsewhere.id


def test_splitting_makes_a_new_case_for_the_same_citizen(
    db: Session, staff: dict[str, Actor]
) -> None:
    case = new_case(db)
    version = case.version
    new = split_case(
        session=db,
        actor=staff["lanhdao.qh"],
        case_id=case.id,
        kind=CaseKind.DENUNCIATION,
        content="Cán bộ địa chính nhận tiền khi làm thủ tục",
        expected_version=version,
    )
    assert new.code == "QH-2611-0002" and new.id != case.id and new.split_from_id == case.id
    assert (new.kind, new.status, new.unit_code, new.chat_id) == ("to_cao", "received", "QH", 7001)
    assert new.received_at == case.received_at and new.consent_notify and new.consent_handling
    assert new.citizen_name == case.citizen_name and new.due_on == case.due_on
    assert new.details == {"content": "Cán bộ địa chính nhận tiền khi làm thủ tục"}
    assert new.confidential and case.confidential and case.version == version + 1
    assert events_of(db, new, EventKind.CREATED.value)[0].data == {"split_from": case.code}
    assert events_of(db, case, EventKind.SPLIT.value)[0].data["new_case"] == new.code
    [message] = outbox_of(db, new)
    assert new.code in message.text and message.chat_id == 7001


def test_a_complaint_is_split_off_only_with_the_full_identity(
    db: Session, staff: dict[str, Actor]
) -> None:
    anonymous = new_case(db, anonymous=True)
    with pytest.raises(WorkflowError) as refused:
        split_case(
            session=db,
            actor=staff["lanhdao.qh"],
            case_id=anonymous.id,
            kind=CaseKind.COMPLAINT,
            content="Không đồng ý quyết định",
            expected_version=anonymous.version,
        )
    assert refused.value.code == "identity_required"
    full = new_case(db, CaseKind.DENUNCIATION)
    new = split_case(
        session=db,
        actor=staff["lanhdao.qh"],
        case_id=full.id,
        kind=CaseKind.COMPLAINT,
        content="Không đồng ý quyết định",
        expected_version=full.version,
    )
    assert new.kind == "khieu_nai" and new.confidential, "the denouncer stays protected"

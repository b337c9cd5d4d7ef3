"""Optimistic locking: two people act on the same case at once (both databases)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.cases.models import Case
from bot.cases.status import CaseStatus, EventKind
from bot.cases.workflow import StaleCase, change_case_status, take_case
from bot.db import session_factory
from tests.cases.workflow_support import add_staff_rows, events_of, new_case


def test_the_second_of_two_concurrent_changes_is_told_to_reload(db: Session, db_url: str) -> None:
    staff = add_staff_rows(db)
    case_id = new_case(db).id
    db.commit()
    sessions = session_factory(db_url)
    with sessions() as first, sessions() as second:
        version = first.get(Case, case_id).version  # type: ignore[union-attr]
        assert second.get(Case, case_id).version == version  # type: ignore[union-attr]
        change_case_status(
            session=first,
            actor=staff["lanhdao.qh"],
            case_id=case_id,
            status=CaseStatus.CLASSIFIED,
            expected_version=version,
        )
        first.commit()
        # The second still holds version N in memory: the UPDATE finds no row at N.
        with pytest.raises(StaleCase):
            take_case(
                session=second,
                actor=staff["canbo.qh"],
                case_id=case_id,
                expected_version=version,
            )
        second.rollback()
    with sessions() as third:
        # A fresh load sees N + 1: refused before anything is written.
        with pytest.raises(StaleCase):
            change_case_status(
                session=third,
                actor=staff["lanhdao.qh"],
                case_id=case_id,
                status=CaseStatus.ACCEPTED,
                expected_version=version,
            )
        case = third.get(Case, case_id)
        assert case is not None and case.status == "classified" and case.assigned_to_id is None
        assert len(events_of(third, case, EventKind.STATUS_CHANGED.value)) == 1
        assert events_of(third, case, EventKind.ASSIGNED.value) == []

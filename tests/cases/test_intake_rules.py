"""Identity rules: a khiếu nại or a named tố cáo is never saved without identity."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.draft import Step, next_step, set_kind
from bot.cases.models import Case
from bot.cases.service import IncompleteDraft, create_case
from bot.cases.status import CaseKind
from tests.cases.test_draft import filled
from tests.factories_cases import case_draft


def answered(kind: CaseKind, *, anonymous: bool) -> dict[str, object]:
    """A draft dict with everything but the typed answers given."""
    draft = filled(kind.value, anonymous)
    draft["attachments_done"] = True
    return draft


def test_an_anonymous_petition_turned_complaint_asks_for_identity() -> None:
    draft = answered(CaseKind.PETITION, anonymous=True)
    draft["fields"] = {"content": "Đèn hỏng"}
    assert next_step(draft)[0] is Step.SUMMARY
    set_kind(draft, CaseKind.COMPLAINT)
    assert draft["anonymous"] is None
    assert next_step(draft) == (Step.FIELD, "name")


def test_an_anonymous_choice_the_kind_forbids_never_reaches_the_summary() -> None:
    # A draft persisted before the fix: anonymous yet a khiếu nại.
    draft = answered(CaseKind.COMPLAINT, anonymous=True)
    draft["fields"] = {"act": "QĐ 45", "issuer": "UBND", "learnt_on": "2026-11-01", "request": "x"}
    assert next_step(draft) == (Step.FIELD, "name")


def test_a_named_denunciation_turned_petition_asks_identity_again() -> None:
    draft = answered(CaseKind.DENUNCIATION, anonymous=False)
    set_kind(draft, CaseKind.PETITION)
    assert draft["anonymous"] is False
    draft["anonymous"] = True
    set_kind(draft, CaseKind.DENUNCIATION)
    assert draft["anonymous"] is True  # a tố cáo may stay anonymous (as information)


@pytest.mark.parametrize(
    ("kind", "anonymous"),
    [(CaseKind.COMPLAINT, False), (CaseKind.COMPLAINT, True), (CaseKind.DENUNCIATION, False)],
)
@pytest.mark.parametrize("missing", ["name", "phone", "id_number", "home_address"])
def test_the_service_refuses_a_draft_without_the_identity_the_law_requires(
    db: Session, kind: CaseKind, anonymous: bool, missing: str
) -> None:
    draft = case_draft(kind, anonymous=anonymous, **{missing: ""})
    with pytest.raises(IncompleteDraft) as refused:
        create_case(session=db, draft=draft, chat_id=1)
    assert missing in refused.value.missing
    assert db.scalar(select(func.count()).select_from(Case)) == 0


def test_an_anonymous_denunciation_needs_no_identity(db: Session) -> None:
    draft = case_draft(
        CaseKind.DENUNCIATION, anonymous=True, name="", phone="", id_number="", home_address=""
    )
    case, created = create_case(session=db, draft=draft, chat_id=1)
    assert created and case.as_information and case.citizen_name is None

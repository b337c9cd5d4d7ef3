"""The draft's next question, by kind and anonymity; editing; codes typed by citizens."""

from __future__ import annotations

from bot.cases.codes import find_code, normalize_code
from bot.cases.draft import Step, forget, new_draft, next_step
from bot.cases.status import CaseStatus, can_move


def filled(kind: str, anonymous: bool | None) -> dict[str, object]:
    draft = new_draft()
    draft.update(
        kind=kind,
        consent_handling=True,
        consent_notify=False,
        unit="QH",
        address="tổ 1",
        location_asked=True,
        anonymous=anonymous,
    )
    return draft


def test_the_questions_follow_the_kind() -> None:
    draft = new_draft()
    assert next_step(draft) == (Step.KIND, None)
    draft["kind"] = "khieu_nai"
    assert next_step(draft) == (Step.CONSENT_HANDLING, None)
    complaint = filled("khieu_nai", None)
    assert next_step(complaint) == (Step.FIELD, "name")  # a complaint is never anonymous
    petition = filled("phan_anh", None)
    assert next_step(petition) == (Step.IDENTITY, None)
    petition["anonymous"] = True
    assert next_step(petition) == (Step.FIELD, "content")
    petition["fields"]["content"] = "Đèn hỏng"
    assert next_step(petition) == (Step.ATTACHMENTS, None)
    petition["attachments_done"] = True
    assert next_step(petition) == (Step.SUMMARY, None)


def test_editing_asks_only_the_forgotten_answer_again() -> None:
    draft = filled("phan_anh", True)
    draft["fields"]["content"] = "Đèn hỏng"
    draft["attachments_done"] = True
    forget(draft, "address")
    assert next_step(draft) == (Step.ADDRESS, None)
    draft["address"] = "tổ 2"
    forget(draft, "identity")
    assert next_step(draft) == (Step.IDENTITY, None)


def test_codes_typed_loosely_are_understood() -> None:
    assert normalize_code("qh-2611-0042") == "QH-2611-0042"
    assert normalize_code("QH 2611 42") == "QH-2611-0042"
    assert normalize_code("c0 2611 0007") == "CO-2611-0007"
    assert normalize_code("qh26110042") == "QH-2611-0042"
    assert normalize_code("hello") is None


def test_status_flow() -> None:
    assert can_move(CaseStatus.RECEIVED, CaseStatus.ACCEPTED)
    assert can_move(CaseStatus.IN_PROGRESS, CaseStatus.WITHDRAWN)
    assert can_move(CaseStatus.SUSPENDED, CaseStatus.IN_PROGRESS)
    assert not can_move(CaseStatus.RECEIVED, CaseStatus.CLOSED)
    assert not can_move(CaseStatus.CLOSED, CaseStatus.IN_PROGRESS)


def test_codes_are_found_in_sentences() -> None:
    assert find_code("tra cứu mã QH-2611-0042 giúp tôi") == "QH-2611-0042"
    assert find_code("don co 2609 17 xu ly toi dau roi") == "CO-2609-0017"
    assert find_code("đơn của tôi đến đâu rồi") is None

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.faq import review
from bot.faq.feedback import printable, record_feedback, review_queue
from bot.faq.models import AnswerFeedback, FaqAnswer, FaqExample
from bot.messages.models import InboundMessage
from bot.messages.service import record_inbound
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role
from tests.factories import parse_result

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
LEADER = Actor(id=2, username="lanhdao.all", role=Role.LEADER, unit_code=None)


def _fallback(session: Session, text: str, *ranking: tuple[str, float]) -> InboundMessage:
    row = session.get(
        InboundMessage,
        record_inbound(
            session=session, chat_id=7, text=text, action="fallback", parse=parse_result(*ranking)
        ),
    )
    assert row is not None
    return row


def _not_right(session: Session, text: str, intent: str = "khai_sinh") -> AnswerFeedback:
    asked = record_inbound(
        session=session, chat_id=8, text=text, action="faq", parse=parse_result((intent, 0.9))
    )
    return record_feedback(
        session=session, chat_id=8, intent=intent, helpful=False, inbound_message_id=asked
    )


def test_alike_questions_are_grouped_with_and_without_diacritics(knowledge: Session) -> None:
    session = knowledge
    _fallback(session, "Làm giấy khai sinh ở đâu?", ("khai_sinh", 0.4), ("ket_hon", 0.3))
    _fallback(session, "lam giay khai sinh o dau", ("khai_sinh", 0.45))
    _not_right(session, "LÀM GIẤY KHAI SINH Ở ĐÂU")
    _fallback(session, "con chó nhà hàng xóm sủa", ("out_of_scope", 0.3))
    session.flush()

    found = review.unanswered(session=session, actor=ADMIN)

    assert found.total == 2
    sizes = sorted((g.count, len(g.typed)) for g in found.groups)
    assert sizes == [(1, 1), (3, 3)]
    group = next(g for g in found.groups if g.count == 3)
    assert set(group.reasons) == {
        "Chưa trả lời được",
        "Bị đánh giá “Chưa đúng” cho: Đăng ký khai sinh",
    }
    assert group.ranked[0].intent == "khai_sinh"
    assert group.ranked[0].title == "Đăng ký khai sinh"
    other = next(g for g in found.groups if g.count == 1)
    assert other.ranked[0].title == "Ngoài phạm vi hỗ trợ"


def test_field_only_nlu_errors_and_reviewed_questions_are_left_out(knowledge: Session) -> None:
    session = knowledge
    for text in ("trợ cấp", "thủ tục"):
        _fallback(session, text)
    record_inbound(session=session, chat_id=1, text="x y z", action="fallback", nlu_error="down")
    done = _fallback(session, "đã xem rồi")
    done.review_state = "dismissed"
    helpful = record_feedback(session=session, chat_id=1, intent="khai_sinh", helpful=True)
    assert helpful.inbound_message_id is None
    session.flush()
    assert review.unanswered(session=session, actor=ADMIN).groups == []


def test_assign_a_group_adds_citizen_examples_and_marks_it(knowledge: Session) -> None:
    session = knowledge
    first = _fallback(session, "xin  giấy   khai sinh cho con")
    second = _fallback(session, "xin giay khai sinh cho con")
    wrong = _not_right(session, "xin giấy khai sinh cho con", intent="ket_hon")
    session.add(FaqExample(intent="khai_sinh", text="xin giay khai sinh cho con", source="seed"))
    session.flush()
    refs = [f"m{first.id}", f"m{second.id}", f"f{wrong.id}"]

    assert review.assign(session=session, actor=ADMIN, refs=refs, intent="khai_sinh") == 3

    rows = session.scalars(select(FaqExample).where(FaqExample.intent == "khai_sinh")).all()
    assert {(r.text, r.source) for r in rows} == {
        ("xin giay khai sinh cho con", "seed"),
        ("xin giấy khai sinh cho con", "citizen"),
    }
    assert next(r for r in rows if r.source == "citizen").created_by == "staff:quantri"
    for row in (first, second, wrong):
        assert (row.review_state, row.reviewed_by) == ("assigned", "staff:quantri")
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_assigned")).one()
    assert entry.target_id == "khai_sinh"
    assert entry.after is not None and entry.after["added"] == ["xin giấy khai sinh cho con"]
    assert review.unanswered(session=session, actor=ADMIN).groups == []


def test_assign_to_a_conversation_intent_and_one_question_of_a_group(knowledge: Session) -> None:
    session = knowledge
    one = _fallback(session, "thời tiết hôm nay thế nào")
    other = _fallback(session, "thoi tiet hom nay the nao")
    session.flush()
    assert review.assign(session=session, actor=ADMIN, refs=[f"m{one.id}"], intent="out_of_scope")
    assert other.review_state is None
    example = session.scalars(select(FaqExample).where(FaqExample.intent == "out_of_scope")).one()
    assert (example.text, example.source) == ("thời tiết hôm nay thế nào", "citizen")
    assert [g.count for g in review.unanswered(session=session, actor=ADMIN).groups] == [1]


def test_assign_refuses_unknown_or_inactive_intents_and_reviewed_items(
    knowledge: Session,
) -> None:
    session = knowledge
    message = _fallback(session, "câu hỏi lạ")
    session.flush()
    refs = [f"m{message.id}"]
    with pytest.raises(review.ReviewProblem):
        review.assign(session=session, actor=ADMIN, refs=refs, intent="khong_co")
    answer = next(c for c in review.intent_choices(session=session) if c.intent == "ket_hon")
    assert answer.faq
    row = session.get(FaqAnswer, "ket_hon")
    assert row is not None
    row.active = False
    session.flush()
    with pytest.raises(review.ReviewProblem):
        review.assign(session=session, actor=ADMIN, refs=refs, intent="ket_hon")
    with pytest.raises(review.ReviewProblem):
        review.assign(session=session, actor=ADMIN, refs=["bad", "x1"], intent="khai_sinh")
    review.dismiss(session=session, actor=ADMIN, refs=refs)
    with pytest.raises(review.ReviewProblem, match="đã được"):
        review.assign(session=session, actor=ADMIN, refs=refs, intent="khai_sinh")


def test_dismiss_marks_the_questions_and_writes_the_audit_log(knowledge: Session) -> None:
    session = knowledge
    message = _fallback(session, "alo alo")
    wrong = _not_right(session, "sai rồi")
    session.flush()
    count = review.dismiss(session=session, actor=ADMIN, refs=[f"m{message.id}", f"f{wrong.id}"])
    assert count == 2
    assert (message.review_state, wrong.review_state) == ("dismissed", "dismissed")
    assert session.scalars(select(FaqExample).where(FaqExample.source == "citizen")).all() == []
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "review_dismissed")).one()
    assert entry.actor == "staff:quantri"
    assert entry.before == {"items": [f"m{message.id}", f"f{wrong.id}"], "review_state": None}


def test_an_answered_message_cannot_be_assigned_as_a_fallback(knowledge: Session) -> None:
    session = knowledge
    answered = record_inbound(session=session, chat_id=3, text="hỏi", action="faq")
    session.flush()
    with pytest.raises(review.ReviewProblem):
        review.dismiss(session=session, actor=ADMIN, refs=[f"m{answered}"])


def test_non_admins_are_forbidden(knowledge: Session) -> None:
    message = _fallback(knowledge, "câu hỏi")
    refs = [f"m{message.id}"]
    with pytest.raises(Forbidden):
        review.unanswered(session=knowledge, actor=LEADER)
    with pytest.raises(Forbidden):
        review.assign(session=knowledge, actor=LEADER, refs=refs, intent="khai_sinh")
    with pytest.raises(Forbidden):
        review.dismiss(session=knowledge, actor=LEADER, refs=refs)
    assert message.review_state is None


def test_groups_are_capped_newest_first(knowledge: Session) -> None:
    for number in range(5):
        _fallback(knowledge, f"câu hỏi số {number}")
    knowledge.flush()
    found = review.unanswered(session=knowledge, actor=ADMIN, max_groups=2)
    assert found.total == 5
    assert len(found.groups) == 2


def test_review_queue_leaves_out_reviewed_questions(knowledge: Session) -> None:
    kept = _fallback(knowledge, "còn chờ")
    done = _fallback(knowledge, "đã gán")
    knowledge.flush()
    review.dismiss(session=knowledge, actor=ADMIN, refs=[f"m{done.id}"])
    assert [item.text for item in review_queue(session=knowledge)] == [kept.text]


def test_printable_escapes_control_characters() -> None:
    assert printable("a\x1b[31mb\nc\u200bd é") == "a\\x1b[31mb\\nc\\u200bd é"


def test_forged_refs_with_superscript_digits_are_ignored(knowledge: Session) -> None:
    # "m²": "²".isdigit() is True yet int("²") raised a ValueError (a 500 in the console).
    with pytest.raises(review.ReviewProblem):
        review.dismiss(session=knowledge, actor=ADMIN, refs=["m²", "f３"])

"""What citizens ask about procedures: accents or not, ambiguity, off-topic, menu, feedback."""

from __future__ import annotations

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot import texts
from bot.faq.models import AnswerFeedback
from tests.e2e.stack import Citizen, Stack, buttons

# Vague enough that several procedures fit (birth, paternity, civil status changes):
# the bot must ask, not guess.
AMBIGUOUS = "giấy tờ cho con"


def test_same_answer_with_and_without_diacritics(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3001)
    citizen.send("đăng ký thường trú cần giấy tờ gì")
    [accented] = citizen.replies()
    citizen.send("dang ky thuong tru can giay to gi")
    [plain] = citizen.replies()
    assert accented["text"].startswith("<b>ĐĂNG KÝ THƯỜNG TRÚ")
    assert plain["text"] == accented["text"]
    feedback = [d for d in buttons(plain).values() if d.startswith("fb:")]
    assert len(feedback) == 2


def test_ambiguous_question_offers_the_likely_procedures(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3002)
    citizen.send(AMBIGUOUS)
    [reply] = citizen.replies()
    assert reply["text"] == texts.DID_YOU_MEAN
    offered = [(t, d) for t, d in buttons(reply).items() if d.startswith("faq:")]
    # The three best of the civil status procedures it could mean.
    assert len(offered) == 3
    assert "faq:khai_sinh" in {d for _, d in offered}
    title, data = offered[0]
    citizen.click(reply["message_id"], data)
    [answer] = citizen.replies()
    assert answer["text"].startswith(f"<b>{title.upper()}</b>")


def test_a_field_name_alone_lists_that_topic_and_no_field_lists_topics(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3006)
    citizen.send("cho hỏi về trợ cấp ạ")
    [reply] = citizen.replies()
    assert reply["text"].startswith("Về <b>Trợ cấp, hộ nghèo, bảo hiểm y tế</b>")
    offered = {d for d in buttons(reply).values() if d.startswith("faq:")}
    assert offered == {
        "faq:tro_cap_xa_hoi",
        "faq:tro_cap_huu_tri",
        "faq:ho_tro_mai_tang",
        "faq:bao_hiem_y_te",
        "faq:ho_ngheo",
    }
    citizen.send("cho hỏi thủ tục")
    [ask] = citizen.replies()
    assert ask["text"] == texts.PICK_FIELD
    assert any(d.startswith("topic:") for d in buttons(ask).values())


def test_off_topic_gets_a_polite_decline_and_the_menu(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3003)
    citizen.send("giá vàng hôm nay bao nhiêu một chỉ")
    [reply] = citizen.replies()
    assert reply["text"] == texts.OUT_OF_SCOPE
    assert any(d.startswith("topic:") for d in buttons(reply).values())


def test_menu_path_topic_then_procedure_then_back(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3004)
    citizen.send("/menu")
    [menu] = citizen.replies()
    citizen.click(menu["message_id"], "topic:ho_tich")
    [topic] = citizen.replies()
    assert "faq:khai_tu" in buttons(topic).values()
    citizen.click(topic["message_id"], "faq:khai_tu")
    [answer] = citizen.replies()
    assert answer["text"].startswith("<b>ĐĂNG KÝ KHAI TỬ")
    assert "topic:ho_tich" in buttons(answer).values()
    citizen.click(answer["message_id"], "topic:ho_tich")
    [back] = citizen.replies()
    assert back["text"] == topic["text"]


def test_not_right_feedback_is_stored_and_buttons_removed(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=3005)
    citizen.send("lam the can cuoc cho con can gi")
    [answer] = citizen.replies()
    wrong = next(d for t, d in buttons(answer).items() if t == texts.FEEDBACK_WRONG)
    citizen.click(answer["message_id"], wrong)
    [reply] = citizen.replies()
    # The next procedures the model ranked for that question, one tap away.
    assert reply["text"] == texts.FEEDBACK_WRONG_ALTERNATIVES
    offered = [(t, d) for t, d in buttons(reply).items() if d.startswith("faq:")]
    assert 1 <= len(offered) <= 3 and "faq:can_cuoc" not in dict(offered).values()
    title, data = offered[0]
    citizen.click(reply["message_id"], data)
    [other] = citizen.replies()
    assert other["text"].startswith(f"<b>{title.upper()}</b>")
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        row = session.scalars(select(AnswerFeedback).where(AnswerFeedback.chat_id == 3005)).one()
    engine.dispose()
    assert row.helpful is False and row.intent == "can_cuoc" and row.inbound_message_id
    edited = citizen.message(answer["message_id"])
    assert edited["edited"] and not any(d.startswith("fb:") for d in buttons(edited).values())

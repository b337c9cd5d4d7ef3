from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from bot import texts
from bot.answering.service import Action, Thresholds, alternatives, decide
from bot.faq.models import REFERRAL
from bot.faq.service import AnswerData, import_answers
from bot.faq.topics import import_topics
from bot.messages.service import record_inbound
from bot.texts import referrals as referral_texts
from bot.units.service import import_units, read_units_file
from nlu.gate import AnswerGate
from tests.factories import answer_data, parse_result

THRESHOLDS = Thresholds(confident=0.6, ratio=2.0)


def seed(session: Session) -> None:
    import_answers(
        session=session,
        answers=[
            answer_data(),
            answer_data("ket_hon", "Đăng ký kết hôn"),
            answer_data("chung_thuc_ban_sao", "Chứng thực bản sao"),
        ],
    )


def test_confident_faq_intent_gets_its_answer(session: Session) -> None:
    seed(session)
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    decision = decide(session=session, text="khai sinh", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FAQ
    assert decision.intent == "khai_sinh"
    assert decision.reply.startswith("<b>ĐĂNG KÝ KHAI SINH</b>")


def test_close_runner_up_gives_suggestions_not_an_answer(session: Session) -> None:
    seed(session)
    parse = parse_result(("khai_sinh", 0.62), ("ket_hon", 0.5), ("greet", 0.1), ("xyz", 0.08))
    decision = decide(session=session, text="giấy tờ cho con", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK
    assert decision.reply == texts.DID_YOU_MEAN
    assert [s.intent for s in decision.suggestions] == ["khai_sinh", "ket_hon"]


def test_an_off_topic_lookalike_is_offered_not_answered(session: Session) -> None:
    seed(session)
    sure = parse_result(("khai_sinh", 0.95), ("ket_hon", 0.02), text="bé mới sinh bị vàng da")
    for score, action in ((0.4, Action.FALLBACK), (-0.8, Action.FAQ)):
        parse = replace(sure, off_topic=score)
        decision = decide(session=session, text=parse.text, parse=parse, thresholds=THRESHOLDS)
        assert decision.action is action, score
    held = decide(
        session=session,
        text=sure.text,
        parse=replace(sure, off_topic=0.4),
        thresholds=THRESHOLDS,
    )
    assert held.reply == texts.DID_YOU_MEAN
    assert [s.intent for s in held.suggestions][:1] == ["khai_sinh"]  # one tap away


def test_the_off_topic_check_never_holds_back_a_complaint_or_small_talk(
    session: Session,
) -> None:
    seed(session)
    for intent, action in (("complaint", Action.COMPLAINT), ("thanks", Action.SMALLTALK)):
        parse = replace(parse_result((intent, 0.95), ("khai_sinh", 0.01)), off_topic=0.9)
        decision = decide(session=session, text="x", parse=parse, thresholds=THRESHOLDS)
        assert decision.action is action, intent


# Holds back what both models are half sure of: confidence 0.7 with an off-topic score
# near 0 gives 1 / (1 + e^-(-6 + 10 * 0.7 - 5 * 0.3)) = 0.38 at off-topic 0.3 … (weights
# in the order of nlu.gate.FEATURES).
GATE = AnswerGate(weights=(10.0, 0.0, -5.0, 0.0, 0.0), bias=-6.0)


def test_the_answer_gate_holds_back_an_answer_it_finds_unlikely(session: Session) -> None:
    seed(session)
    gated = replace(THRESHOLDS, answer_gate=GATE, gate=0.5, off_topic=1.0)
    sure = parse_result(("khai_sinh", 0.95), ("ket_hon", 0.02), text="mượn loa phường")
    for confidence, off_topic, action in (
        (0.95, -0.5, Action.FAQ),  # 1 / (1 + e^-6) ≈ 1.0
        (0.7, 0.3, Action.FALLBACK),  # ≈ 0.38
        (0.7, -0.3, Action.FAQ),  # 1 / (1 + e^-2.5) ≈ 0.92
    ):
        parse = replace(sure, confidence=confidence, off_topic=off_topic)
        decision = decide(session=session, text=parse.text, parse=parse, thresholds=gated)
        assert decision.action is action, (confidence, off_topic)
        # without the gate, the same rules answer all three
        rules = replace(gated, answer_gate=None)
        assert decide(session=session, text="x", parse=parse, thresholds=rules).action is (
            Action.FAQ
        )
    held = decide(
        session=session,
        text=sure.text,
        parse=replace(sure, confidence=0.7, off_topic=0.3),
        thresholds=gated,
    )
    assert held.reply == texts.DID_YOU_MEAN
    assert [s.intent for s in held.suggestions][:1] == ["khai_sinh"]  # one tap away


def test_the_answer_gate_never_holds_back_a_complaint_small_talk_or_a_model_without_the_check(
    session: Session,
) -> None:
    seed(session)
    gated = replace(THRESHOLDS, answer_gate=AnswerGate((0.0,) * 5, bias=-20.0), gate=0.5)
    for intent, action in (("complaint", Action.COMPLAINT), ("thanks", Action.SMALLTALK)):
        parse = parse_result((intent, 0.95), ("khai_sinh", 0.01))
        decision = decide(session=session, text="x", parse=parse, thresholds=gated)
        assert decision.action is action, intent
    parse = replace(parse_result(("khai_sinh", 0.95), ("ket_hon", 0.01)), off_topic=-1.0)
    assert decide(session=session, text="x", parse=parse, thresholds=gated).action is (
        Action.FALLBACK
    )
    # a model without the off-topic check (the stock pipeline): the gate does not apply
    without_check = replace(parse, off_topic=None)
    assert decide(session=session, text="x", parse=without_check, thresholds=gated).action is (
        Action.FAQ
    )


def test_conversation_intents_map_to_their_actions(session: Session) -> None:
    seed(session)
    expected = {
        "greet": Action.GREET,
        "thanks": Action.SMALLTALK,
        "goodbye": Action.SMALLTALK,
        "bot_challenge": Action.SMALLTALK,
        "complaint": Action.COMPLAINT,
        "case_status": Action.STATUS,
        "out_of_scope": Action.FALLBACK,
    }
    for intent, action in expected.items():
        parse = parse_result((intent, 0.95), ("khai_sinh", 0.01))
        decision = decide(session=session, text="x", parse=parse, thresholds=THRESHOLDS)
        assert decision.action is action, intent
    oos = decide(
        session=session,
        text="giá vàng hôm nay",
        parse=parse_result(("out_of_scope", 0.9)),
        thresholds=THRESHOLDS,
    )
    assert oos.reply == texts.OUT_OF_SCOPE


def test_no_nlu_gives_the_polite_outage_reply(session: Session) -> None:
    decision = decide(session=session, text="khai sinh", parse=None, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK
    assert decision.reply == texts.NLU_DOWN


def test_low_confidence_without_known_intents_is_not_understood(session: Session) -> None:
    seed(session)
    parse = parse_result(("greet", 0.3), ("thanks", 0.3))
    decision = decide(session=session, text="???", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK
    assert decision.reply == texts.NOT_UNDERSTOOD
    assert decision.suggestions == []


def test_suggestions_stop_at_three(session: Session) -> None:
    seed(session)
    import_answers(session=session, answers=[answer_data("khai_tu", "Đăng ký khai tử")])
    parse = parse_result(
        ("khai_sinh", 0.3), ("ket_hon", 0.28), ("khai_tu", 0.2), ("chung_thuc_ban_sao", 0.15)
    )
    decision = decide(session=session, text="giấy tờ cho con", parse=parse, thresholds=THRESHOLDS)
    assert [s.intent for s in decision.suggestions] == ["khai_sinh", "ket_hon", "khai_tu"]


def test_not_right_offers_the_next_ranked_procedures_of_that_question(session: Session) -> None:
    seed(session)
    parse = parse_result(
        ("khai_sinh", 0.9), ("greet", 0.05), ("chung_thuc_ban_sao", 0.03), ("ket_hon", 0.02)
    )
    inbound = record_inbound(
        session=session, chat_id=7, text="giấy tờ cho con", action="faq", parse=parse
    )
    others = alternatives(
        session=session, chat_id=7, inbound_message_id=inbound, answered="khai_sinh"
    )
    # The answered procedure and conversation intents are left out; the rest keep their rank.
    assert [(o.intent, o.title) for o in others] == [
        ("chung_thuc_ban_sao", "Chứng thực bản sao"),
        ("ket_hon", "Đăng ký kết hôn"),
    ]
    assert (
        alternatives(
            session=session, chat_id=7, inbound_message_id=inbound, answered="khai_sinh", limit=1
        )[0].intent
        == "chung_thuc_ban_sao"
    )
    # Another chat's question, or none, offers nothing.
    assert not alternatives(
        session=session, chat_id=8, inbound_message_id=inbound, answered="khai_sinh"
    )
    assert not alternatives(
        session=session, chat_id=7, inbound_message_id=None, answered="khai_sinh"
    )


def test_a_field_name_alone_offers_the_topic_procedures_most_likely_first(
    session: Session,
) -> None:
    seed(session)
    import_topics(
        session=session,
        rows=[
            {
                "id": "ho_tich",
                "title": "Hộ tịch & chứng thực",
                "intents": ["khai_sinh", "ket_hon", "chung_thuc_ban_sao"],
                "keywords": ["hộ tịch"],
            }
        ],
    )
    # However sure the NLU is of one procedure, the citizen named only the field.
    parse = parse_result(("ket_hon", 0.97), ("chung_thuc_ban_sao", 0.02), ("khai_sinh", 0.01))
    decision = decide(session=session, text="hỏi về hộ tịch ạ", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK
    assert decision.reply == texts.TOPIC_CHOICE.format(topic="Hộ tịch &amp; chứng thực")
    assert [s.intent for s in decision.suggestions] == [
        "ket_hon",
        "chung_thuc_ban_sao",
        "khai_sinh",
    ]
    # Without the NLU the list still comes, in topic order.
    down = decide(session=session, text="ho tich", parse=None, thresholds=THRESHOLDS)
    assert [s.intent for s in down.suggestions] == ["khai_sinh", "ket_hon", "chung_thuc_ban_sao"]


def test_generic_words_alone_ask_for_the_field(session: Session) -> None:
    seed(session)
    parse = parse_result(("chung_thuc_ban_sao", 0.9), ("ket_hon", 0.05))
    for text in ("giấy tờ", "thủ tục", "cho hỏi thủ tục ạ"):
        decision = decide(session=session, text=text, parse=parse, thresholds=THRESHOLDS)
        assert decision.action is Action.FALLBACK
        assert decision.reply == texts.PICK_FIELD and not decision.suggestions
    # Text with nothing to fold (an emoji) is left to the NLU.
    emoji = decide(session=session, text="👍", parse=parse, thresholds=THRESHOLDS)
    assert emoji.action is Action.FAQ


def test_an_office_answer_places_the_old_ward_the_citizen_named(session: Session) -> None:
    import_units(session=session, rows=read_units_file())
    # An office answer has no procedure sections: it is always shown whole, with the units.
    office = replace(
        answer_data("gio_lam_viec", "Giờ làm việc"),
        sections=[{"label": "Giờ làm việc", "text": "Sáng 7 giờ 30 đến 11 giờ 30."}],
    )
    import_answers(session=session, answers=[office])
    parse = parse_result(("gio_lam_viec", 0.95), ("dia_chi_mot_cua", 0.02))
    decision = decide(
        session=session,
        text="ubnd phuong cam trung cu lam viec may gio a",
        parse=parse,
        thresholds=THRESHOLDS,
    )
    assert decision.action is Action.FAQ
    heading, placed, *_ = decision.reply.split("\n\n")
    assert heading == "<b>GIỜ LÀM VIỆC</b>"
    assert placed == "📍 Cẩm Trung (tên cũ) nay thuộc <b>Phường Cẩm Phả</b>."
    partly = decide(session=session, text="o hai lang cu", parse=parse, thresholds=THRESHOLDS)
    assert "📍 Một phần Hải Lạng (tên cũ) nay thuộc <b>Xã Hải Hòa</b>; " in partly.reply
    plain = decide(session=session, text="giờ làm việc", parse=parse, thresholds=THRESHOLDS)
    assert "tên cũ" not in plain.reply and "Phường Cẩm Phả" in plain.reply


def referral(intent: str = "ref_ly_hon", title: str = "Ly hôn") -> AnswerData:
    """Another body's procedure in the catalogue."""
    return AnswerData(
        intent=intent,
        title=title,
        summary="",
        sections=[{"label": referral_texts.BODY_LABEL, "text": "Tòa án nhân dân khu vực"}],
        source_url=None,
        checked_on=None,
        kind=REFERRAL,
    )


def test_a_confident_referral_sends_the_citizen_to_the_right_body(session: Session) -> None:
    seed(session)
    import_answers(session=session, answers=[referral()])
    parse = parse_result(("ref_ly_hon", 0.97), ("ket_hon", 0.02))
    decision = decide(session=session, text="thủ tục ly hôn", parse=parse, thresholds=THRESHOLDS)
    assert (decision.action, decision.intent) == (Action.REFER, "ref_ly_hon")
    assert "Tòa án nhân dân khu vực" in decision.reply and "KẾT HÔN" not in decision.reply
    assert decision.aspect is None and not decision.suggestions


def test_a_referral_is_never_offered_among_our_procedures(session: Session) -> None:
    seed(session)
    import_answers(session=session, answers=[referral()])
    parse = parse_result(("ref_ly_hon", 0.45), ("ket_hon", 0.35), ("khai_sinh", 0.1))
    decision = decide(session=session, text="ly hôn", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK
    assert [s.intent for s in decision.suggestions] == ["ket_hon", "khai_sinh"]
    inbound = record_inbound(session=session, chat_id=7, text="ly hôn", action="faq", parse=parse)
    others = alternatives(session=session, chat_id=7, inbound_message_id=inbound, answered="x")
    assert [o.intent for o in others] == ["ket_hon", "khai_sinh"]


def test_a_switched_off_referral_is_not_given(session: Session) -> None:
    seed(session)
    import_answers(session=session, answers=[replace(referral(), active=False)])
    parse = parse_result(("ref_ly_hon", 0.97), ("ket_hon", 0.02))
    decision = decide(session=session, text="ly hôn", parse=parse, thresholds=THRESHOLDS)
    assert decision.action is Action.FALLBACK and decision.suggestions == []


def test_an_answer_leads_with_the_aspect_asked_about(session: Session) -> None:
    seed(session)
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    fee = decide(
        session=session, text="khai sinh lệ phí bao nhiêu", parse=parse, thresholds=THRESHOLDS
    )
    assert (fee.action, fee.aspect, fee.followup) == (Action.FAQ, "fee", False)
    assert "Miễn lệ phí" in fee.reply and "Giấy chứng sinh" not in fee.reply
    general = decide(session=session, text="làm khai sinh", parse=parse, thresholds=THRESHOLDS)
    assert general.aspect is None and "Giấy chứng sinh" not in general.reply

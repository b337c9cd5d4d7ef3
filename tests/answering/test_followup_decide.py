"""Follow-up questions in `decide`: a text naming an aspect, a place or a circumstance but
no procedure is answered for the previous procedure; another subject starts afresh."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot import texts
from bot.answering.service import Action, Decision, Thresholds, decide
from bot.faq.examples import add_examples
from bot.faq.models import REFERRAL
from bot.faq.service import AnswerData, import_answers
from bot.faq.topics import import_topics
from bot.texts import referrals as referral_texts
from bot.units.service import import_units, read_units_file
from nlu.client import ParseResult
from tests.factories import answer_data, parse_result

THRESHOLDS = Thresholds(confident=0.6, ratio=2.0)
# What the NLU says of a text naming no procedure: nothing it is sure of.
UNSURE = parse_result(("out_of_scope", 0.9), ("ket_hon", 0.04))


def procedure(intent: str, title: str) -> AnswerData:
    """An answer with a section for several aspects, each saying whose it is."""
    return AnswerData(
        intent=intent,
        title=title,
        summary=f"Tóm tắt {title}.",
        sections=[
            {"label": "Giấy tờ cần chuẩn bị", "text": f"- Tờ khai {title}."},
            {"label": "Nơi nộp", "text": f"Nộp {title} tại bộ phận một cửa."},
            {"label": "Lệ phí", "text": f"Lệ phí {title}: miễn phí."},
            {"label": "Lưu ý", "text": f"Trường hợp đặc biệt của {title}."},
        ],
        source_url=None,
        checked_on=date(2026, 11, 29),
    )


@pytest.fixture
def seeded(session: Session) -> Session:
    import_answers(
        session=session,
        answers=[
            procedure("khai_sinh", "Đăng ký khai sinh"),
            procedure("ket_hon", "Đăng ký kết hôn"),
            answer_data("cap_so_do", "Cấp sổ đỏ"),
            AnswerData(  # an office answer: no procedure sections, shown whole
                intent="nop_truc_tuyen",
                title="Nộp hồ sơ trực tuyến",
                summary="Các kênh nộp hồ sơ trực tuyến.",
                sections=[{"label": "Các kênh nộp trực tuyến", "text": "VNeID, Cổng DVC."}],
                source_url=None,
                checked_on=None,
            ),
            AnswerData(
                intent="ref_ly_hon",
                title="Ly hôn",
                summary="",
                sections=[{"label": referral_texts.BODY_LABEL, "text": "Tòa án nhân dân"}],
                source_url=None,
                checked_on=None,
                kind=REFERRAL,
            ),
        ],
    )
    import_topics(
        session=session,
        rows=[
            {
                "id": "ho_tich",
                "title": "Hộ tịch",
                "intents": ["khai_sinh", "ket_hon"],
                "keywords": ["hộ tịch"],
            },
            {
                "id": "dat_dai",
                "title": "Đất đai",
                "intents": ["cap_so_do"],
                "keywords": ["đất đai"],
            },
            {
                "id": "chung_thuc",
                "title": "Chứng thực",
                "intents": ["chung_thuc_ban_sao"],
                "keywords": ["chứng thực", "công chứng"],
            },
        ],
    )
    import_units(session=session, rows=read_units_file())
    return session


def ask(
    session: Session,
    text: str,
    parse: ParseResult | None = UNSURE,
    previous: str | None = "khai_sinh",
) -> Decision:
    return decide(session=session, text=text, parse=parse, thresholds=THRESHOLDS, previous=previous)


@pytest.mark.parametrize(
    ("text", "aspect", "says"),
    [
        ("còn lệ phí thì sao?", "fee", "Lệ phí Đăng ký khai sinh"),
        ("con le phi bao nhieu", "fee", "Lệ phí Đăng ký khai sinh"),
        ("cần mang giấy tờ gì", "documents", "Tờ khai Đăng ký khai sinh"),
        # A unit, by its current or its former name: where to file.
        ("ở Cửa Ông thì sao", "where", "Nộp Đăng ký khai sinh"),
        ("em o cam trung cu a", "where", "Nộp Đăng ký khai sinh"),
        # A circumstance: the notes, where an answer's special cases are.
        ("người già không đi được thì sao", "notes", "Trường hợp đặc biệt"),
        ("nếu quá hạn thì sao", "notes", "Trường hợp đặc biệt"),
    ],
)
def test_a_text_naming_no_procedure_follows_up_the_previous_one(
    seeded: Session, text: str, aspect: str, says: str
) -> None:
    decision = ask(seeded, text)
    assert decision.action is Action.FAQ
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", aspect, True)
    assert says in decision.reply and "kết hôn" not in decision.reply


def test_without_a_previous_procedure_the_same_text_is_no_answer(seeded: Session) -> None:
    decision = ask(seeded, "còn lệ phí thì sao?", previous=None)
    assert decision.action is Action.FALLBACK and not decision.followup
    assert decision.reply == texts.OUT_OF_SCOPE


def test_an_unsure_guess_at_another_procedure_does_not_end_the_subject(seeded: Session) -> None:
    parse = parse_result(("ket_hon", 0.45), ("khai_sinh", 0.35), ("out_of_scope", 0.2))
    decision = ask(seeded, "lệ phí bao nhiêu", parse)
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", "fee", True)
    assert decision.confidence == 0.35  # the NLU's score for the procedure answered


def test_a_confident_other_procedure_starts_afresh(seeded: Session) -> None:
    parse = parse_result(("ket_hon", 0.95), ("khai_sinh", 0.03))
    decision = ask(seeded, "còn đăng ký kết hôn thì lệ phí bao nhiêu", parse)
    assert decision.action is Action.FAQ
    assert (decision.intent, decision.aspect, decision.followup) == ("ket_hon", "fee", False)
    assert "Lệ phí Đăng ký kết hôn" in decision.reply


def test_another_body_starts_afresh_with_a_referral(seeded: Session) -> None:
    parse = parse_result(("ref_ly_hon", 0.9), ("ket_hon", 0.05))
    decision = ask(seeded, "nếu ly hôn thì nộp ở đâu", parse)
    assert decision.action is Action.REFER and decision.intent == "ref_ly_hon"
    assert "Tòa án nhân dân" in decision.reply and not decision.followup


def test_a_field_of_another_procedure_starts_afresh(seeded: Session) -> None:
    # "đất đai" is a keyword of a topic that does not list the birth registration.
    decision = ask(seeded, "còn đất đai thì sao", parse_result(("out_of_scope", 0.9)))
    assert not decision.followup and decision.intent != "khai_sinh"
    # The previous procedure's own field does not.
    own = ask(seeded, "còn lệ phí hộ tịch thì sao")
    assert (own.intent, own.followup) == ("khai_sinh", True)
    fee = ask(seeded, "lệ phí chứng thực bao nhiêu")
    assert not fee.followup
    # A paper named after a field asks about the documents of the previous procedure.
    paper = ask(seeded, "giấy tờ có cần công chứng không")
    assert (paper.intent, paper.aspect, paper.followup) == ("khai_sinh", "documents", True)


def test_a_text_with_nothing_to_follow_up_is_decided_as_usual(seeded: Session) -> None:
    thanks = ask(seeded, "cảm ơn nhé", parse_result(("thanks", 0.97)))
    assert thanks.action is Action.SMALLTALK and not thanks.followup
    other = ask(seeded, "giá vàng hôm nay")
    assert other.reply == texts.OUT_OF_SCOPE and not other.followup


def test_greeting_around_a_follow_up_keeps_the_subject(seeded: Session) -> None:
    decision = ask(seeded, "chào em, còn lệ phí thì sao", parse_result(("greet", 0.9)))
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", "fee", True)


def test_no_follow_up_of_a_referral_an_unknown_intent_or_without_the_nlu(seeded: Session) -> None:
    for previous in ("ref_ly_hon", "khong_co"):
        decision = ask(seeded, "còn lệ phí thì sao?", previous=previous)
        assert not decision.followup, previous
    down = ask(seeded, "còn lệ phí thì sao?", parse=None)
    assert down.reply == texts.NLU_DOWN and not down.followup


def test_the_previous_procedure_named_again_is_a_plain_answer(seeded: Session) -> None:
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    decision = ask(seeded, "lệ phí khai sinh bao nhiêu", parse)
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", "fee", False)


def test_an_office_answer_for_an_aspect_keeps_the_subject(seeded: Session) -> None:
    """The general online-filing guide is what the NLU knows of "online"; within a
    conversation about a procedure, the question is about that procedure."""
    online = parse_result(("nop_truc_tuyen", 0.9), ("khai_sinh", 0.05))
    decision = ask(seeded, "cái này làm online được không", online)
    assert (decision.intent, decision.followup) == ("khai_sinh", True)
    assert decision.aspect == "online"
    # Without a subject, or asked about no aspect, the office answer stands.
    assert ask(seeded, "cái này làm online được không", online, previous=None).intent == (
        "nop_truc_tuyen"
    )
    assert ask(seeded, "hướng dẫn chung cho tôi với", online).intent == "nop_truc_tuyen"


@pytest.fixture
def with_examples(seeded: Session) -> Session:
    """The examples the model was trained on: "mất" and "bao lâu" in every procedure's,
    "kết hôn" the marriage's own words."""
    examples = {
        "khai_sinh": [
            "đăng ký khai sinh cho con",
            "khai sinh mất bao lâu",
            "làm giấy khai sinh có mất tiền không",
            "khai sinh cho con ở đâu",
        ],
        "ket_hon": [
            "đăng ký kết hôn cần gì",
            "kết hôn mất bao lâu",
            "lệ phí đăng ký kết hôn",
            "kết hôn với người nước ngoài",
        ],
        "cap_so_do": ["làm sổ đỏ lần đầu", "mất sổ đỏ làm lại", "cấp sổ đỏ mất bao lâu"],
    }
    for intent, lines in examples.items():
        add_examples(session=seeded, actor_tag="test", intent=intent, texts=lines)
    return seeded


def test_a_confident_guess_that_names_no_procedure_keeps_the_subject(
    with_examples: Session,
) -> None:
    """The classifier may be sure of some procedure for "mất bao lâu thì có giấy"; the
    text names none, so it follows up on the birth registration."""
    sure = parse_result(("cap_so_do", 0.9), ("khai_sinh", 0.05))
    decision = ask(with_examples, "mất bao lâu thì có giấy", sure)
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", "time", True)
    named = parse_result(("ket_hon", 0.95), ("khai_sinh", 0.03))
    other = ask(with_examples, "còn kết hôn thì mất bao lâu", named)
    assert (other.intent, other.aspect, other.followup) == ("ket_hon", "time", False)


def test_the_same_procedure_named_again_with_a_circumstance_leads_with_the_notes(
    seeded: Session,
) -> None:
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    decision = ask(seeded, "khai sinh cho con đang ở nước ngoài", parse)
    assert (decision.intent, decision.aspect) == ("khai_sinh", "notes")
    fresh = ask(seeded, "khai sinh cho con đang ở nước ngoài", parse, previous=None)
    assert (fresh.intent, fresh.aspect) == ("khai_sinh", None)  # a first question: overview


def test_a_question_about_the_procedure_just_answered_leads_with_its_notes(
    seeded: Session,
) -> None:
    """The overview was just shown: a further question about the same procedure that names
    no aspect ("hai bên phải có mặt không") is answered from the notes, if it has any."""
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    decision = ask(seeded, "hai vợ chồng có phải cùng đi không", parse)
    assert (decision.intent, decision.aspect) == ("khai_sinh", "notes")
    assert "Trường hợp đặc biệt của Đăng ký khai sinh" in decision.reply
    no_notes = parse_result(("cap_so_do", 0.93), ("ket_hon", 0.03))
    plain = ask(seeded, "hai vợ chồng có phải cùng đi không", no_notes, previous="cap_so_do")
    assert (plain.intent, plain.aspect) == ("cap_so_do", None)


def test_a_new_subject_set_against_the_old_one_starts_afresh(with_examples: Session) -> None:
    """ "còn X thì …" puts X against the procedure discussed: when the NLU is sure of X,
    X is the subject even if X's words also occur in the previous procedure's examples."""
    sure = parse_result(("cap_so_do", 0.9), ("khai_sinh", 0.05))
    for text in ("còn nhà đất thì mất bao lâu", "the con nha dat thi sao"):
        decision = ask(with_examples, text, sure)
        assert (decision.intent, decision.followup) == ("cap_so_do", False), text
    # An aspect, a place or a circumstance after "còn" follows up, as does the NLU's guess
    # without "còn … thì"; typed with diacritics, "con" (a child) sets no subject.
    for text in (
        "còn lệ phí thì sao",
        "còn ở Cửa Ông thì sao",
        "còn người già thì sao",
        "mất bao lâu thì có giấy",
        "con tôi thì mất bao lâu",
    ):
        decision = ask(with_examples, text, sure)
        assert (decision.intent, decision.followup) == ("khai_sinh", True), text


def test_whether_a_paper_must_be_certified_asks_for_the_documents(with_examples: Session) -> None:
    """ "có cần công chứng giấy kết hôn không" after a birth registration asks about a paper
    to bring for it, though it names the marriage."""
    sure = parse_result(("ket_hon", 0.95), ("khai_sinh", 0.03))
    decision = ask(with_examples, "có cần công chứng giấy kết hôn không", sure)
    assert (decision.intent, decision.aspect, decision.followup) == ("khai_sinh", "documents", True)
    named = ask(with_examples, "đăng ký kết hôn cần công chứng không", sure)
    assert (named.intent, named.followup) == ("ket_hon", False)


def test_a_question_naming_nothing_is_read_as_about_the_subject(seeded: Session) -> None:
    """The NLU spreads its belief over "vợ chồng phải cùng đến không"; within a conversation
    about the marriage, the marriage is the likelier subject (`prior.favour_subject`)."""
    spread = parse_result(("out_of_scope", 0.25), ("ref_ly_hon", 0.17), ("ket_hon", 0.16))
    decision = ask(seeded, "vợ chồng phải cùng đến không", spread, previous="ket_hon")
    assert (decision.action, decision.intent, decision.aspect) == (Action.FAQ, "ket_hon", "notes")
    assert ask(seeded, "vợ chồng phải cùng đến không", spread, previous=None).action is (
        Action.FALLBACK
    )
    # Led by a generic phrase towards another procedure, it is not answered for that one.
    leaning = parse_result(("cap_so_do", 0.64), ("ket_hon", 0.035), ("out_of_scope", 0.3))
    unsure = ask(seeded, "hai bên phải có mặt không", leaning, previous="ket_hon")
    assert unsure.action is Action.FALLBACK
    assert [s.intent for s in unsure.suggestions][:2] == ["cap_so_do", "ket_hon"]


def test_a_complaint_is_never_taken_for_a_question_about_the_subject(seeded: Session) -> None:
    leaning = parse_result(("complaint", 0.6), ("ket_hon", 0.1), ("out_of_scope", 0.3))
    decision = ask(seeded, "tôi muốn phản ánh cán bộ hẹn lên hẹn xuống", leaning, "ket_hon")
    assert decision.action is Action.COMPLAINT


def test_an_unsure_question_leaning_to_the_subject_is_answered_for_it(
    with_examples: Session,
) -> None:
    """Unsure, the NLU ranks the subject first: a question about it."""
    leaning = parse_result(("ket_hon", 0.3), ("out_of_scope", 0.25), ("khai_sinh", 0.04))
    decision = ask(with_examples, "thế ông bà nội đưa đi có được không", leaning)
    assert (decision.action, decision.intent, decision.aspect) == (Action.FAQ, "khai_sinh", "notes")
    assert decision.confidence == pytest.approx(0.4 / 0.95)  # its score, as favoured
    # Ranked second, after the NLU's first choice, it is only offered; nor without a subject.
    second = parse_result(("cap_so_do", 0.5), ("out_of_scope", 0.3), ("khai_sinh", 0.04))
    offered = ask(with_examples, "thế có được không", second)
    assert offered.action is Action.FALLBACK
    assert [s.intent for s in offered.suggestions] == ["cap_so_do", "khai_sinh"]
    alone = ask(with_examples, "bố đưa đi được không hay phải cả bố cả mẹ", leaning, previous=None)
    assert alone.action is Action.FALLBACK


def test_a_procedure_named_in_a_stated_condition_is_a_circumstance(
    with_examples: Session,
) -> None:
    """ "bố mẹ chưa đăng ký kết hôn thì …" after a birth registration asks about the birth
    registration in that case: the marriage is the condition, not the subject. Named in
    what is asked after "thì", it is the new subject."""
    sure = parse_result(("ket_hon", 0.95), ("khai_sinh", 0.03))
    for text in (
        "bố mẹ chưa đăng ký kết hôn thì có làm được không",
        "bo me chua dang ky ket hon thi co lam duoc ko",
        "đã kết hôn rồi thì có cần mang theo gì không",
    ):
        decision = ask(with_examples, text, sure)
        assert (decision.intent, decision.followup) == ("khai_sinh", True), text
        assert decision.aspect in {"notes", "documents"}, text
    for text in (
        "đã ly hôn rồi thì kết hôn lại mất bao lâu",  # asks about the marriage
        "chưa kết hôn thì đăng ký kết hôn ở đâu",  # takes up the condition's words
        "muốn đăng ký kết hôn thì cần gì",  # no condition: a wish
    ):
        decision = ask(with_examples, text, sure)
        assert (decision.intent, decision.followup) == ("ket_hon", False), text


def test_who_has_to_file_is_answered_from_the_documents_first_or_in_a_follow_up(
    seeded: Session,
) -> None:
    """Asking who may file (on someone's behalf, alone) gets the section that says so; here
    none does, so the documents, which say who brings what."""
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    first = ask(seeded, "đăng ký khai sinh nhờ người khác đi thay được không", parse, None)
    assert (first.intent, first.aspect, first.followup) == ("khai_sinh", "documents", False)
    assert "Tờ khai Đăng ký khai sinh" in first.reply
    followup = ask(seeded, "bố đi làm xa, mẹ đi một mình được không")
    assert (followup.intent, followup.aspect, followup.followup) == ("khai_sinh", "documents", True)
    # being unable to come is a circumstance: the notes
    unable = ask(seeded, "mẹ không đi lại được thì sao")
    assert (unable.intent, unable.aspect) == ("khai_sinh", "notes")


def test_several_aspects_asked_at_once_are_all_answered(seeded: Session) -> None:
    parse = parse_result(("khai_sinh", 0.93), ("ket_hon", 0.03))
    first = ask(seeded, "làm khai sinh nộp ở đâu, lệ phí bao nhiêu", parse, None)
    assert (first.aspect, first.also) == ("fee", ("where",))
    assert "Lệ phí Đăng ký khai sinh" in first.reply and "Nộp Đăng ký khai sinh" in first.reply
    assert first.reply.index("Lệ phí Đăng ký") < first.reply.index("Nộp Đăng ký")
    followup = ask(seeded, "còn giấy tờ và lệ phí thì sao")
    assert (followup.aspect, followup.also, followup.followup) == ("fee", ("documents",), True)
    assert "Tờ khai Đăng ký khai sinh" in followup.reply

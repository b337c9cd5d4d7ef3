from __future__ import annotations

from sqlalchemy.orm import Session

from bot.faq.feedback import record_feedback, review_queue
from bot.faq.topics import import_topics, read_topics_file
from bot.messages.service import record_inbound
from tests.factories import parse_result


def test_feedback_is_stored_and_linked_to_the_chats_own_question(session: Session) -> None:
    asked = record_inbound(
        session=session,
        chat_id=5,
        text="lam giay khai sinh",
        action="faq",
        parse=parse_result(("khai_sinh", 0.9)),
    )
    mine = record_feedback(
        session=session, chat_id=5, intent="khai_sinh", helpful=False, inbound_message_id=asked
    )
    foreign = record_feedback(
        session=session, chat_id=6, intent="khai_sinh", helpful=True, inbound_message_id=asked
    )
    assert mine.inbound_message_id == asked
    assert foreign.inbound_message_id is None


def test_review_queue_lists_fallbacks_and_not_right_answers(session: Session) -> None:
    record_inbound(
        session=session,
        chat_id=1,
        text="abc xyz",
        action="fallback",
        parse=parse_result(("greet", 0.2)),
    )
    record_inbound(
        session=session, chat_id=1, text="nlu down", action="fallback", nlu_error="ConnectError"
    )
    # Named a field, or none: answered with a list of choices by design.
    import_topics(session=session, rows=read_topics_file())
    for text in ("trợ cấp", "thủ tục"):
        record_inbound(
            session=session, chat_id=1, text=text, action="fallback", parse=parse_result()
        )
    answered = record_inbound(
        session=session,
        chat_id=2,
        text="sổ đỏ mất",
        action="faq",
        parse=parse_result(("cap_so_do", 0.8)),
    )
    record_feedback(
        session=session,
        chat_id=2,
        intent="cap_so_do",
        helpful=False,
        inbound_message_id=answered,
    )
    session.commit()
    items = {(item.text, item.reason) for item in review_queue(session=session)}
    assert items == {("abc xyz", "fallback"), ("sổ đỏ mất", "not_right")}

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.faq.service import import_answers, read_answer_files
from bot.faq.topics import (
    field_named_by,
    import_topics,
    list_topics,
    read_topics_file,
    topic_of,
    topic_procedures,
)


def test_every_answer_is_in_exactly_one_topic() -> None:
    listed = [intent for topic in read_topics_file() for intent in topic["intents"]]
    assert len(listed) == len(set(listed))
    assert set(listed) == {answer.intent for answer in read_answer_files()}


def test_topic_procedures_in_topic_order_with_titles(session: Session) -> None:
    import_topics(session=session, rows=read_topics_file())
    import_answers(session=session, answers=read_answer_files())
    first = list_topics(session=session)[0]
    found = topic_procedures(session=session, topic_id=first.id)
    assert found is not None
    title, procedures = found
    assert title == first.title
    assert [intent for intent, _ in procedures] == first.intents
    assert topic_of(session=session, intent=first.intents[0]) is not None
    assert topic_procedures(session=session, topic_id="nope") is None


def test_topic_keywords_are_stored_as_written_and_name_their_topic(session: Session) -> None:
    import_topics(session=session, rows=read_topics_file())
    social = next(t for t in list_topics(session=session) if "tro_cap_xa_hoi" in t.intents)
    assert "trợ cấp" in social.keywords
    named = field_named_by(session=session, text="Cho em hỏi về trợ cấp ạ")
    assert named.topic == social.id
    assert field_named_by(session=session, text="đăng ký khai sinh cho con").topic is None

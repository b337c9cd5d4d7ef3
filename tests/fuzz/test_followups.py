"""Hostile text everywhere outside the intake: questions, /tracuu, names, supplements,
rating comments, and edits of earlier messages."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select

from bot.cases.draft import DRAFT_KEY
from bot.cases.status import EventKind
from bot.cases.validation import check_text, clean_text
from bot.db import session_scope
from bot.messages.models import InboundMessage
from bot.state.pending import SUPPLEMENT_KEY
from bot.texts import cases as texts
from tests.fuzz import strategies
from tests.fuzz.cases import case_of, lodge
from tests.fuzz.drafts import current, start_at
from tests.fuzz.profiles import fuzz
from tests.fuzz.stack import BotThread, FuzzChat, canary_escaped, check_replies


def _calm(stack: BotThread, chat: FuzzChat) -> None:
    replies = chat.replies()
    assert replies, "the bot said nothing"
    check_replies(replies, stack.failures.take())
    canary_escaped(replies, strategies.CANARY, strategies.CANARY_TAGS)


@fuzz
@given(text=strategies.texts)
def test_free_question(stack: BotThread, text: str) -> None:
    chat = stack.chat("questions")
    chat.seed()
    update_id = chat.send(text)["update_id"]
    _calm(stack, chat)
    assert stack.settings is not None
    with session_scope(stack.settings.database_url) as session:
        row = session.scalars(select(InboundMessage).filter_by(update_id=update_id)).one()
        assert row.text == clean_text(text), "control characters were stored"


@fuzz
@given(text=strategies.texts.filter(lambda t: len(t) < 4000))
@example(text="QH-2611-²")  # int("²") raised here
@example(text="ＱＨ-２６１１-００４２")
def test_tracking_search(stack: BotThread, text: str) -> None:
    chat = stack.chat("tracking")
    chat.send(f"/tracuu {text}")
    _calm(stack, chat)


@fuzz
@given(name=strategies.texts.filter(lambda t: len(t) <= 64))
def test_greeting_a_hostile_name(stack: BotThread, name: str) -> None:
    chat = stack.chat("names")
    chat.post("send", text="/start", first_name=name)
    _calm(stack, chat)


@fuzz
@given(text=strategies.texts)
def test_supplement_text(stack: BotThread, text: str) -> None:
    chat = stack.chat("supplements")
    chat.seed()
    code = lodge(stack, chat.chat_id)
    chat.click(f"case:add:{code}")
    chat.send(text)
    _calm(stack, chat)
    checked = check_text(text, max_len=stack.settings.supplement_max_chars)  # type: ignore[union-attr]
    assert chat.user_data()[SUPPLEMENT_KEY]["texts"] == ([checked.value] if checked.ok else [])
    chat.click("case:done")
    check_replies(chat.replies(), stack.failures.take())
    events = [e for e in case_of(stack, code).events if e.kind == EventKind.SUPPLEMENT.value]
    assert [e.text for e in events] == ([checked.value] if checked.ok else [])


@fuzz
@given(text=strategies.texts, stars=st.integers(1, 5))
def test_rating_comment(stack: BotThread, text: str, stars: int) -> None:
    chat = stack.chat("ratings")
    chat.seed()
    code = lodge(stack, chat.chat_id, closed=True)
    chat.click(f"case:rate:{code}:{stars}")
    chat.send(text)
    _calm(stack, chat)
    case = case_of(stack, code)
    checked = check_text(text, max_len=2000)
    assert case.rating == stars
    assert case.rating_comment == (checked.value if checked.ok else None)


@fuzz
@given(text=strategies.texts)
def test_edited_answer_is_not_read(stack: BotThread, text: str) -> None:
    chat = stack.chat("edits")
    start_at(chat, "content")
    sent = chat.send("Đèn đường ở tổ 7 bị hỏng")
    chat.replies()
    before = current(chat)
    chat.post("edit", message_id=sent["message_id"], text=text)
    replies = chat.replies()
    check_replies(replies, stack.failures.take())
    assert [r["text"] for r in replies] == [texts.EDIT_NOT_READ]
    assert current(chat) == before, "an edit changed the draft"
    assert chat.user_data()[DRAFT_KEY]["parts"]["content"] == ["Đèn đường ở tổ 7 bị hỏng"]

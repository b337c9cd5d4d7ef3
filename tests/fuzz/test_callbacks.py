"""Forged button data on every callback pattern: the bot stays calm and consistent."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.cases.draft import DRAFT_KEY, next_step
from bot.cases.status import CaseKind
from tests.fuzz import strategies
from tests.fuzz.cases import case_of, lodge
from tests.fuzz.drafts import BUTTON_STEPS, TEXT_STEPS, start_at
from tests.fuzz.profiles import fuzz
from tests.fuzz.stack import BotThread, check_replies

INTAKE_PREFIXES = [
    "case:kind:",
    "case:consent:handling:",
    "case:consent:notify:",
    "case:unit:",
    "case:anon:",
    "case:edit:",
    "case:edit",
    "case:abandon:",
    "case:confirm:",
    "case:done",
    "case:skip",
    "case:back",
    "case:cancel",
    "case:start",
    "case:resume",
    "case:",
]
FOLLOWUP_PREFIXES = ["case:add:", "case:rate:", "case:confirm:", "case:"]
ANSWER_PREFIXES = ["fb:1:", "fb:0:", "fb:", "faq:", "topic:", "menu", "help", "privacy:", "part:"]


@fuzz
@given(
    step=st.sampled_from(TEXT_STEPS + BUTTON_STEPS),
    data=strategies.callback_data(INTAKE_PREFIXES),
)
@example(step="unit", data="case:unit:²²")
@example(step="summary", data="case:edit:²")
def test_forged_intake_button(stack: BotThread, step: str, data: str) -> None:
    chat = stack.chat("intake-buttons")
    start_at(chat, step)
    chat.click(data)
    check_replies(chat.replies(), stack.failures.take())
    draft = chat.user_data().get(DRAFT_KEY)
    if draft is not None:  # gone only after a cancel or a refused consent
        next_step(draft)  # still a readable draft
        assert draft.get("kind") in (None, *(k.value for k in CaseKind))
        assert draft.get("unit") in (None, "QH") or len(draft["unit"]) == 2


@pytest.fixture(scope="module")
def followup_codes(stack: BotThread) -> dict[str, str]:
    chat = stack.chat("followup-buttons")
    return {
        "open": lodge(stack, chat.chat_id),
        "closed": lodge(stack, chat.chat_id, closed=True),
        "other": lodge(stack, chat.chat_id + 1, closed=True),  # someone else's
    }


@fuzz
@given(
    which=st.sampled_from(["open", "closed", "other"]),
    prefix=st.sampled_from(FOLLOWUP_PREFIXES),
    tail=st.one_of(st.just(""), strategies.callback_data([":", ":1", ":5", ":"])),
)
@example(which="closed", prefix="case:rate:", tail=":²")  # int("²") raised here
@example(which="open", prefix="case:add:", tail="<b>x</b>")
def test_forged_followup_button(
    stack: BotThread, followup_codes: dict[str, str], which: str, prefix: str, tail: str
) -> None:
    chat = stack.chat("followup-buttons")
    chat.seed()
    code = followup_codes[which]
    data = f"{prefix}{code}{tail}"[:64]
    chat.click(data)
    check_replies(chat.replies(), stack.failures.take())
    chat.send("/huy")  # leave whatever conversation the button began
    check_replies(chat.replies(), stack.failures.take())
    rating = case_of(stack, followup_codes["other"]).rating
    assert rating is None, "a button rated another citizen's case"


@fuzz
@given(data=strategies.callback_data(ANSWER_PREFIXES))
@example(data="fb:1:khai_sinh:²")  # int("²") raised here
@example(data="fb:0:\x1b[2J:1")
def test_forged_answer_and_menu_button(stack: BotThread, data: str) -> None:
    chat = stack.chat("answer-buttons")
    chat.click(data)
    check_replies(chat.replies(), stack.failures.take())

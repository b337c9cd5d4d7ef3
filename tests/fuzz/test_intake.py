"""Fuzzing every question of the intake with hostile text, through the real bot."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.cases.clock import local_today
from bot.cases.draft import FIELDS, Draft, Step, next_step
from bot.cases.validation import Checked, check_text
from bot.texts import cases as texts
from handlers.complaint_answers import _check
from tests.fuzz import strategies
from tests.fuzz.drafts import BUTTON_STEPS, TEXT_STEPS, current, start_at
from tests.fuzz.profiles import fuzz
from tests.fuzz.stack import JSON, BotThread, canary_escaped, check_replies


def _expected(step: str, text: str) -> Checked:
    """The validator's verdict on `text` at `step` (the handler must apply exactly it)."""
    if step == "address":
        return check_text(text, max_len=300)
    if FIELDS[step].multi:
        return check_text(text, max_len=FIELDS[step].max_len)
    return _check(FIELDS[step], text, local_today())


def _answer(stack: BotThread, step: str, text: str) -> tuple[Draft, Draft, list[JSON]]:
    """Start at `step`, type `text`; the draft before and after, and the replies."""
    chat = stack.chat(step)
    before = start_at(chat, step)
    chat.send(text)
    replies = chat.replies()
    check_replies(replies, stack.failures.take())
    canary_escaped(replies, strategies.CANARY, strategies.CANARY_TAGS)
    return before, current(chat), replies


@pytest.mark.parametrize("step", TEXT_STEPS)
@fuzz
@given(text=strategies.texts)
def test_typed_answer(stack: BotThread, step: str, text: str) -> None:
    before, after, replies = _answer(stack, step, text)
    assert replies, "the bot said nothing"
    if step == "unit":
        # Recognised (on to the address) or not (asked again); never a unit that is none.
        assert after.get("unit") in (None, "QH", *_unit_codes(stack))
        assert next_step(after)[0] in (Step.UNIT, Step.ADDRESS)
        return
    checked = _expected(step, text)
    if not checked.ok:
        assert after == before | {"mode": None}, "a refused answer changed the draft"
        limit = 300 if step == "address" else FIELDS[step].max_len
        assert replies[0]["text"] in [p.format(max_len=limit) for p in texts.PROBLEMS.values()]
        return
    if step == "address":
        assert after["address"] == checked.value
    elif FIELDS[step].multi:
        assert after["parts"][step] == [checked.value]
        assert next_step(after) == (Step.FIELD, step)  # more parts may follow
        assert replies[-1]["text"] == texts.PART_SAVED
        return
    else:
        assert after["fields"][step] == checked.value
    assert next_step(after) != next_step(before), "an accepted answer did not move on"


@pytest.mark.parametrize("step", BUTTON_STEPS)
@fuzz
@given(text=strategies.texts)
def test_text_where_a_button_is_expected(stack: BotThread, step: str, text: str) -> None:
    before, after, replies = _answer(stack, step, text)
    assert replies[0]["text"] == texts.USE_BUTTONS
    assert after == before | {"mode": None}


_UNITS: list[str] = []


def _unit_codes(stack: BotThread) -> list[str]:
    if not _UNITS:
        from bot.db import session_scope
        from bot.units.service import list_units

        assert stack.settings is not None
        with session_scope(stack.settings.database_url) as session:
            _UNITS.extend(u.code for u in list_units(session=session))
    return _UNITS

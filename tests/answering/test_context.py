"""The conversation's subject in user_data: remembered, recalled within the gap, forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.answering.context import CONTEXT_KEY, forget, recall, remember, subject_after

AT = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
GAP = timedelta(minutes=30)


def test_the_subject_is_recalled_within_the_gap_only() -> None:
    user_data: dict[str, Any] = {}
    assert recall(user_data, gap=GAP, now=AT) is None
    remember(user_data, "can_cuoc", now=AT)
    assert recall(user_data, gap=GAP, now=AT + timedelta(minutes=29)) == "can_cuoc"
    assert recall(user_data, gap=GAP, now=AT + GAP) is None
    remember(user_data, "ket_hon", now=AT + GAP)
    assert recall(user_data, gap=GAP, now=AT + GAP) == "ket_hon"
    forget(user_data)
    assert recall(user_data, gap=GAP, now=AT) is None and user_data == {}


@pytest.mark.parametrize(
    "stored",
    ["can_cuoc", {"intent": 3, "at": AT.isoformat()}, {"intent": "can_cuoc", "at": "hôm qua"}],
)
def test_damaged_state_is_no_subject(stored: object) -> None:
    assert recall({CONTEXT_KEY: stored}, gap=GAP, now=AT) is None


def test_an_answer_sets_the_subject_small_talk_and_non_answers_keep_it_acts_end_it() -> None:
    assert subject_after("faq", "ket_hon", "can_cuoc") == "ket_hon"
    for action in ("smalltalk", "greet", "fallback"):
        assert subject_after(action, "thanks", "can_cuoc") == "can_cuoc"
        assert subject_after(action, "thanks", None) is None
    for action in ("refer", "complaint", "status"):
        assert subject_after(action, "ref_ly_hon", "can_cuoc") is None

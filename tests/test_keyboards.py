from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup

from handlers import keyboards


def all_callback_data(markup: InlineKeyboardMarkup) -> list[str]:
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row]


def test_answer_keyboard_round_trips_feedback_and_fits_telegram() -> None:
    markup = keyboards.answer("chung_thuc_hop_dong", 123456789, ("chung_thuc", "Chứng thực"))
    data = all_callback_data(markup)
    assert all(len(d.encode()) <= 64 for d in data)
    assert keyboards.parse_feedback(data[0]) == (True, "chung_thuc_hop_dong", 123456789)
    assert keyboards.parse_feedback(data[1]) == (False, "chung_thuc_hop_dong", 123456789)
    assert data[2:] == ["topic:chung_thuc", "menu"]


def test_feedback_without_question_and_garbage() -> None:
    data = all_callback_data(keyboards.answer("khai_sinh", None, None))
    assert keyboards.parse_feedback(data[0]) == (True, "khai_sinh", None)
    assert keyboards.parse_feedback("fb:2:x:1") is None
    assert keyboards.parse_feedback("fb:1:x") is None
    assert keyboards.parse_feedback("fb:1:x:²") is None  # "²".isdigit() yet int() raises
    assert keyboards.parse_feedback("fb:1:x:３") is None
    assert keyboards.parse_feedback("fb:1:\x00<b>:1") is None  # stored: no forged intent


def test_menu_pattern_takes_menu_callbacks_only() -> None:
    pattern = re.compile(keyboards.MENU_PATTERN)
    for data in ("menu", "help", "topic:ho_tich", "faq:khai_sinh"):
        assert pattern.match(data)
    for data in ("fb:1:khai_sinh:0", "case:start", "complaint_howto", "faq:"):
        assert not pattern.match(data)

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup

from bot.faq.aspects import Aspect
from bot.texts import answers as answer_texts
from handlers import keyboards


def all_callback_data(markup: InlineKeyboardMarkup) -> list[str]:
    return [str(b.callback_data) for row in markup.inline_keyboard for b in row]


def test_answer_keyboard_round_trips_feedback_and_fits_telegram() -> None:
    markup = keyboards.answer("chung_thuc_hop_dong", 123456789, ("chung_thuc", "Chứng thực"))
    data = all_callback_data(markup)
    assert all(len(d.encode()) <= 64 for d in data)
    assert keyboards.parse_feedback(data[0]) == (True, "chung_thuc_hop_dong", 123456789)
    assert keyboards.parse_feedback(data[1]) == (False, "chung_thuc_hop_dong", 123456789)
    assert data[-2:] == ["topic:chung_thuc", "menu"]
    parts = [keyboards.parse_part(d) for d in data[2:-2]]
    assert parts[-1] == ("chung_thuc_hop_dong", None)  # the whole guide
    assert [p[1] for p in parts[:-1] if p] == list(Aspect)


def test_answer_keyboard_offers_the_other_parts_only() -> None:
    def labels(markup: InlineKeyboardMarkup) -> list[str]:
        return [b.text for row in markup.inline_keyboard for b in row]

    fee = labels(keyboards.answer("ket_hon", 5, None, "fee", available=["documents", "fee"]))
    assert answer_texts.ASPECT_BUTTONS[Aspect.DOCUMENTS] in fee and answer_texts.FULL_BUTTON in fee
    assert answer_texts.ASPECT_BUTTONS[Aspect.FEE] not in fee
    assert answer_texts.ASPECT_BUTTONS[Aspect.TIME] not in fee
    # the other aspects asked in the same message are shown too: no button for them
    both = labels(
        keyboards.answer(
            "ket_hon", 5, None, "fee", available=["documents", "fee", "time"], also=["time"]
        )
    )
    assert answer_texts.ASPECT_BUTTONS[Aspect.DOCUMENTS] in both
    assert answer_texts.ASPECT_BUTTONS[Aspect.TIME] not in both
    whole = labels(keyboards.answer("ket_hon", 5, None, available=["fee"], full=True))
    assert (
        answer_texts.FULL_BUTTON not in whole and answer_texts.ASPECT_BUTTONS[Aspect.FEE] in whole
    )
    office = all_callback_data(keyboards.answer("gio_lam_viec", 5, None, available=[]))
    assert not any(d.startswith(keyboards.PART_PREFIX) for d in office)
    # An intent too long for the parts' callback data gets no part buttons, never a bad one.
    longest = "a" * 55
    data = all_callback_data(keyboards.answer(longest, 1, None))
    assert all(len(d.encode()) <= 64 for d in data)
    assert keyboards.part_data(longest, "fee") in data
    assert keyboards.part_data(longest, "documents") not in data


def test_part_data_from_the_client_is_checked() -> None:
    assert keyboards.parse_part("part:fee:khai_sinh") == ("khai_sinh", Aspect.FEE)
    assert keyboards.parse_part("part:full:khai_sinh") == ("khai_sinh", None)
    for forged in ("part:price:khai_sinh", "part:fee:", "part:", "part:fee:<b>", "part:fee"):
        assert keyboards.parse_part(forged) is None


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

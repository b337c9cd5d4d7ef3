"""Inline keyboards the handlers attach to their replies, and their callback data."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.digits import parse_digits
from bot.faq.intent_rules import is_intent_name

FAQ_PREFIX = "faq:"
TOPIC_PREFIX = "topic:"
FEEDBACK_PREFIX = "fb:"
MENU = "menu"
HELP = "help"
# The menu's complaint button: the intake conversation (handlers/complaint.py) starts on it.
COMPLAINT_HOWTO = "complaint_howto"
# Every callback the menu handler answers.
MENU_PATTERN = rf"^({MENU}|{HELP}|{TOPIC_PREFIX}.+|{FAQ_PREFIX}.+)$"

Row = list[InlineKeyboardButton]


def faq_button(intent: str, title: str) -> InlineKeyboardButton:
    """A button that opens the answer for `intent`."""
    return InlineKeyboardButton(title, callback_data=f"{FAQ_PREFIX}{intent}")


def _back_to_menu_row() -> Row:
    return [InlineKeyboardButton(texts.MENU_BUTTON_BACK, callback_data=MENU)]


def main_menu(topics: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Every topic (id, title), then the complaint and help entries."""
    rows: list[Row] = [
        [InlineKeyboardButton(title, callback_data=f"{TOPIC_PREFIX}{topic_id}")]
        for topic_id, title in topics
    ]
    rows.append([InlineKeyboardButton(texts.MENU_BUTTON_COMPLAINT, callback_data=COMPLAINT_HOWTO)])
    rows.append([InlineKeyboardButton(texts.MENU_BUTTON_HELP, callback_data=HELP)])
    return InlineKeyboardMarkup(rows)


def topic_menu(procedures: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """The procedures (intent, title) of one topic and the way back."""
    rows: list[Row] = [[faq_button(intent, title)] for intent, title in procedures]
    rows.append(_back_to_menu_row())
    return InlineKeyboardMarkup(rows)


def answer(
    intent: str, inbound_id: int | None, topic: tuple[str, str] | None
) -> InlineKeyboardMarkup:
    """Under an answer: "helpful" / "not right", then back to its topic and to the menu."""
    tail = f"{intent}:{inbound_id or 0}"
    rows: list[Row] = [
        [
            InlineKeyboardButton(
                texts.FEEDBACK_HELPFUL, callback_data=f"{FEEDBACK_PREFIX}1:{tail}"
            ),
            InlineKeyboardButton(texts.FEEDBACK_WRONG, callback_data=f"{FEEDBACK_PREFIX}0:{tail}"),
        ]
    ]
    if topic is not None:
        label = texts.MENU_BUTTON_BACK_TOPIC.format(topic=topic[1])
        rows.append([InlineKeyboardButton(label, callback_data=f"{TOPIC_PREFIX}{topic[0]}")])
    rows.append(_back_to_menu_row())
    return InlineKeyboardMarkup(rows)


def parse_feedback(data: str) -> tuple[bool, str, int | None] | None:
    """(helpful, intent, inbound message id) from feedback callback data, or None."""
    parts = data.removeprefix(FEEDBACK_PREFIX).split(":")
    number = parse_digits(parts[2]) if len(parts) == 3 else None
    # The intent is stored: a forged one ("\x00", markup) goes no further.
    if number is None or parts[0] not in ("0", "1") or not is_intent_name(parts[1]):
        return None
    return parts[0] == "1", parts[1], number or None


def back_to_menu() -> InlineKeyboardMarkup:
    """A single button leading back to the main menu."""
    return InlineKeyboardMarkup([_back_to_menu_row()])


def suggestions(items: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per suggested procedure, then the way back to the menu."""
    rows: list[Row] = [[faq_button(intent, title)] for intent, title in items]
    rows.append(_back_to_menu_row())
    return InlineKeyboardMarkup(rows)

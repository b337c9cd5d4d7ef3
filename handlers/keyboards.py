"""Inline keyboards the handlers attach to their replies, and their callback data."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts
from bot.digits import parse_digits
from bot.faq.aspects import Aspect
from bot.faq.intent_rules import is_intent_name
from bot.texts import answers as answer_texts

FAQ_PREFIX = "faq:"
TOPIC_PREFIX = "topic:"
FEEDBACK_PREFIX = "fb:"
# A part of an answer: "part:<aspect or full>:<intent>" (handlers/answer_parts.py).
PART_PREFIX = "part:"
PART_FULL = "full"
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit
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
    intent: str,
    inbound_id: int | None,
    topic: tuple[str, str] | None,
    aspect: str | None = None,
    *,
    available: Sequence[str] | None = None,
    full: bool = False,
    also: Sequence[str] = (),
) -> InlineKeyboardMarkup:
    """Under an answer: "helpful" / "not right", the other parts of the answer (the aspects
    `available`, by default all, but `aspect` and those shown `also`; the whole guide
    unless `full` is shown), then back to its topic and to the menu. An answer with no
    aspects (`available` empty) is always whole."""
    tail = f"{intent}:{inbound_id or 0}"
    rows: list[Row] = [
        [
            InlineKeyboardButton(
                texts.FEEDBACK_HELPFUL, callback_data=f"{FEEDBACK_PREFIX}1:{tail}"
            ),
            InlineKeyboardButton(texts.FEEDBACK_WRONG, callback_data=f"{FEEDBACK_PREFIX}0:{tail}"),
        ]
    ]
    aspects = list(Aspect) if available is None else [Aspect(a) for a in available]
    if aspects:
        shown = {aspect, *also}
        rows.extend(_part_rows(intent, [a for a in aspects if a not in shown], full))
    if topic is not None:
        label = texts.MENU_BUTTON_BACK_TOPIC.format(topic=topic[1])
        rows.append([InlineKeyboardButton(label, callback_data=f"{TOPIC_PREFIX}{topic[0]}")])
    rows.append(_back_to_menu_row())
    return InlineKeyboardMarkup(rows)


def part_data(intent: str, part: str) -> str:
    """The callback data of the button showing `part` (an aspect or PART_FULL) of `intent`."""
    return f"{PART_PREFIX}{part}:{intent}"


def _part_rows(intent: str, aspects: Sequence[Aspect], full: bool) -> list[Row]:
    """The aspect buttons two to a row, then the whole-guide button; a button whose data
    would be too long for Telegram is left out."""
    buttons = [
        InlineKeyboardButton(answer_texts.ASPECT_BUTTONS[a], callback_data=part_data(intent, a))
        for a in aspects
    ]
    if not full:
        buttons.append(
            InlineKeyboardButton(
                answer_texts.FULL_BUTTON, callback_data=part_data(intent, PART_FULL)
            )
        )
    fitting = [b for b in buttons if len(str(b.callback_data).encode()) <= CALLBACK_DATA_LIMIT]
    return [fitting[i : i + 2] for i in range(0, len(fitting), 2)]


def parse_part(data: str) -> tuple[str, Aspect | None] | None:
    """(intent, aspect; None for the whole guide) from part callback data, or None."""
    part, _, intent = data.removeprefix(PART_PREFIX).partition(":")
    if not is_intent_name(intent):
        return None
    if part == PART_FULL:
        return intent, None
    if part not in Aspect.__members__.values():
        return None
    return intent, Aspect(part)


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

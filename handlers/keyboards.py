"""Inline keyboards the handlers attach to their replies."""

from __future__ import annotations

from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import texts

FAQ_PREFIX = "faq:"
MENU = "menu"
HELP = "help"
COMPLAINT_HOWTO = "complaint_howto"


def faq_button(intent: str, title: str) -> InlineKeyboardButton:
    """A button that opens the answer for `intent`."""
    return InlineKeyboardButton(title, callback_data=f"{FAQ_PREFIX}{intent}")


def main_menu(procedures: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Every procedure (intent, title), then the complaint and help entries."""
    rows = [[faq_button(intent, title)] for intent, title in procedures]
    rows.append([InlineKeyboardButton(texts.MENU_BUTTON_COMPLAINT, callback_data=COMPLAINT_HOWTO)])
    rows.append([InlineKeyboardButton(texts.MENU_BUTTON_HELP, callback_data=HELP)])
    return InlineKeyboardMarkup(rows)


def back_to_menu() -> InlineKeyboardMarkup:
    """A single button leading back to the procedure list."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts.MENU_BUTTON_BACK, callback_data=MENU)]]
    )


def suggestions(items: Iterable[tuple[str, str]]) -> InlineKeyboardMarkup:
    """One button per suggested procedure, then the way back to the menu."""
    rows = [[faq_button(intent, title)] for intent, title in items]
    rows.append([InlineKeyboardButton(texts.MENU_BUTTON_BACK, callback_data=MENU)])
    return InlineKeyboardMarkup(rows)

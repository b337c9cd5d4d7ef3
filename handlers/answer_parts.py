"""The buttons under an answer that show one aspect of it or the whole guide."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.answering import context as conversation
from bot.context import Context
from bot.texts import answers as answer_texts
from bot.texts.splitting import split_html
from handlers import keyboards
from handlers.menu import answer_with_keyboard

# Every callback this handler answers.
PATTERN = f"^{keyboards.PART_PREFIX}"


async def answer_part(update: Update, context: Context) -> None:
    """Send the part of the answer the button names as a new message (the whole guide cut
    to Telegram's size, the buttons under the last piece); the conversation is now about
    that procedure. Forged or stale data gets a polite request to choose again."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    await query.answer()
    chat_id = query.message.chat.id
    parsed = keyboards.parse_part(query.data)
    found = None
    if parsed is not None:
        intent, aspect = parsed
        found = await context.services.db(
            lambda s: answer_with_keyboard(s, intent, None, aspect, full=aspect is None)
        )
    if parsed is None or found is None:
        await context.bot.send_message(
            chat_id, answer_texts.PART_UNKNOWN, reply_markup=keyboards.back_to_menu()
        )
        return
    html, markup = found
    pieces = split_html(html)
    for piece in pieces[:-1]:
        await context.bot.send_message(chat_id, piece, parse_mode=ParseMode.HTML)
    await context.bot.send_message(
        chat_id, pieces[-1], parse_mode=ParseMode.HTML, reply_markup=markup
    )
    if context.user_data is not None:
        conversation.remember(context.user_data, parsed[0])

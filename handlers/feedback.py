"""The "Hữu ích" / "Chưa đúng" buttons under an answer."""

from __future__ import annotations

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode

from bot import texts
from bot.answering.service import Suggestion, alternatives
from bot.context import Context
from bot.faq.feedback import record_feedback
from handlers import keyboards
from handlers.menu import main_menu


async def feedback_button(update: Update, context: Context) -> None:
    """Store the citizen's verdict, drop the buttons, and help further after "not right"."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    parsed = keyboards.parse_feedback(query.data)
    if parsed is None:
        await query.answer()
        return
    helpful, intent, inbound_id = parsed
    chat_id = query.message.chat.id

    def record(session: Session) -> list[Suggestion]:
        """Store the verdict; after "not right", the procedures ranked next."""
        record_feedback(
            session=session,
            chat_id=chat_id,
            intent=intent,
            helpful=helpful,
            inbound_message_id=inbound_id,
        )
        if helpful:
            return []
        return alternatives(
            session=session, chat_id=chat_id, inbound_message_id=inbound_id, answered=intent
        )

    others = await context.services.db(record)
    await query.answer(texts.FEEDBACK_THANKS)
    # Keep the navigation rows; the verdict is given once.
    if isinstance(query.message, Message) and query.message.reply_markup is not None:
        rows = query.message.reply_markup.inline_keyboard[1:]
        await query.edit_message_reply_markup(reply_markup=InlineKeyboardMarkup(rows))
    if helpful:
        return
    if others:
        await context.bot.send_message(
            chat_id,
            texts.FEEDBACK_WRONG_ALTERNATIVES,
            parse_mode=ParseMode.HTML,
            reply_markup=keyboards.suggestions((o.intent, o.title) for o in others),
        )
        return
    await context.bot.send_message(
        chat_id,
        texts.FEEDBACK_WRONG_REPLY,
        parse_mode=ParseMode.HTML,
        reply_markup=await main_menu(context),
    )

"""The menu that needs no typing: procedures as buttons, each opening its answer."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.context import Context
from bot.faq import service as faq
from bot.faq.models import FaqAnswer
from bot.faq.render import render_answer
from handlers import keyboards


async def procedure_menu(context: Context) -> InlineKeyboardMarkup:
    """The main menu keyboard built from the answers in the database."""
    rows = await context.services.db(
        lambda s: [(a.intent, a.title) for a in faq.list_answers(session=s)]
    )
    return keyboards.main_menu(rows)


async def menu_command(update: Update, context: Context) -> None:
    """Show the procedure list (/menu)."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            texts.MENU_TITLE, reply_markup=await procedure_menu(context)
        )


async def menu_button(update: Update, context: Context) -> None:
    """Answer a press on a menu button: the list, an answer, help or the complaint guide."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    await query.answer()
    data = query.data
    if data == keyboards.MENU:
        text, markup = texts.MENU_TITLE, await procedure_menu(context)
    elif data == keyboards.HELP:
        text, markup = texts.HELP, keyboards.back_to_menu()
    elif data == keyboards.COMPLAINT_HOWTO:
        text, markup = texts.COMPLAINT_HOWTO, keyboards.back_to_menu()
    else:
        intent = data.removeprefix(keyboards.FAQ_PREFIX)
        answer = await context.services.db(
            lambda s: _rendered(faq.get_answer(session=s, intent=intent))
        )
        text, markup = answer or texts.ANSWER_NOT_FOUND, keyboards.back_to_menu()
    await context.bot.send_message(
        chat_id=query.message.chat.id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup
    )


def _rendered(answer: FaqAnswer | None) -> str | None:
    return render_answer(answer) if answer is not None else None

"""The menu that needs no typing: topics → procedures → answer, with a way back."""

from __future__ import annotations

from html import escape

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot import texts
from bot.answering import context as conversation
from bot.context import Context
from bot.faq.aspects import Aspect
from bot.faq.knowledge import Knowledge
from bot.faq.knowledge_cache import fresh_knowledge, knowledge_of
from handlers import keyboards


async def knowledge(context: Context) -> Knowledge:
    """The knowledge snapshot: at once when it needs no check, else through the database."""
    services = context.services
    known = fresh_knowledge(services.sessions)
    return known if known is not None else await services.db(knowledge_of)


async def main_menu(context: Context) -> InlineKeyboardMarkup:
    """The main menu keyboard: the topics."""
    known = await knowledge(context)
    return keyboards.main_menu((t.id, t.title) for t in known.topics)


def answer_with_keyboard(
    session: Session,
    intent: str,
    inbound_id: int | None,
    aspect: Aspect | None = None,
    full: bool = False,
) -> tuple[str, InlineKeyboardMarkup] | None:
    """An answer (the overview, one `aspect`, or the `full` guide) and its keyboard
    (feedback, the answer's other parts, back to its topic, back to the menu)."""
    known = knowledge_of(session)
    html = known.answer_html(intent, aspect=aspect, full=full)
    if html is None:
        return None
    topic = known.topic_of(intent)
    back = (topic.id, topic.title) if topic is not None else None
    available = list(known.aspects(intent))
    return html, keyboards.answer(intent, inbound_id, back, aspect, available=available, full=full)


def forget_subject(context: Context) -> None:
    """The menu starts afresh: a question after it is not a follow-up of the last answer."""
    if context.user_data is not None:
        conversation.forget(context.user_data)


async def menu_command(update: Update, context: Context) -> None:
    """Show the topics (/menu)."""
    forget_subject(context)
    if update.effective_message is not None:
        await update.effective_message.reply_text(
            texts.MENU_TITLE, reply_markup=await main_menu(context)
        )


async def menu_button(update: Update, context: Context) -> None:
    """A press on a menu button: the topics, a topic's procedures, an answer, help."""
    query = update.callback_query
    if query is None or query.data is None or query.message is None:
        return
    await query.answer()
    data = query.data
    text: str = texts.ANSWER_NOT_FOUND
    markup: InlineKeyboardMarkup = keyboards.back_to_menu()
    if data == keyboards.MENU:
        forget_subject(context)
        text, markup = texts.MENU_TITLE, await main_menu(context)
    elif data == keyboards.HELP:
        text = texts.HELP
    elif data.startswith(keyboards.TOPIC_PREFIX):
        forget_subject(context)
        topic_id = data.removeprefix(keyboards.TOPIC_PREFIX)
        found = (await knowledge(context)).topic_procedures(topic_id)
        if found is not None:
            title = texts.TOPIC_TITLE.format(topic=escape(found[0], quote=False))
            text, markup = title, keyboards.topic_menu(found[1])
    elif data.startswith(keyboards.FAQ_PREFIX):
        intent = data.removeprefix(keyboards.FAQ_PREFIX)
        answer = await context.services.db(lambda s: answer_with_keyboard(s, intent, None))
        if answer is not None:
            text, markup = answer
            if context.user_data is not None:
                conversation.remember(context.user_data, intent)
    await context.bot.send_message(
        chat_id=query.message.chat.id, text=text, parse_mode=ParseMode.HTML, reply_markup=markup
    )

"""Free text: ask the NLU, store the message, reply with an answer or suggestions."""

from __future__ import annotations

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.answering.service import Action, Decision, decide
from bot.context import Context
from bot.messages.service import record_inbound
from handlers import keyboards
from handlers.menu import procedure_menu
from nlu.client import NluUnavailable, ParseResult


async def question(update: Update, context: Context) -> None:
    """Understand a citizen's question and answer it."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    services = context.services
    text = message.text
    parse: ParseResult | None = None
    error: str | None = None
    try:
        parse = await services.nlu.parse(text)
    except NluUnavailable as exc:
        error = str(exc)

    def decide_and_record(session: Session) -> Decision:
        decision = decide(session=session, text=text, parse=parse, thresholds=services.thresholds)
        record_inbound(
            session=session,
            chat_id=message.chat.id,
            text=text,
            action=decision.action.value,
            update_id=update.update_id,
            parse=parse,
            nlu_error=error,
        )
        return decision

    decision = await services.db(decide_and_record)
    await message.reply_text(
        decision.reply,
        parse_mode=ParseMode.HTML,
        reply_markup=await _markup(decision, context),
        do_quote=False,
    )


async def _markup(decision: Decision, context: Context) -> InlineKeyboardMarkup:
    """The buttons that go with a decision."""
    if decision.suggestions:
        return keyboards.suggestions((s.intent, s.title) for s in decision.suggestions)
    if decision.action in (Action.FAQ, Action.COMPLAINT, Action.STATUS, Action.SMALLTALK):
        return keyboards.back_to_menu()
    return await procedure_menu(context)

"""Free text: ask the NLU, store the message, reply with an answer or suggestions."""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.constants import ParseMode

from bot.answering import context as conversation
from bot.answering.service import Action, Decision, decide
from bot.cases.clock import utcnow
from bot.cases.codes import find_code
from bot.cases.validation import clean_text
from bot.context import Context
from bot.faq.knowledge_cache import knowledge_of
from bot.messages.service import record_inbound
from bot.ops import metrics
from bot.persistence import DatabasePersistence, UserDataWriter
from handlers import keyboards
from handlers.complaint_ui import offer_markup
from handlers.menu import main_menu
from handlers.tracking import show_cases
from nlu.client import NluUnavailable, ParseResult


@dataclass(frozen=True)
class Outcome:
    """A decision, the stored message's id, and the topic and the aspects (the parts it can
    show next) of an answered intent."""

    decision: Decision
    inbound_id: int
    topic: tuple[str, str] | None
    parts: list[str] | None = None


async def question(update: Update, context: Context) -> None:
    """Understand a citizen's question and answer it."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    services = context.services
    # Control characters (NUL breaks PostgreSQL) and bidi overrides never reach storage.
    text = clean_text(message.text)
    parse: ParseResult | None = None
    error: str | None = None
    try:
        parse = await services.nlu.parse(text)
    except NluUnavailable as exc:
        error = str(exc)

    user_data = context.user_data if context.user_data is not None else {}
    now = utcnow()
    gap = timedelta(minutes=services.settings.followup_minutes)
    previous = conversation.recall(user_data, gap=gap, now=now)
    # The conversation's new subject is stored in the message's own transaction.
    writer = _user_data_writer(update, context)

    def decide_and_record(session: Session) -> Outcome:
        decision = decide(
            session=session,
            text=text,
            parse=parse,
            thresholds=services.thresholds,
            previous=previous,
        )
        inbound_id = record_inbound(
            session=session,
            chat_id=message.chat.id,
            text=text,
            action=decision.action.value,
            update_id=update.update_id,
            parse=parse,
            nlu_error=error,
        )
        topic = answer_topic(session, decision)
        if writer is not None:
            following = dict(user_data)
            follow_up_on(following, decision, previous, now)
            writer.write(session, following)
        return Outcome(decision, inbound_id, topic, answer_parts(session, decision))

    outcome = await services.db(decide_and_record)
    follow_up_on(user_data, outcome.decision, previous, now)
    if writer is not None:
        writer.committed()
    if outcome.decision.action is Action.STATUS:
        await show_cases(update, context, find_code(text))
        metrics.replied(update.update_id, outcome.decision.action)
        return
    await message.reply_text(
        outcome.decision.reply,
        parse_mode=ParseMode.HTML,
        reply_markup=await _markup(outcome, context),
        do_quote=False,
    )
    metrics.replied(update.update_id, outcome.decision.action)


def follow_up_on(
    user_data: MutableMapping[str, Any],
    decision: Decision,
    previous: str | None,
    now: datetime | None = None,
) -> None:
    """Store what the conversation is about after `decision`, `previous` being what it
    was about (`conversation.subject_after`); a subject kept restarts its quiet gap."""
    subject = conversation.subject_after(decision.action, decision.intent, previous)
    if subject is not None:
        conversation.remember(user_data, subject, now)
    else:
        conversation.forget(user_data)


def _user_data_writer(update: Update, context: Context) -> UserDataWriter | None:
    """Where the user's data can be written in the message's transaction (None: PTB's
    persistence writes it after the update, as for every other handler)."""
    persistence = context.application.persistence
    user = update.effective_user
    if not isinstance(persistence, DatabasePersistence) or user is None:
        return None
    return persistence.user_data_writer(user.id)


def answer_topic(session: Session, decision: Decision) -> tuple[str, str] | None:
    """The topic (id, title) of an answered intent, for its "back to the topic" button."""
    if decision.action is not Action.FAQ or decision.intent is None:
        return None
    found = knowledge_of(session).topic_of(decision.intent)
    return (found.id, found.title) if found is not None else None


def answer_parts(session: Session, decision: Decision) -> list[str] | None:
    """The aspects an answered intent has sections on, for its buttons (None: no answer)."""
    if decision.action is not Action.FAQ or decision.intent is None:
        return None
    return [str(a) for a in knowledge_of(session).aspects(decision.intent)]


def decision_markup(
    decision: Decision,
    inbound_id: int | None,
    topic: tuple[str, str] | None,
    parts: Sequence[str] | None = None,
) -> InlineKeyboardMarkup | None:
    """The buttons that go with a decision (an answer's other `parts`: by default every
    aspect); None means the main menu."""
    if decision.action is Action.FAQ and decision.intent is not None:
        return keyboards.answer(
            decision.intent, inbound_id, topic, decision.aspect, available=parts, also=decision.also
        )
    if decision.action is Action.COMPLAINT:
        return offer_markup()
    if decision.suggestions:
        return keyboards.suggestions((s.intent, s.title) for s in decision.suggestions)
    if decision.action is Action.SMALLTALK:
        return keyboards.back_to_menu()
    return None


async def _markup(outcome: Outcome, context: Context) -> InlineKeyboardMarkup:
    """The buttons that go with a decision."""
    markup = decision_markup(outcome.decision, outcome.inbound_id, outcome.topic, outcome.parts)
    return markup if markup is not None else await main_menu(context)

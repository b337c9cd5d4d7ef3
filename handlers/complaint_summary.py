"""The end of the intake: edit an answer, cancel, or confirm (the citizen's signature)."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.alerts.service import with_new_case_alert
from bot.cases.draft import DRAFT_KEY, CaseDraft, Step, editable_items, forget, next_step
from bot.cases.followup import record_message_out
from bot.cases.models import Case
from bot.cases.service import (
    INFORM_WITHIN_WORKING_DAYS,
    IncompleteDraft,
    get_by_draft,
    submit_case,
)
from bot.context import Context
from bot.texts import cases as texts
from bot.units.service import get_unit
from handlers.complaint_render import Receipt
from handlers.complaint_steps import advance, choose_again
from handlers.complaint_ui import (
    BACK,
    CONFIRM_PREFIX,
    EDITING,
    ack,
    button,
    current_draft,
    keyboard,
    parse_data,
    say,
)

log = logging.getLogger(__name__)
END = ConversationHandler.END
EDIT_ITEM_PREFIX = "case:edit:"


def _receipt(session: Session, case: Case, _created: bool) -> Receipt:
    unit = get_unit(session=session, code=case.unit_code)
    return Receipt(
        case_id=case.id,
        code=case.code,
        unit_name=unit.name if unit else case.unit_code,
        due_on=case.due_on,
        as_information=case.as_information,
        consent_notify=case.consent_notify,
    )


async def confirm(update: Update, context: Context) -> str | int:
    """Commit the case, then (only then) give the citizen its code and due date."""
    query = update.callback_query
    assert query is not None
    await ack(update)
    draft_id = parse_data(query.data, CONFIRM_PREFIX)
    draft = current_draft(context)
    chat = update.effective_chat
    if draft is None or draft.get("id") != draft_id:
        # A repeated or old confirmation: show the case it created, never create another.
        return await resend_receipt(update, context, draft_id)
    if next_step(draft)[0] is not Step.SUMMARY:
        # A draft from before a rule changed may lack an answer: ask it, never save it.
        return await advance(update, context)
    unit_code = draft["unit"]
    if not await context.services.db(lambda s: get_unit(session=s, code=unit_code) is not None):
        forget(draft, "unit")
        return await choose_again(update, context)
    typed = CaseDraft.from_dict(draft)
    try:
        receipt = await asyncio.to_thread(
            submit_case,
            sessions=context.services.sessions,
            draft=typed,
            chat_id=chat.id if chat else None,
            then=with_new_case_alert(
                _receipt,
                chats=context.services.settings.staff_chat_ids,
                console_url=context.services.settings.console_url,
            ),
        )
    except IncompleteDraft as exc:
        log.error("An incomplete draft reached confirmation: %s", exc)
        return await advance(update, context)
    except SQLAlchemyError:
        log.warning("Database unavailable while confirming a case", exc_info=True)
        await say(update, context, texts.DATABASE_DOWN)
        return await advance(update, context)
    context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
    await _send_receipt(update, context, receipt)
    return END


async def _send_receipt(update: Update, context: Context, receipt: Receipt) -> None:
    """Send the receipt and log it on the case (logging must not lose the message)."""
    text = receipt.text(INFORM_WITHIN_WORKING_DAYS)
    await say(update, context, text, ReplyKeyboardRemove())
    try:
        await context.services.db(
            lambda s: record_message_out(session=s, case_id=receipt.case_id, text=text)
        )
    except SQLAlchemyError:
        log.warning("Could not log the receipt of case %s", receipt.case_id)


async def resend_receipt(update: Update, context: Context, draft_id: str) -> int:
    """The receipt of the case created from `draft_id`, or "no such draft"."""
    await ack(update)
    chat = update.effective_chat
    receipt = await context.services.db(
        lambda s: (
            _receipt(s, case, False)
            if (case := get_by_draft(session=s, draft_id=draft_id)) is not None
            and chat is not None
            and case.chat_id == chat.id
            else None
        )
    )
    if receipt is None:
        await say(update, context, texts.DRAFT_GONE)
    else:
        await say(update, context, receipt.text(INFORM_WITHIN_WORKING_DAYS))
    return END


async def edit_menu(update: Update, context: Context) -> str | int:
    """Offer every answer for editing."""
    await ack(update)
    draft = current_draft(context)
    if draft is None:
        return await advance(update, context)
    labels = {**texts.SUMMARY_ROWS, **texts.FIELD_LABELS}
    rows = [[button(labels[item], f"{EDIT_ITEM_PREFIX}{item}")] for item in editable_items(draft)]
    rows.append([button(texts.BUTTON_BACK, BACK)])
    draft["mode"] = EDITING
    await say(update, context, texts.ASK_EDIT, keyboard(*rows))
    return EDITING


async def edit_item(update: Update, context: Context) -> str | int:
    """Forget one answer so it is asked again; then back to the summary."""
    query = update.callback_query
    assert query is not None
    await ack(update)
    draft = current_draft(context)
    item = parse_data(query.data, EDIT_ITEM_PREFIX)
    if draft is None:
        return await advance(update, context)
    if item not in editable_items(draft):
        await say(update, context, texts.CHOOSE_AGAIN)
        return await edit_menu(update, context)
    forget(draft, item)
    return await advance(update, context)


async def back_to_summary(update: Update, context: Context) -> str | int:
    """Leave the edit menu unchanged."""
    await ack(update)
    return await advance(update, context)

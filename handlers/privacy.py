"""/quyenriengtu: what is stored and why; see it or ask for its deletion (logged for staff)."""

from __future__ import annotations

import asyncio
from html import escape

from telegram import Update

from bot.context import Context
from bot.privacy.scrub import scrub
from bot.privacy.service import DataView, erase_own_data, view_own_data
from bot.retention.service import hashes_in
from bot.texts import cases as texts
from handlers.complaint_render import field_value
from handlers.complaint_ui import ack, button, keyboard, say

PREFIX = "privacy:"
VIEW = "privacy:view"
DELETE = "privacy:delete"
DELETE_CONFIRMED = "privacy:delete:yes"
KEEP = "privacy:keep"


async def privacy_command(update: Update, context: Context) -> None:
    """Explain what is stored and offer to see or delete it."""
    markup = keyboard(
        [button(texts.BUTTON_PRIVACY_VIEW, VIEW)], [button(texts.BUTTON_PRIVACY_DELETE, DELETE)]
    )
    settings = context.services.settings
    text = texts.PRIVACY.format(
        question_days=settings.question_retention_days,
        draft_days=settings.draft_retention_days,
        case_years=settings.case_personal_data_years,
    )
    await say(update, context, text, markup)


def render_view(view: DataView) -> str:
    """The citizen's own data, case by case."""
    text = texts.PRIVACY_VIEW_TITLE
    if not view.cases:
        return text + texts.PRIVACY_VIEW_NOTHING.format(questions=view.questions)
    for case in view.cases:
        personal = {
            "name": case.citizen_name,
            "phone": case.citizen_phone,
            "id_number": case.citizen_id_number,
            "home_address": case.citizen_address,
        }
        values = [(texts.FIELD_LABELS[k], v) for k, v in personal.items() if v]
        values.append((texts.SUMMARY_ROWS["address"], case.address_detail))
        values += [
            (texts.FIELD_LABELS.get(k, k), field_value(k, v))
            for k, v in case.details.items()
            if isinstance(v, str)
        ]
        rows = "\n".join(f"{escape(k)}: {escape(v[:300], quote=False)}" for k, v in values)
        text += texts.PRIVACY_VIEW_CASE.format(
            code=escape(case.code), kind=texts.KIND_LABELS[case.kind], rows=rows
        )
    return text + texts.PRIVACY_VIEW_QUESTIONS.format(questions=view.questions)


async def erase(context: Context, chat_id: int) -> str:
    """Erase the chat's data (and what this process holds of it in memory), scrub what
    the erasure freed, and say what was done."""
    services = context.services
    held = dict(context.user_data or {})
    erased = await services.db(
        lambda s: erase_own_data(session=s, chat_id=chat_id, also_files=hashes_in(held))
    )
    if context.user_data is not None:
        context.user_data.clear()  # persisted empty: drafts, supplements, ratings gone
    await asyncio.to_thread(
        scrub, services.sessions, var_dir=services.settings.var_dir, files=erased.files
    )
    withdrawn = erased.cases_withdrawn
    return texts.PRIVACY_DELETED.format(
        request=erased.request_id,
        questions=erased.questions_deleted,
        cases=erased.cases_erased,
        withdrawn=texts.PRIVACY_WITHDRAWN.format(count=withdrawn) if withdrawn else "",
    )


async def privacy_button(update: Update, context: Context) -> None:
    """See the data, ask for deletion, confirm it or keep everything."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None:
        return
    await ack(update)
    if query.data == VIEW:
        view = await context.services.db(lambda s: view_own_data(session=s, chat_id=chat.id))
        text = render_view(view) + texts.PRIVACY_VIEW_LOGGED.format(request=view.request_id)
        await say(update, context, text)
    elif query.data == DELETE:
        markup = keyboard(
            [button(texts.BUTTON_PRIVACY_CONFIRM, DELETE_CONFIRMED)],
            [button(texts.BUTTON_PRIVACY_KEEP, KEEP)],
        )
        await say(update, context, texts.PRIVACY_CONFIRM_DELETE, markup)
    elif query.data == DELETE_CONFIRMED:
        await say(update, context, await erase(context, chat.id))
    elif query.data == KEEP:
        await say(update, context, texts.PRIVACY_KEEP)
    else:  # a forged or outdated button: the choice again
        await say(update, context, texts.CHOOSE_AGAIN)
        await privacy_command(update, context)

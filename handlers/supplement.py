""" "Bổ sung thông tin": the citizen adds texts and files to an open case."""

from __future__ import annotations

import warnings
from dataclasses import asdict

from sqlalchemy.orm import Session
from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.cases.draft import AttachmentData
from bot.cases.followup import add_supplement
from bot.cases.service import find_own_case
from bot.cases.status import CaseStatus, accepts_supplements
from bot.cases.validation import Problem, check_text
from bot.context import Context
from bot.state.pending import CONVERSATIONS, SUPPLEMENT_KEY
from bot.texts import cases as texts
from handlers.complaint_files import receive
from handlers.complaint_render import html
from handlers.complaint_ui import ack, done_keyboard, parse_data, say
from handlers.pending import guard_conversation, let_go
from handlers.tracking import SUPPLEMENT_PREFIX

ADDING = "supplement"
KEY = SUPPLEMENT_KEY
END = ConversationHandler.END


async def begin(update: Update, context: Context) -> str | int:
    """Start adding to the case named in the button."""
    query = update.callback_query
    chat = update.effective_chat
    assert query is not None and chat is not None and context.user_data is not None
    await ack(update)
    code = parse_data(query.data, SUPPLEMENT_PREFIX)

    def files_of_open_case(session: Session) -> int | None:
        case = find_own_case(session=session, code=code, chat_id=chat.id)
        if case is None or not accepts_supplements(CaseStatus(case.status)):
            return None
        return len(case.attachments)

    stored = await context.services.db(files_of_open_case)
    if stored is None:
        await say(update, context, texts.SUPPLEMENT_CLOSED.format(code=html(code)))
        return END
    # "stored": the case's files so far, so that the per-case limit holds across sessions.
    context.user_data[KEY] = {"code": code, "texts": [], "attachments": [], "stored": stored}
    await say(update, context, texts.ASK_SUPPLEMENT.format(code=html(code)))
    return ADDING


async def add_text(update: Update, context: Context) -> str:
    """Keep one more text."""
    pending = (context.user_data or {}).get(KEY)
    message = update.effective_message
    if pending is None or message is None:
        return ADDING
    limit = context.services.settings.supplement_max_chars
    used = sum(len(t) for t in pending["texts"])
    checked = check_text(message.text or "", max_len=limit - used)
    if checked.problem is not None or checked.value is None:
        problem = checked.problem or Problem.EMPTY
        if problem is Problem.TOO_LONG and used:
            reply = texts.SUPPLEMENT_TOO_LONG.format(max_len=limit)
        else:
            reply = texts.PROBLEMS[problem.value].format(max_len=limit)
        await say(update, context, reply, done_keyboard() if used else None)
        return ADDING
    pending["texts"].append(checked.value)
    await say(update, context, texts.SUPPLEMENT_PART_SAVED, done_keyboard())
    return ADDING


async def add_file(update: Update, context: Context) -> str:
    """Keep one more photo or document."""
    pending = (context.user_data or {}).get(KEY)
    if pending is None:
        return ADDING
    count_so_far = pending.get("stored", 0) + len(pending["attachments"])
    stored = await receive(update, context, count_so_far)
    if isinstance(stored, str):
        await say(update, context, stored, done_keyboard())
        return ADDING
    pending["attachments"].append(asdict(stored))
    await say(update, context, texts.SUPPLEMENT_PART_SAVED, done_keyboard())
    return ADDING


async def finish(update: Update, context: Context) -> int:
    """Append everything to the case in one transaction."""
    await ack(update)
    chat = update.effective_chat
    pending = (context.user_data or {}).pop(KEY, None)
    if pending is None or chat is None:
        return END
    if not pending["texts"] and not pending["attachments"]:
        await say(update, context, texts.SUPPLEMENT_EMPTY)
        return END
    files = [AttachmentData(**a) for a in pending["attachments"]]
    done = await context.services.db(
        lambda s: (
            add_supplement(
                session=s,
                code=pending["code"],
                chat_id=chat.id,
                texts=pending["texts"],
                attachments=files,
            )
            is not None
        )
    )
    template = texts.SUPPLEMENT_DONE if done else texts.SUPPLEMENT_CLOSED
    await say(update, context, template.format(code=pending["code"]))
    return END


async def stop(update: Update, context: Context) -> int:
    """/huy: add nothing."""
    if context.user_data is not None:
        context.user_data.pop(KEY, None)
    await say(update, context, texts.SUPPLEMENT_EMPTY)
    return END


async def not_here(update: Update, context: Context) -> str:
    """Anything else while adding."""
    await say(update, context, texts.NOT_HERE, done_keyboard())
    return ADDING


def supplement_conversation() -> ConversationHandler[Context]:
    """The persistent conversation behind "Bổ sung thông tin"."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[CallbackQueryHandler(begin, pattern=rf"^{SUPPLEMENT_PREFIX}")],
            states={
                ADDING: [
                    MessageHandler(filters.TEXT & ~filters.COMMAND, add_text),
                    MessageHandler(filters.PHOTO | filters.Document.ALL, add_file),
                    CallbackQueryHandler(finish, pattern=r"^case:done$"),
                ]
            },
            fallbacks=[
                CommandHandler(["huy", "cancel"], stop),
                # "Bổ sung" of another (or the same) case mid-way: start over with that one.
                CallbackQueryHandler(begin, pattern=rf"^{SUPPLEMENT_PREFIX}"),
                MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, not_here),
            ],
            name=CONVERSATIONS[KEY],
            persistent=True,
        )
    return guard_conversation(conversation, KEY, let_go(KEY))

""" "Bổ sung thông tin": the citizen adds texts and files to an open case."""

from __future__ import annotations

import warnings
from dataclasses import asdict

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
from bot.cases.validation import check_text
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
    is_open = await context.services.db(
        lambda s: (
            (c := find_own_case(session=s, code=code, chat_id=chat.id)) is not None
            and accepts_supplements(CaseStatus(c.status))
        )
    )
    if not is_open:
        await say(update, context, texts.SUPPLEMENT_CLOSED.format(code=html(code)))
        return END
    context.user_data[KEY] = {"code": code, "texts": [], "attachments": []}
    await say(update, context, texts.ASK_SUPPLEMENT.format(code=html(code)))
    return ADDING


async def add_text(update: Update, context: Context) -> str:
    """Keep one more text."""
    pending = (context.user_data or {}).get(KEY)
    message = update.effective_message
    if pending is None or message is None:
        return ADDING
    checked = check_text(message.text or "", max_len=4000)
    if checked.problem is not None or checked.value is None:
        await say(
            update,
            context,
            texts.PROBLEMS[checked.problem.value if checked.problem else "empty"].format(
                max_len=4000
            ),
        )
        return ADDING
    pending["texts"].append(checked.value)
    await say(update, context, texts.SUPPLEMENT_PART_SAVED, done_keyboard())
    return ADDING


async def add_file(update: Update, context: Context) -> str:
    """Keep one more photo or document."""
    pending = (context.user_data or {}).get(KEY)
    if pending is None:
        return ADDING
    stored = await receive(update, context, len(pending["attachments"]))
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
                MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, not_here),
            ],
            name=CONVERSATIONS[KEY],
            persistent=True,
        )
    return guard_conversation(conversation, KEY, let_go(KEY))

"""Lodging a case: the conversation from the kind of case to the signed summary.

Entered from the menu, `/phananh`, or the "Bắt đầu gửi phản ánh" button (callback
`case:start`) the question handler offers when the NLU recognises a complaint. The
draft lives in user_data and the state in the conversation, both persisted in the
database, so a restart resumes where the citizen was. After a quiet spell the next
free text is answered as a question and a "continue" button (`case:resume`) offered.
"""

from __future__ import annotations

import warnings

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.abuse.quota import over_daily_cap
from bot.cases.draft import DRAFT_KEY, Step, new_draft
from bot.context import Context
from bot.state.pending import CONVERSATIONS
from bot.texts import cases as texts
from handlers import complaint_answers as answers
from handlers.complaint_files import intake_file
from handlers.complaint_steps import advance, choose_again
from handlers.complaint_summary import (
    back_to_summary,
    confirm,
    edit_item,
    edit_menu,
    resend_receipt,
)
from handlers.complaint_ui import (
    ABANDONING,
    CONFIRM_PREFIX,
    EDITING,
    RESUME,
    START,
    ack,
    button,
    current_draft,
    keyboard,
    parse_data,
    say,
)
from handlers.keyboards import COMPLAINT_HOWTO
from handlers.pending import guard_conversation
from handlers.question import question
from handlers.start import start

END = ConversationHandler.END
TEXT = filters.TEXT & ~filters.COMMAND
FILES = filters.PHOTO | filters.Document.ALL


async def start_flow(update: Update, context: Context) -> str | int:
    """Begin a new draft and ask its first question (unless the chat's cases of the day
    reached the cap)."""
    await ack(update)
    assert context.user_data is not None
    chat = update.effective_chat
    cap = context.services.settings.cases_per_chat_per_day
    if chat is not None:
        count = await context.services.db(
            lambda s: over_daily_cap(session=s, chat_id=chat.id, cap=cap)
        )
        if count is not None:
            await say(update, context, texts.TOO_MANY_CASES.format(count=count))
            return END
    context.user_data[DRAFT_KEY] = new_draft()
    return await advance(update, context)


async def cancel(update: Update, context: Context) -> int:
    """Drop the draft (/huy, /cancel or the summary's cancel button)."""
    await ack(update)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await say(update, context, texts.CANCELLED, ReplyKeyboardRemove())
    return END


async def ask_abandon(update: Update, context: Context) -> str | int:
    """/start in the middle of a draft: ask before throwing it away."""
    draft = current_draft(context)
    if draft is None:
        await start(update, context)
        return END
    draft["mode"] = ABANDONING
    markup = keyboard(
        [button(texts.BUTTON_ABANDON, "case:abandon:yes")],
        [button(texts.BUTTON_CONTINUE, "case:abandon:no")],
    )
    await say(update, context, texts.ASK_ABANDON, markup)
    return ABANDONING


async def abandon(update: Update, context: Context) -> str | int:
    """Throw the draft away and greet again, or go on where the citizen was."""
    query = update.callback_query
    assert query is not None
    await ack(update)
    if parse_data(query.data, "case:abandon:") == "yes":
        if context.user_data is not None:
            context.user_data.pop(DRAFT_KEY, None)
        await start(update, context)
        return END
    await say(update, context, texts.CONTINUE)
    return await advance(update, context)


async def resume(update: Update, context: Context) -> str | int:
    """/phananh mid-flow, or "continue" after a pause: ask the current question again."""
    await ack(update)
    return await advance(update, context)


async def stale_button(update: Update, context: Context) -> str | int:
    """A case button of another question: ask to choose again, draft unchanged."""
    await ack(update)
    return await choose_again(update, context)


async def pause(update: Update, context: Context) -> int:
    """Free text after a quiet spell: answer it as a question and offer to continue."""
    await question(update, context)
    if current_draft(context) is not None:
        markup = keyboard([button(texts.BUTTON_RESUME, RESUME)])
        await say(update, context, texts.RESUME_OFFER, markup)
    return END


async def old_confirmation(update: Update, context: Context) -> None:
    """A confirm button of an earlier draft: show its receipt, stay where we are."""
    query = update.callback_query
    assert query is not None
    await resend_receipt(update, context, parse_data(query.data, CONFIRM_PREFIX))


async def text_instead_of_button(update: Update, context: Context) -> str | int:
    """Typed text where a button is expected."""
    await say(update, context, texts.USE_BUTTONS)
    return await advance(update, context)


async def file_too_early(update: Update, context: Context) -> str | int:
    """A photo or file before the attachment step."""
    await say(update, context, texts.NO_FILES_HERE)
    return await advance(update, context)


async def not_here(update: Update, context: Context) -> str | int:
    """Stickers, voice and the like in the middle of the flow."""
    await say(update, context, texts.NOT_HERE)
    return await advance(update, context)


def _callback(callback: object, pattern: str) -> CallbackQueryHandler[Context, object]:
    return CallbackQueryHandler(callback, pattern=pattern)  # type: ignore[arg-type]


def complaint_conversation() -> ConversationHandler[Context]:
    """The whole intake as one persistent ConversationHandler."""
    a = answers
    states: dict[object, list[BaseHandler[Update, Context, object]]] = {
        Step.KIND.value: [_callback(a.choose_kind, r"^case:kind:(phan_anh|khieu_nai|to_cao)$")],
        Step.CONSENT_HANDLING.value: [_callback(a.consent, r"^case:consent:handling:(yes|no)$")],
        Step.CONSENT_NOTIFY.value: [_callback(a.consent, r"^case:consent:notify:(yes|no)$")],
        Step.UNIT.value: [
            _callback(a.unit_button, r"^case:unit:[A-Z]{2}$"),
            MessageHandler(TEXT, a.unit_text),
        ],
        Step.ADDRESS.value: [MessageHandler(TEXT, a.address)],
        Step.LOCATION.value: [
            MessageHandler(filters.LOCATION, a.location),
            _callback(a.skip_location, r"^case:skip$"),
        ],
        Step.IDENTITY.value: [_callback(a.identity, r"^case:anon:(yes|no)$")],
        Step.FIELD.value: [
            MessageHandler(TEXT, a.field_text),
            MessageHandler(filters.CONTACT, a.contact),
            _callback(a.field_done, r"^case:done$"),
        ],
        Step.ATTACHMENTS.value: [
            MessageHandler(FILES, intake_file),
            MessageHandler(filters.LOCATION, a.location),
            _callback(a.field_done, r"^case:done$"),
        ],
        Step.SUMMARY.value: [
            _callback(confirm, rf"^{CONFIRM_PREFIX}[0-9a-f]{{32}}$"),
            _callback(edit_menu, r"^case:edit$"),
            _callback(cancel, r"^case:cancel$"),
        ],
        EDITING: [
            _callback(edit_item, r"^case:edit:\w+$"),
            _callback(back_to_summary, r"^case:back$"),
        ],
        ABANDONING: [_callback(abandon, r"^case:abandon:(yes|no)$")],
    }
    fallbacks: list[BaseHandler[Update, Context, object]] = [
        CommandHandler(["huy", "cancel"], cancel),
        CommandHandler("start", ask_abandon),
        CommandHandler("phananh", resume),
        _callback(old_confirmation, rf"^{CONFIRM_PREFIX}"),
        _callback(resume, rf"^({RESUME}|{COMPLAINT_HOWTO})$"),
        _callback(stale_button, r"^case:"),
        MessageHandler(FILES, file_too_early),
        MessageHandler(TEXT, text_instead_of_button),
        MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, not_here),
    ]
    with warnings.catch_warnings():
        # per_message=False is intended: the flow mixes typed answers and buttons.
        warnings.simplefilter("ignore", PTBUserWarning)
        conversation = ConversationHandler(
            entry_points=[
                CommandHandler("phananh", start_flow),
                _callback(start_flow, rf"^({START}|{COMPLAINT_HOWTO})$"),
                _callback(resume, rf"^{RESUME}$"),
            ],
            states=states,
            fallbacks=fallbacks,
            name=CONVERSATIONS[DRAFT_KEY],
            persistent=True,
        )
    return guard_conversation(conversation, DRAFT_KEY, pause)

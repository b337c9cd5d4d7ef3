"""The intake's questions: which comes next, and how each is asked (text and buttons)."""

from __future__ import annotations

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.cases.draft import FIELDS, Draft, Step, kind_of, next_step
from bot.context import Context
from bot.texts import cases as texts
from bot.units.service import list_units
from handlers.complaint_render import summary
from handlers.complaint_ui import (
    DONE,
    SKIP,
    Markup,
    button,
    current_draft,
    done_keyboard,
    keyboard,
    say,
)


async def advance(update: Update, context: Context) -> str | int:
    """Ask the first unanswered question of the draft; returns it as the conversation state."""
    draft = current_draft(context)
    if draft is None:
        await say(update, context, texts.DRAFT_GONE, ReplyKeyboardRemove())
        return ConversationHandler.END
    draft["mode"] = None
    step, key = next_step(draft)
    text, markup = await prompt(context, draft, step, key)
    await say(update, context, text, markup)
    return step.value


async def choose_again(update: Update, context: Context) -> str | int:
    """A stale or forged button: say so and ask the current question again, draft unchanged."""
    await say(update, context, texts.CHOOSE_AGAIN)
    return await advance(update, context)


async def prompt(
    context: Context, draft: Draft, step: Step, key: str | None
) -> tuple[str, Markup | None]:
    """The text and buttons that ask `step`."""
    kind = kind_of(draft)
    if step is Step.KIND:
        rows = [
            [button(label, f"case:kind:{value}")] for value, label in texts.KIND_BUTTONS.items()
        ]
        return texts.ASK_KIND, keyboard(*rows)
    if step in (Step.CONSENT_HANDLING, Step.CONSENT_NOTIFY):
        purpose = "handling" if step is Step.CONSENT_HANDLING else "notify"
        text = texts.ASK_CONSENT_HANDLING if purpose == "handling" else texts.ASK_CONSENT_NOTIFY
        return text, keyboard(
            [button(texts.BUTTON_AGREE, f"case:consent:{purpose}:yes")],
            [button(texts.BUTTON_DISAGREE, f"case:consent:{purpose}:no")],
        )
    if step is Step.UNIT:
        units = await context.services.db(
            lambda s: [(u.code, u.name) for u in list_units(session=s)]
        )
        return texts.ASK_UNIT, keyboard(*([button(n, f"case:unit:{c}")] for c, n in units))
    if step is Step.ADDRESS:
        return texts.ASK_ADDRESS, ReplyKeyboardRemove()
    if step is Step.LOCATION:
        return texts.ASK_LOCATION, keyboard([button(texts.BUTTON_SKIP, SKIP)])
    if step is Step.IDENTITY and kind is not None:
        return texts.ASK_IDENTITY[kind.value], keyboard(
            [button(texts.BUTTON_NAMED, "case:anon:no")],
            [button(texts.BUTTON_ANONYMOUS, "case:anon:yes")],
        )
    if step is Step.FIELD and key is not None:
        return _field_prompt(draft, key)
    if step is Step.ATTACHMENTS:
        settings = context.services.settings
        text = texts.ASK_ATTACHMENTS.format(
            max_count=settings.attachment_max_count, max_mb=settings.attachment_max_mb
        )
        return text, keyboard([button(texts.BUTTON_SKIP, DONE)])
    return await summary(context, draft)


def _field_prompt(draft: Draft, key: str) -> tuple[str, Markup | None]:
    """A typed field's question; a multi-message field already begun shows "Xong"."""
    text = texts.ASK_FIELD[key]
    if key == "phone":
        share = KeyboardButton(texts.BUTTON_SHARE_PHONE, request_contact=True)
        return text, ReplyKeyboardMarkup([[share]], resize_keyboard=True, one_time_keyboard=True)
    if FIELDS[key].multi and draft["parts"].get(key):
        return text, done_keyboard()
    return text, ReplyKeyboardRemove()

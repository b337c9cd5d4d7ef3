"""The intake's answers: each callback stores one answer in the draft and asks the next."""

from __future__ import annotations

from datetime import date

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import ConversationHandler

from bot.cases.clock import local_today
from bot.cases.draft import (
    DRAFT_KEY,
    FIELDS,
    Draft,
    FieldSpec,
    Step,
    kind_of,
    may_be_anonymous,
    next_step,
    parse_kind,
    set_kind,
)
from bot.cases.status import CaseKind
from bot.cases.validation import (
    Checked,
    check_date,
    check_id_number,
    check_name,
    check_phone,
    check_text,
    complaint_out_of_time,
)
from bot.context import Context
from bot.texts import cases as texts
from bot.units.service import get_unit, match_unit
from handlers.complaint_render import html
from handlers.complaint_steps import advance, choose_again
from handlers.complaint_ui import ack, current_draft, done_keyboard, parse_data, say

END = ConversationHandler.END


async def _draft_or_end(update: Update, context: Context) -> Draft | None:
    """The draft, or None after telling the citizen there is none any more."""
    await ack(update)
    draft = current_draft(context)
    if draft is None:
        await say(update, context, texts.DRAFT_GONE, ReplyKeyboardRemove())
    return draft


async def _button_or_end(update: Update, context: Context, prefix: str) -> tuple[Draft, str] | None:
    """The draft and the pressed button's data after `prefix`, or None as `_draft_or_end`."""
    draft = await _draft_or_end(update, context)
    if draft is None:
        return None
    assert update.callback_query is not None
    return draft, parse_data(update.callback_query.data, prefix)


async def choose_kind(update: Update, context: Context) -> str | int:
    """Store the kind the citizen picked."""
    pressed = await _button_or_end(update, context, "case:kind:")
    if pressed is None:
        return END
    draft, value = pressed
    kind = parse_kind(value)
    if kind is None:
        return await choose_again(update, context)
    set_kind(draft, kind)
    return await advance(update, context)


async def consent(update: Update, context: Context) -> str | int:
    """Store a consent answer; refusing the handling purpose ends the flow, keeping nothing."""
    pressed = await _button_or_end(update, context, "case:consent:")
    if pressed is None:
        return END
    draft, data = pressed
    purpose, _, answer = data.partition(":")
    step = next_step(draft)[0]
    if step.value != f"consent_{purpose}" or answer not in ("yes", "no"):
        return await choose_again(update, context)
    if purpose == "handling" and answer != "yes":
        context.user_data.pop(DRAFT_KEY, None)  # type: ignore[union-attr]
        await say(update, context, texts.CONSENT_REFUSED)
        return END
    draft[f"consent_{purpose}"] = answer == "yes"
    return await advance(update, context)


async def unit_button(update: Update, context: Context) -> str | int:
    """Store the unit chosen by button."""
    pressed = await _button_or_end(update, context, "case:unit:")
    if pressed is None:
        return END
    draft, unit = pressed
    # A forged or stale button may name a unit that does not exist (any more).
    if not await context.services.db(lambda s: get_unit(session=s, code=unit) is not None):
        return await choose_again(update, context)
    draft["unit"] = unit
    return await advance(update, context)


async def unit_text(update: Update, context: Context) -> str | int:
    """Recognise a typed unit name, old ward names included."""
    draft = await _draft_or_end(update, context)
    if draft is None:
        return END
    text = (update.effective_message.text or "") if update.effective_message else ""
    found = await context.services.db(
        lambda s: (u.code, u.name) if (u := match_unit(session=s, text=text[:100])) else None
    )
    if found is None:
        await say(update, context, texts.UNIT_NOT_FOUND.format(text=html(text[:100])))
        return await advance(update, context)
    draft["unit"] = found[0]
    await say(update, context, texts.UNIT_MATCHED.format(unit=html(found[1]), old=html(text[:100])))
    return await advance(update, context)


async def address(update: Update, context: Context) -> str | int:
    """Store the address detail (khu / tổ / street or thôn)."""
    return await _store_text(update, context, "address", check_text(_text(update), max_len=300))


async def location(update: Update, context: Context) -> str | int:
    """Store a shared location (optional step, also accepted with the attachments)."""
    draft = await _draft_or_end(update, context)
    message = update.effective_message
    if draft is None or message is None or message.location is None:
        return END
    with_files = next_step(draft)[0] is Step.ATTACHMENTS
    draft["location"] = {
        "latitude": message.location.latitude,
        "longitude": message.location.longitude,
    }
    draft["location_asked"] = True
    if with_files:
        await say(update, context, texts.LOCATION_SAVED, done_keyboard())
        return Step.ATTACHMENTS.value
    await say(update, context, texts.LOCATION_SAVED)
    return await advance(update, context)


async def skip_location(update: Update, context: Context) -> str | int:
    """Go on without a location."""
    draft = await _draft_or_end(update, context)
    if draft is None:
        return END
    draft["location_asked"] = True
    return await advance(update, context)


async def identity(update: Update, context: Context) -> str | int:
    """Store whether the citizen stays anonymous (phản ánh, tố cáo)."""
    pressed = await _button_or_end(update, context, "case:anon:")
    if pressed is None:
        return END
    draft, answer = pressed
    kind = kind_of(draft)
    if kind is None or not may_be_anonymous(kind) or answer not in ("yes", "no"):
        return await choose_again(update, context)
    draft["anonymous"] = answer == "yes"
    if draft["anonymous"] and draft.get("kind") == CaseKind.DENUNCIATION.value:
        await say(update, context, texts.ANONYMOUS_DENUNCIATION)
    return await advance(update, context)


async def field_text(update: Update, context: Context) -> str | int:
    """A typed answer to the current field (a part of it, for multi-message fields)."""
    draft = await _draft_or_end(update, context)
    if draft is None:
        return END
    step, key = next_step(draft)
    if step is not Step.FIELD or key is None:
        return await advance(update, context)
    spec = FIELDS[key]
    text = _text(update)
    if not spec.multi:
        return await _store_text(update, context, key, _check(spec, text, local_today()))
    parts: list[str] = draft["parts"].get(key, [])
    checked = check_text(text, max_len=spec.max_len - sum(len(p) for p in parts))
    if not checked.ok or checked.value is None:
        return await _problem(update, context, checked, spec.max_len)
    draft["parts"][key] = [*parts, checked.value]
    await say(update, context, texts.PART_SAVED, done_keyboard())
    return Step.FIELD.value


async def field_done(update: Update, context: Context) -> str | int:
    """The citizen finished a multi-message answer, or the attachments."""
    draft = await _draft_or_end(update, context)
    if draft is None:
        return END
    step, key = next_step(draft)
    if step is Step.FIELD and key is not None and draft["parts"].get(key):
        draft["fields"][key] = "\n".join(draft["parts"].pop(key))
    elif step is Step.ATTACHMENTS:
        draft["attachments_done"] = True
    return await advance(update, context)


async def contact(update: Update, context: Context) -> str | int:
    """A phone number shared with Telegram's button (only the citizen's own)."""
    draft = await _draft_or_end(update, context)
    message = update.effective_message
    if draft is None or message is None or message.contact is None:
        return END
    step, key = next_step(draft)
    user = update.effective_user
    if step is not Step.FIELD or key != "phone":
        return await advance(update, context)
    if user is None or message.contact.user_id != user.id:
        await say(update, context, texts.CONTACT_NOT_OWN)
        return await advance(update, context)
    return await _store_text(update, context, "phone", check_phone(message.contact.phone_number))


def _text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def _check(spec: FieldSpec, text: str, today: date) -> Checked:
    """Run the check a field asks for."""
    if spec.check == "name":
        return check_name(text)
    if spec.check == "phone":
        return check_phone(text)
    if spec.check == "id_number":
        return check_id_number(text)
    if spec.check == "date":
        return check_date(text, today=today)
    return check_text(text, max_len=spec.max_len)


async def _store_text(update: Update, context: Context, key: str, checked: Checked) -> str | int:
    """Keep a checked answer and ask the next question, or explain the problem."""
    draft = current_draft(context)
    if draft is None:
        return END
    if not checked.ok or checked.value is None:
        limit = FIELDS[key].max_len if key in FIELDS else 300
        return await _problem(update, context, checked, limit)
    if key == "address":
        draft["address"] = checked.value
    else:
        draft["fields"][key] = checked.value
    if key == "learnt_on" and complaint_out_of_time(
        date.fromisoformat(checked.value), today=local_today()
    ):
        await say(update, context, texts.LATE_COMPLAINT)
    return await advance(update, context)


async def _problem(update: Update, context: Context, checked: Checked, limit: int) -> str | int:
    """Say what is wrong with the answer and ask the same question again."""
    assert checked.problem is not None
    await say(update, context, texts.PROBLEMS[checked.problem.value].format(max_len=limit))
    return await advance(update, context)

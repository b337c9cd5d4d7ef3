"""What the citizen reads about a draft or a case: the summary before signing, the receipt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from html import escape

from telegram import InlineKeyboardMarkup

from bot.cases.draft import Draft, fields_for, is_anonymous, kind_of
from bot.context import Context
from bot.texts import cases as texts
from bot.units.service import get_unit
from handlers.complaint_ui import CANCEL, CONFIRM_PREFIX, EDIT, button, keyboard

SUMMARY_FIELD_LIMIT = 500


def html(value: object) -> str:
    """A citizen's value made safe for Telegram HTML."""
    return escape(str(value), quote=False)


def short(value: str, limit: int = SUMMARY_FIELD_LIMIT) -> str:
    """A long answer cut for display (the stored answer stays whole)."""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def show_date(value: date | str) -> str:
    """A date as Vietnamese readers write it (dd/mm/yyyy)."""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day:%d/%m/%Y}"


def field_value(key: str, value: str) -> str:
    """A typed answer as shown back to the citizen."""
    return show_date(value) if key == "learnt_on" else value


async def summary(context: Context, draft: Draft) -> tuple[str, InlineKeyboardMarkup]:
    """The whole draft for the citizen to check, with confirm / edit / cancel buttons."""
    kind = kind_of(draft)
    assert kind is not None
    unit_code = draft["unit"]
    unit_name = await context.services.db(
        lambda s: u.name if (u := get_unit(session=s, code=unit_code)) else unit_code
    )
    anonymous = is_anonymous(draft)
    rows = [
        (texts.SUMMARY_ROWS["kind"], texts.KIND_LABELS[kind.value]),
        (texts.SUMMARY_ROWS["unit"], unit_name),
        (texts.SUMMARY_ROWS["address"], draft["address"]),
        (
            texts.SUMMARY_ROWS["location"],
            texts.LOCATION_SENT if draft.get("location") else texts.LOCATION_NONE,
        ),
    ]
    if anonymous:
        rows.append((texts.SUMMARY_ROWS["identity"], texts.ANONYMOUS))
    for key in fields_for(kind, anonymous=anonymous):
        value = draft["fields"].get(key)
        if value is not None:
            rows.append((texts.FIELD_LABELS[key], short(field_value(key, value))))
    count = len(draft.get("attachments", []))
    rows.append((texts.SUMMARY_ROWS["attachments"], texts.ATTACHMENT_COUNT.format(count=count)))
    body = "\n".join(f"<b>{html(label)}:</b> {html(value)}" for label, value in rows)
    sign = texts.SUMMARY_SIGN_DENUNCIATION if kind.value == "to_cao" else texts.SUMMARY_SIGN
    markup = keyboard(
        [button(texts.BUTTON_CONFIRM, f"{CONFIRM_PREFIX}{draft['id']}")],
        [button(texts.BUTTON_EDIT, EDIT), button(texts.BUTTON_CANCEL, CANCEL)],
    )
    return f"{texts.SUMMARY_TITLE}\n\n{body}\n\n{sign}", markup


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told once the case is in the database."""

    case_id: int
    code: str
    unit_name: str
    due_on: date
    as_information: bool
    consent_notify: bool

    def text(self, working_days: int) -> str:
        """The receipt message."""
        text = texts.RECEIPT.format(
            code=self.code,
            unit=html(self.unit_name),
            due=show_date(self.due_on),
            days=working_days,
        )
        if self.as_information:
            text += texts.RECEIPT_AS_INFORMATION
        if not self.consent_notify:
            text += texts.RECEIPT_NO_NOTIFY
        return text

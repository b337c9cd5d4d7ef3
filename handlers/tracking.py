"""/tracuu: a citizen's own cases, one case's status in plain words, the way to add to it."""

from __future__ import annotations

from html import escape

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update

from bot.cases.clock import local
from bot.cases.codes import normalize_code
from bot.cases.events import latest_public_note
from bot.cases.models import Case
from bot.cases.service import find_own_case, list_own_cases
from bot.cases.status import CaseStatus, accepts_supplements
from bot.context import Context
from bot.texts import cases as texts
from bot.units.service import get_unit
from handlers.complaint_render import show_date
from handlers.complaint_ui import button, keyboard, say
from handlers.private_only import is_private

SUPPLEMENT_PREFIX = "case:add:"


def render_case(session: Session, case: Case) -> tuple[str, InlineKeyboardMarkup | None]:
    """One case as the citizen sees it, with "Bổ sung thông tin" while it is open."""
    unit = get_unit(session=session, code=case.unit_code)
    text = texts.CASE_DETAIL.format(
        code=case.code,
        kind=texts.KIND_LABELS[case.kind],
        unit=escape(unit.name if unit else case.unit_code, quote=False),
        received=show_date(local(case.received_at).date()),
        status=texts.STATUS_LABELS[case.status],
        due=show_date(case.due_on),
    )
    note = latest_public_note(session=session, case_id=case.id)
    if note:
        text += texts.CASE_LAST_UPDATE.format(note=escape(note, quote=False))
    markup = None
    if accepts_supplements(CaseStatus(case.status)):
        markup = keyboard([button(texts.BUTTON_SUPPLEMENT, f"{SUPPLEMENT_PREFIX}{case.code}")])
    return text, markup


def render_list(cases: list[Case]) -> str:
    """The citizen's cases, one line each."""
    if not cases:
        return texts.NO_CASES
    rows = [
        texts.CASE_LIST_ROW.format(
            code=c.code, kind=texts.KIND_LABELS[c.kind], status=texts.STATUS_LABELS[c.status]
        )
        for c in cases
    ]
    return "\n".join([texts.CASE_LIST_TITLE, *rows, "", texts.CASE_LIST_HINT])


async def show_cases(update: Update, context: Context, code: str | None) -> None:
    """Show the case with `code` if it is the citizen's own, or list their cases.

    Entry point for the NLU's status intent as well as /tracuu. Another citizen's code
    gets the same "not found" as a code that does not exist.
    """
    chat = update.effective_chat
    if chat is None:
        return
    if not is_private(update):  # e.g. the NLU's status intent in a group
        await say(update, context, texts.PRIVATE_ONLY)
        return
    if code is None or not code.strip():
        cases_text = await context.services.db(
            lambda s: render_list(list_own_cases(session=s, chat_id=chat.id))
        )
        await say(update, context, cases_text)
        return
    canonical = normalize_code(code)
    if canonical is None:
        await say(update, context, texts.BAD_CODE)
        return

    def find(session: Session) -> tuple[str, InlineKeyboardMarkup | None] | None:
        case = find_own_case(session=session, code=canonical, chat_id=chat.id)
        return render_case(session, case) if case is not None else None

    found = await context.services.db(find)
    if found is None:
        await say(update, context, texts.CASE_NOT_FOUND.format(code=escape(canonical)))
        return
    await say(update, context, *found)


async def tracuu(update: Update, context: Context) -> None:
    """/tracuu [CODE]."""
    await show_cases(update, context, " ".join(context.args or []) or None)

"""What an admin's intent must satisfy before it is saved, and the answer exactly as the
bot would send it (the same renderer, checked with the same Telegram HTML parser as the
sandbox)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.faq.examples import EXAMPLE_MAX, MIN_EXAMPLES, clean_texts, list_examples, near_duplicates
from bot.faq.models import PROCEDURE, REFERRAL, FaqAnswer, FaqExample, FaqTopic
from bot.faq.referrals import render_referral
from bot.faq.render import TELEGRAM_TEXT_LIMIT, render_answer
from bot.faq.service import UNIT_INTENTS
from bot.sandbox.tghtml import MarkupError, parse_html, utf16_len
from bot.texts import knowledge as T
from bot.texts import referrals as R
from bot.units.service import list_units

INTENT_MAX = 64
TITLE_MAX = 200
LABEL_MAX = 200
URL_MAX = 500
_INTENT_RE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")


def is_intent_name(text: str) -> bool:
    """True when `text` may name an intent (lower-case snake_case, at most INTENT_MAX)."""
    return len(text) <= INTENT_MAX and _INTENT_RE.fullmatch(text) is not None


@dataclass(frozen=True)
class Problem:
    """One reason a form cannot be saved: the form field and a message for the admin."""

    field: str
    message: str


@dataclass
class IntentForm:
    """An intent as the editor shows and submits it."""

    intent: str
    title: str
    topic_id: str | None
    summary: str
    sections: list[dict[str, str]]
    source_url: str | None
    checked_on: date | None
    active: bool
    examples: list[str] = field(default_factory=list)
    # PROCEDURE (one of ours, in a topic) | REFERRAL (another body's, in no topic)
    kind: str = PROCEDURE


def clean_block(text: str) -> str:
    """A text area's value with Unix line ends and no trailing blanks."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def clean_sections(sections: list[dict[str, str]]) -> list[dict[str, str]]:
    """Sections that have a text (a label alone, as a new form offers, is dropped), cleaned."""
    cleaned = [
        {"label": s.get("label", "").strip(), "text": clean_block(s.get("text", ""))}
        for s in sections
    ]
    return [s for s in cleaned if s["text"]]


def answer_of(form: IntentForm) -> FaqAnswer:
    """An unsaved answer row with the form's content, for rendering."""
    return FaqAnswer(
        intent=form.intent,
        kind=form.kind,
        title=form.title.strip(),
        summary=clean_block(form.summary),
        sections=clean_sections(form.sections),
        source_url=(form.source_url or "").strip() or None,
        checked_on=form.checked_on,
        active=form.active,
    )


def preview_html(*, session: Session, form: IntentForm) -> str:
    """The answer exactly as the bot would send it now (with the units for office answers)."""
    if form.kind == REFERRAL:
        return render_referral(answer_of(form))
    units = list_units(session=session) if form.intent in UNIT_INTENTS else ()
    return render_answer(answer_of(form), units)


def validate_intent(*, session: Session, form: IntentForm, creating: bool) -> list[Problem]:
    """Every reason the form cannot be saved (none: it can)."""
    problems = _identity(session, form, creating)
    title = form.title.strip()
    if not title:
        problems.append(Problem("title", T.TITLE_REQUIRED))
    elif len(title) > TITLE_MAX:
        problems.append(Problem("title", T.TITLE_TOO_LONG.format(limit=TITLE_MAX)))
    if form.kind not in (PROCEDURE, REFERRAL):
        problems.append(Problem("kind", R.KIND_UNKNOWN))
    elif form.kind == REFERRAL:
        if form.topic_id:
            problems.append(Problem("topic_id", R.REFERRAL_NO_TOPIC))
    elif not form.topic_id:
        problems.append(Problem("topic_id", T.TOPIC_REQUIRED))
    elif session.get(FaqTopic, form.topic_id) is None:
        problems.append(Problem("topic_id", T.TOPIC_UNKNOWN))
    problems += _examples(session, form, creating)
    problems += _sections(form)
    url = (form.source_url or "").strip()
    if url and (not url.startswith(("http://", "https://")) or len(url) > URL_MAX):
        problems.append(Problem("source_url", T.SOURCE_URL_INVALID.format(limit=URL_MAX)))
    return problems + _rendered(session, form)


def _identity(session: Session, form: IntentForm, creating: bool) -> list[Problem]:
    if not creating:
        return []
    intent = form.intent
    if not is_intent_name(intent):
        return [Problem("intent", T.INTENT_ID_INVALID.format(limit=INTENT_MAX))]
    taken = session.get(FaqAnswer, intent) is not None or session.scalar(
        select(FaqExample.id).where(FaqExample.intent == intent).limit(1)
    )
    return [Problem("intent", T.INTENT_ID_TAKEN.format(intent=intent))] if taken else []


def _examples(session: Session, form: IntentForm, creating: bool) -> list[Problem]:
    texts = clean_texts(form.examples)
    problems = []
    if form.active and len(texts) < MIN_EXAMPLES:
        message = T.TOO_FEW_EXAMPLES.format(minimum=MIN_EXAMPLES, count=len(texts))
        problems.append(Problem("examples", message))
    for text in texts:
        if len(text) > EXAMPLE_MAX:
            problems.append(
                Problem("examples", T.EXAMPLE_TOO_LONG.format(text=_short(text), limit=EXAMPLE_MAX))
            )
        elif any(unicodedata.category(char) in ("Cc", "Cf") for char in text):
            problems.append(Problem("examples", T.EXAMPLE_CONTROL.format(text=_short(text))))
    # Only what this edit adds: the seed data may hold alike examples admins did not write.
    stored = (
        set() if creating else {e.text for e in list_examples(session=session, intent=form.intent)}
    )
    new = [text for text in texts if text not in stored]
    for clash in near_duplicates(session=session, intent=form.intent, texts=new):
        message = T.EXAMPLE_CLASH.format(
            text=clash.text, other_text=clash.other_text, other_title=clash.other_title
        )
        problems.append(Problem("examples", message))
    return problems


def _sections(form: IntentForm) -> list[Problem]:
    problems = []
    for number, section in enumerate(clean_sections(form.sections), start=1):
        if not section["label"]:
            problems.append(Problem("sections", T.SECTION_LABEL_REQUIRED.format(number=number)))
        elif len(section["label"]) > LABEL_MAX:
            message = T.SECTION_LABEL_TOO_LONG.format(number=number, limit=LABEL_MAX)
            problems.append(Problem("sections", message))
    return problems


def _rendered(session: Session, form: IntentForm) -> list[Problem]:
    """The rendered answer must parse as Telegram HTML and fit in one message."""
    try:
        plain, _ = parse_html(preview_html(session=session, form=form))
    except MarkupError as error:
        return [Problem("answer", T.ANSWER_BAD_HTML.format(error=error))]
    length = utf16_len(plain.strip())
    if length > TELEGRAM_TEXT_LIMIT:
        return [
            Problem("answer", T.ANSWER_TOO_LONG.format(length=length, limit=TELEGRAM_TEXT_LIMIT))
        ]
    return []


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"

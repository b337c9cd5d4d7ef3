"""Referrals: procedures of other bodies, answered with a short "who handles this".

A referral is a `FaqAnswer` of kind "referral" with intent `ref_<key>`; its sections are
labelled blocks (bot/texts/referrals.py: the body, how to reach it, online filing, a note),
so the console's intent editor edits referrals like answers, and their training examples
are ordinary examples (`nlu/data/train/ref_<key>.yml`). The repository's catalogue is
`data/referrals.yml`; seeding turns each entry into such an answer (bot/faq/portable.py).
A referral is never in a topic, so never in the menu, nor among suggestions of our
procedures (bot/faq/service.titles).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot.faq.models import REFERRAL, FaqAnswer
from bot.faq.service import AnswerData
from bot.texts import referrals as T

REFERRAL_PREFIX = "ref_"
REFERRALS_FILE = Path(__file__).resolve().parent / "data" / "referrals.yml"
SURE = "✅"


def is_referral(*, session: Session, intent: str) -> bool:
    """True when `intent` is a referral to another body (not one of our procedures)."""
    answer = session.get(FaqAnswer, intent)
    return answer is not None and answer.kind == REFERRAL


def referral_html(*, session: Session, intent: str) -> str | None:
    """The short referral reply for `intent`, or None when it is not an active referral."""
    answer = session.get(FaqAnswer, intent)
    if answer is None or answer.kind != REFERRAL or not answer.active:
        return None
    return render_referral(answer)


def render_referral(answer: FaqAnswer) -> str:
    """A referral as Telegram HTML: its title, who handles it, how to reach them, online
    filing and a note; told with care when its summary (the caveat) is set."""
    sections = {
        s.get("label", "").strip().casefold(): s.get("text", "").strip() for s in answer.sections
    }
    unsure = bool((answer.summary or "").strip())
    body = sections.pop(T.BODY_LABEL.casefold(), "")
    contact = sections.pop(T.CONTACT_LABEL.casefold(), "")
    online = sections.pop(T.ONLINE_LABEL.casefold(), "")
    note = sections.pop(T.NOTE_LABEL.casefold(), "")
    if body:
        opening = T.OPENING_UNSURE if unsure else T.OPENING
        lines = [opening.format(body=_e(body))]
    else:
        lines = [T.OPENING_NO_BODY]
    if contact:
        lines.append(T.CONTACT.format(contact=_e(contact)))
    if online:
        lines.append((T.ONLINE_UNSURE if unsure else T.ONLINE).format(online=_e(online)))
    if note:
        lines.append(T.NOTE.format(note=_e(note)))
    lines += [
        T.OTHER.format(label=_e(s["label"]), text=_e(s["text"]))
        for s in answer.sections
        if s.get("label", "").strip().casefold() in sections and s.get("text", "").strip()
    ]
    if unsure:
        lines.append(f"<i>{_e(answer.summary)}</i>")
    return f"<b>{_e(answer.title)}</b>\n" + "\n".join(lines)


def _e(text: str) -> str:
    return escape(text.strip(), quote=False)


def read_referrals_file(path: Path = REFERRALS_FILE) -> list[AnswerData]:
    """The catalogue's entries as referral answers (the examples live in the train files)."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [referral_answer(entry) for entry in raw.get("referrals") or []]


def referral_answer(entry: dict[str, Any]) -> AnswerData:
    """One catalogue entry as an answer of kind "referral"; an entry not marked ✅ gets the
    caveat as its summary."""
    fields = (entry.get("body"), entry.get("contact"), entry.get("online"), entry.get("note"))
    return AnswerData(
        intent=f"{REFERRAL_PREFIX}{entry['key']}",
        title=str(entry["title"]),
        summary="" if entry.get("confidence") == SURE else T.UNVERIFIED_SUMMARY,
        sections=[
            {"label": label, "text": str(text).strip()}
            for label, text in zip(T.SECTION_LABELS, fields, strict=True)
            if text and str(text).strip()
        ],
        source_url=None,
        checked_on=None,
        topic=None,
        kind=REFERRAL,
    )

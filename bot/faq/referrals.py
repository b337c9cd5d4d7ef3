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

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from bot.faq.knowledge_cache import knowledge_of
from bot.faq.models import REFERRAL
from bot.faq.referral_render import render_referral as render_referral
from bot.faq.service import AnswerData
from bot.texts import referrals as T

REFERRAL_PREFIX = "ref_"
REFERRALS_FILE = Path(__file__).resolve().parent / "data" / "referrals.yml"
SURE = "✅"


def is_referral(*, session: Session, intent: str) -> bool:
    """True when `intent` is a referral to another body (not one of our procedures)."""
    return knowledge_of(session).is_referral(intent)


def referral_html(*, session: Session, intent: str) -> str | None:
    """The short referral reply for `intent`, or None when it is not an active referral."""
    return knowledge_of(session).referral_html(intent)


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

"""Drafts seeded at a given question, so an example starts there in one button press."""

from __future__ import annotations

from typing import Any

from bot.cases.draft import DRAFT_KEY, Draft, new_draft
from bot.cases.status import CaseKind
from tests.factories_cases import ANSWERS
from tests.fuzz.stack import FuzzChat

_COMPLAINT = ["name", "phone", "id_number", "home_address", "act", "issuer", "learnt_on"]
# A valid answer for every field asked before the one under test.
_VALID = {**ANSWERS[CaseKind.DENUNCIATION], **ANSWERS[CaseKind.COMPLAINT]}
# Each typed field, the kind that asks it, and the fields answered before it.
FIELD_KIND: dict[str, tuple[str, list[str]]] = {
    **{key: ("khieu_nai", _COMPLAINT[:i]) for i, key in enumerate(_COMPLAINT)},
    "request": ("khieu_nai", _COMPLAINT),
    "content": ("phan_anh", []),
    "accused": ("to_cao", []),
    "violation": ("to_cao", ["accused"]),
    "when": ("to_cao", ["accused", "violation"]),
}
TEXT_STEPS = ["unit", "address", *FIELD_KIND]
BUTTON_STEPS = ["kind", "consent_handling", "location", "identity", "attachments", "summary"]


def draft_at(step: str) -> Draft:
    """A draft whose first unanswered question is `step` (a Step value or a field key)."""
    draft = new_draft()
    if step == "kind":
        return draft
    kind, before = FIELD_KIND.get(step, ("phan_anh", []))
    draft["kind"] = kind
    answers: dict[str, Any] = {
        "consent_handling": True,
        "consent_notify": True,
        "unit": "QH",
        "address": "tổ 7, khu 2",
        "location_asked": True,
        "anonymous": kind != "khieu_nai",
    }
    order = ["consent_handling", "consent_notify", "unit", "address", "location_asked"]
    for name in order:
        if name == step or (step == "location" and name == "location_asked"):
            return draft
        draft[name] = answers[name]
    if step == "identity":
        return draft
    draft["anonymous"] = answers["anonymous"]
    if step in FIELD_KIND:
        draft["fields"] = {key: _VALID[key] for key in before}
        return draft
    draft["fields"] = {"content": "Đèn đường hỏng"}
    if step == "summary":
        draft["attachments_done"] = True
    return draft


def start_at(chat: FuzzChat, step: str) -> Draft:
    """Seed the draft at `step` and resume it: the bot asks `step`'s question."""
    draft = draft_at(step)
    chat.seed(**{DRAFT_KEY: draft})
    chat.click("case:resume")
    chat.replies()  # forget the greeting and the question
    return draft


def current(chat: FuzzChat) -> Draft:
    """The draft as the bot holds it now."""
    found = chat.user_data().get(DRAFT_KEY)
    assert isinstance(found, dict), "the draft is gone"
    return found

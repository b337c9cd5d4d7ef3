"""The case a citizen is writing: what it holds, which question comes next, how to read it.

The draft is a plain JSON-able dict kept in the conversation's user_data (persisted in
the database), so a restart resumes at the first question still unanswered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.cases.status import CaseKind

Draft = dict[str, Any]
DRAFT_KEY = "case_draft"


class Step(StrEnum):
    """The questions of the intake, in order."""

    KIND = "kind"
    CONSENT_HANDLING = "consent_handling"
    CONSENT_NOTIFY = "consent_notify"
    UNIT = "unit"
    ADDRESS = "address"
    LOCATION = "location"
    IDENTITY = "identity"
    FIELD = "field"
    ATTACHMENTS = "attachments"
    SUMMARY = "summary"


@dataclass(frozen=True)
class FieldSpec:
    """One typed answer: its key, whether it may span several messages, its length limit."""

    key: str
    multi: bool = False
    max_len: int = 300
    check: str = "text"  # text | name | phone | id_number | date


FIELDS: dict[str, FieldSpec] = {
    spec.key: spec
    for spec in (
        FieldSpec("name", max_len=100, check="name"),
        FieldSpec("phone", max_len=20, check="phone"),
        FieldSpec("id_number", max_len=20, check="id_number"),
        FieldSpec("home_address", max_len=300),
        FieldSpec("content", multi=True, max_len=4000),
        FieldSpec("act", multi=True, max_len=4000),
        FieldSpec("issuer", max_len=300),
        FieldSpec("learnt_on", max_len=20, check="date"),
        FieldSpec("request", max_len=1000),
        FieldSpec("accused", max_len=300),
        FieldSpec("violation", multi=True, max_len=4000),
        FieldSpec("when", max_len=200),
    )
}
IDENTITY_FIELDS = ("name", "phone", "id_number", "home_address")
_CONTENT_FIELDS: dict[CaseKind, tuple[str, ...]] = {
    CaseKind.PETITION: ("content",),
    CaseKind.COMPLAINT: ("act", "issuer", "learnt_on", "request"),
    CaseKind.DENUNCIATION: ("accused", "violation", "when"),
}


def new_draft() -> Draft:
    """An empty draft with a fresh id (the idempotency key of its confirmation)."""
    return {"id": uuid.uuid4().hex, "fields": {}, "parts": {}, "attachments": []}


def parse_kind(value: str) -> CaseKind | None:
    """The kind a button's value names, or None for a value that is no kind."""
    try:
        return CaseKind(value)
    except ValueError:
        return None


def kind_of(draft: Draft) -> CaseKind | None:
    """The chosen kind, if any."""
    return CaseKind(draft["kind"]) if draft.get("kind") else None


def may_be_anonymous(kind: CaseKind) -> bool:
    """A phản ánh or a tố cáo may be sent without identity; a khiếu nại may not."""
    return kind is not CaseKind.COMPLAINT


def is_anonymous(draft: Draft) -> bool:
    """Whether the draft goes without identity: only if chosen and its kind allows it."""
    kind = kind_of(draft)
    return bool(draft.get("anonymous")) and kind is not None and may_be_anonymous(kind)


def fields_for(kind: CaseKind, *, anonymous: bool) -> tuple[str, ...]:
    """The typed answers this kind needs, identity first."""
    if anonymous:
        identity: tuple[str, ...] = ()
    elif kind is CaseKind.PETITION:
        identity = ("name", "phone")
    else:
        identity = IDENTITY_FIELDS
    return identity + _CONTENT_FIELDS[kind]


def missing_fields(kind: CaseKind, *, anonymous: bool, fields: dict[str, str]) -> tuple[str, ...]:
    """The answers `kind` requires (identity included unless anonymous) still empty."""
    return tuple(key for key in fields_for(kind, anonymous=anonymous) if not fields.get(key))


def next_step(draft: Draft) -> tuple[Step, str | None]:
    """The first unanswered question (and the field key when it is a typed field)."""
    kind = kind_of(draft)
    if kind is None:
        return Step.KIND, None
    for step in (Step.CONSENT_HANDLING, Step.CONSENT_NOTIFY, Step.UNIT, Step.ADDRESS):
        if draft.get(step.value) is None:
            return step, None
    if not draft.get("location_asked"):
        return Step.LOCATION, None
    if may_be_anonymous(kind) and draft.get("anonymous") is None:
        return Step.IDENTITY, None
    for key in missing_fields(kind, anonymous=is_anonymous(draft), fields=draft["fields"]):
        return Step.FIELD, key
    if not draft.get("attachments_done"):
        return Step.ATTACHMENTS, None
    return Step.SUMMARY, None


def set_kind(draft: Draft, kind: CaseKind) -> None:
    """Set the kind; an identity choice the new kind does not allow is asked again."""
    draft["kind"] = kind.value
    if draft.get("anonymous") and not may_be_anonymous(kind):
        draft["anonymous"] = None


def forget(draft: Draft, item: str) -> None:
    """Clear one answer so the flow asks it again (the summary's "edit" buttons)."""
    if item in FIELDS:
        draft["fields"].pop(item, None)
        draft["parts"].pop(item, None)
    elif item == "location":
        draft.pop("location", None)
        draft["location_asked"] = False
    elif item == "identity":
        draft["anonymous"] = None
        for key in IDENTITY_FIELDS:
            draft["fields"].pop(key, None)
    elif item == "attachments":
        draft["attachments_done"] = False
    else:
        draft[item] = None


def editable_items(draft: Draft) -> list[str]:
    """What the summary offers to edit, in the order it was asked."""
    kind = kind_of(draft)
    if kind is None:
        return []
    items = ["kind", "unit", "address", "location"]
    if may_be_anonymous(kind):
        items.append("identity")
    items.extend(fields_for(kind, anonymous=is_anonymous(draft)))
    items.append("attachments")
    return items


@dataclass(frozen=True)
class AttachmentData:
    """A file already stored under var/attachments, described for the database."""

    sha256: str
    size: int
    mime_type: str
    original_name: str | None
    source: str


@dataclass(frozen=True)
class CaseDraft:
    """A finished draft, typed, as the services take it."""

    draft_id: str
    kind: CaseKind
    unit_code: str
    address: str
    anonymous: bool
    consent_notify: bool
    fields: dict[str, str]
    latitude: float | None = None
    longitude: float | None = None
    attachments: list[AttachmentData] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, draft: Draft) -> CaseDraft:
        """The typed form of a completed draft dict."""
        location = draft.get("location") or {}
        return cls(
            draft_id=draft["id"],
            kind=CaseKind(draft["kind"]),
            unit_code=draft["unit"],
            address=draft["address"],
            anonymous=is_anonymous(draft),
            consent_notify=bool(draft.get("consent_notify")),
            fields=dict(draft["fields"]),
            latitude=location.get("latitude"),
            longitude=location.get("longitude"),
            attachments=[AttachmentData(**a) for a in draft.get("attachments", [])],
            captions=list(draft.get("captions", [])),
        )

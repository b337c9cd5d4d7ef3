"""How a case's values appear in an exported file: identity always masked when confidential.

Exported files leave the console (mail, USB sticks, printed registers), so unlike the
case page there is no reveal: a confidential case's identity is never written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.cases.clock import local
from bot.cases.draft import fields_for
from bot.cases.models import Case
from bot.cases.status import CaseKind
from bot.texts import cases as case_texts
from bot.texts import reports as texts


@dataclass(frozen=True)
class Identity:
    """The citizen's identity as a file may show it."""

    name: str
    phone: str
    id_number: str
    address: str

    def name_and_address(self) -> str:
        """ "Name, address" as the register's column wants it."""
        if self.name in (texts.MASKED, texts.ANONYMOUS, texts.ERASED):
            return self.name
        return ", ".join(part for part in (self.name, self.address) if part)


def identity(case: Case) -> Identity:
    """Masked for a confidential case, "Ẩn danh" for an anonymous one, a note where the
    personal data was erased (the citizen's request or the retention period), else as given."""
    if case.confidential:
        return Identity(texts.MASKED, texts.MASKED, texts.MASKED, texts.MASKED)
    if case.anonymous:
        return Identity(texts.ANONYMOUS, "", "", "")
    if case.personal_data_erased_at is not None:
        return Identity(texts.ERASED, "", "", "")
    return Identity(
        case.citizen_name or "",
        case.citizen_phone or "",
        case.citizen_id_number or "",
        case.citizen_address or "",
    )


def content(case: Case) -> str:
    """The kind's content answers, labelled, in the order they were asked."""
    details = case.details or {}
    keys = fields_for(CaseKind(case.kind), anonymous=True)  # content fields only
    return "; ".join(
        f"{case_texts.FIELD_LABELS[key]}: {details[key]}" for key in keys if details.get(key)
    )


def local_date(moment: datetime) -> date:
    """The office-local date of a stored timestamp."""
    return local(moment).date()

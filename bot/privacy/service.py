"""Data-subject requests: show a citizen their data, erase what the law lets us erase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.events import CITIZEN, append_event
from bot.cases.models import Case
from bot.cases.status import CaseKind, EventKind
from bot.messages.models import InboundMessage
from bot.privacy.models import PrivacyRequest


@dataclass(frozen=True)
class DataView:
    """What is stored about one chat."""

    request_id: int
    cases: list[Case]
    questions: int


@dataclass(frozen=True)
class Erasure:
    """What a deletion request removed at once and what it had to keep."""

    request_id: int
    questions_deleted: int
    cases_erased: int
    cases_kept: int


def view_own_data(*, session: Session, chat_id: int) -> DataView:
    """Log a request to see one's data and return that data."""
    request = _log(session, chat_id, "view", {})
    cases = list(session.scalars(select(Case).where(Case.chat_id == chat_id).order_by(Case.id)))
    questions = session.scalar(
        select(func.count()).select_from(InboundMessage).where(InboundMessage.chat_id == chat_id)
    )
    return DataView(request.id, cases, int(questions or 0))


def erase_own_data(*, session: Session, chat_id: int, now: datetime | None = None) -> Erasure:
    """Delete the chat's questions, strip personal fields from its petitions, stop its news.

    Complaints and denunciations are records the office must keep (Luật Tiếp công dân,
    Luật Khiếu nại, Luật Tố cáo): their identity fields stay, and the logged request
    lets staff decide and answer.
    """
    moment = now or utcnow()
    deleted = session.execute(delete(InboundMessage).where(InboundMessage.chat_id == chat_id))
    erased = kept = 0
    for case in session.scalars(select(Case).where(Case.chat_id == chat_id)):
        case.consent_notify = False
        if case.kind != CaseKind.PETITION.value:
            kept += 1
            continue
        case.citizen_name = case.citizen_phone = None
        case.citizen_id_number = case.citizen_address = None
        case.personal_data_erased_at = moment
        erased += 1
        append_event(
            session=session,
            case_id=case.id,
            kind=EventKind.PERSONAL_DATA_ERASED,
            actor=CITIZEN,
        )
    questions = int(getattr(deleted, "rowcount", 0) or 0)
    outcome = {"questions_deleted": questions, "cases_erased": erased, "cases_kept": kept}
    request = _log(session, chat_id, "delete", outcome)
    return Erasure(request.id, questions, erased, kept)


def _log(session: Session, chat_id: int, kind: str, outcome: dict[str, int]) -> PrivacyRequest:
    request = PrivacyRequest(chat_id=chat_id, kind=kind, outcome=outcome)
    session.add(request)
    session.flush()
    return request

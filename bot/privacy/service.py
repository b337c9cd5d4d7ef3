"""Data-subject requests: show a citizen their data, erase what the law lets us erase."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.events import CITIZEN
from bot.cases.models import Case
from bot.cases.status import OPEN, CaseStatus
from bot.faq.models import AnswerFeedback
from bot.messages.models import InboundMessage
from bot.outbox.models import OutboxMessage
from bot.privacy.anonymise import anonymise_case, silence_outbox
from bot.privacy.models import PrivacyRequest
from bot.retention.service import hashes_in
from bot.state.models import StoredState
from bot.state.service import USER_DATA, conversation_namespace
from bot.texts import cases as texts


@dataclass(frozen=True)
class DataView:
    """What is stored about one chat."""

    request_id: int
    cases: list[Case]
    questions: int


@dataclass(frozen=True)
class Erasure:
    """What a deletion request removed: counts for the citizen, file hashes to scrub."""

    request_id: int
    questions_deleted: int
    cases_erased: int
    cases_withdrawn: int
    files: frozenset[str] = field(default=frozenset())


def view_own_data(*, session: Session, chat_id: int) -> DataView:
    """Log a request to see one's data and return that data."""
    request = _log(session, chat_id, "view", {})
    cases = list(session.scalars(select(Case).where(Case.chat_id == chat_id).order_by(Case.id)))
    questions = session.scalar(
        select(func.count()).select_from(InboundMessage).where(InboundMessage.chat_id == chat_id)
    )
    return DataView(request.id, cases, int(questions or 0))


def erase_own_data(
    *,
    session: Session,
    chat_id: int,
    now: datetime | None = None,
    also_files: Iterable[str] = (),
) -> Erasure:
    """Erase everything personal of the chat; the register keeps anonymised case rows.

    Its questions, answer feedback, conversation state and drafts, its cases' personal
    data (bot.privacy.anonymise; open cases are withdrawn first) and its outbox texts
    go, and nothing pending is delivered any more. The returned `files` (with
    `also_files`, e.g. those of a draft held in memory) are for `scrub` after commit.
    """
    moment = now or utcnow()
    request = _log(session, chat_id, "delete", {})
    files = set(also_files)
    for value in session.scalars(select(StoredState.value).where(_own_state(chat_id))):
        files |= hashes_in(value)
    session.execute(delete(StoredState).where(_own_state(chat_id)))
    questions = _delete_questions(session, chat_id)
    erased = withdrawn = 0
    note = texts.PRIVACY_CASE_NOTE.format(request=request.id)
    for case in list(session.scalars(select(Case).where(Case.chat_id == chat_id))):
        withdrawn += CaseStatus(case.status) in OPEN
        files |= anonymise_case(session, case, now=moment, actor=CITIZEN, note=note)
        erased += 1
    silence_outbox(session, OutboxMessage.chat_id == chat_id)
    request.outcome = {
        "questions_deleted": questions,
        "cases_erased": erased,
        "cases_withdrawn": withdrawn,
    }
    return Erasure(request.id, questions, erased, withdrawn, frozenset(files))


def _own_state(chat_id: int) -> ColumnElement[bool]:
    """The chat's persisted user data and conversation states (a private chat's user
    id is its chat id; a conversation key is "[chat_id, user_id]")."""
    key = str(chat_id)
    return or_(
        and_(StoredState.namespace == USER_DATA, StoredState.key == key),
        and_(
            StoredState.namespace.startswith(conversation_namespace("")),
            or_(StoredState.key.startswith(f"[{key},"), StoredState.key == f"[{key}]"),
        ),
    )


def _delete_questions(session: Session, chat_id: int) -> int:
    """The chat's questions and its feedback on answers."""
    session.execute(delete(AnswerFeedback).where(AnswerFeedback.chat_id == chat_id))
    deleted = session.execute(delete(InboundMessage).where(InboundMessage.chat_id == chat_id))
    return int(getattr(deleted, "rowcount", 0) or 0)


def _log(session: Session, chat_id: int, kind: str, outcome: dict[str, int]) -> PrivacyRequest:
    request = PrivacyRequest(chat_id=chat_id, kind=kind, outcome=outcome)
    session.add(request)
    session.flush()
    return request

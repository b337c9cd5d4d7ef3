"""Cases lodged for a fuzz chat straight through the service (open or closed)."""

from __future__ import annotations

from bot.cases.models import Case
from bot.cases.status import CaseStatus
from bot.db import session_scope
from tests.factories_cases import add_case
from tests.fuzz.stack import BotThread


def lodge(stack: BotThread, chat_id: int, *, closed: bool = False) -> str:
    """A new case of `chat_id`; returns its code."""
    assert stack.settings is not None
    with session_scope(stack.settings.database_url) as session:
        case = add_case(session, chat_id=chat_id)
        if closed:
            case.status = CaseStatus.CLOSED.value
        return case.code


def case_of(stack: BotThread, code: str) -> Case:
    """The case with `code`, detached, its attachments and events loaded."""
    assert stack.settings is not None
    with session_scope(stack.settings.database_url) as session:
        case = session.query(Case).filter_by(code=code).one()
        _ = case.attachments, case.events
        session.expunge(case)
        return case

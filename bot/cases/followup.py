"""After lodging: the citizen adds information, rates the handling of a closed case."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.cases.draft import AttachmentData
from bot.cases.events import CITIZEN, append_event
from bot.cases.models import Case
from bot.cases.service import add_attachments, find_own_case
from bot.cases.status import CaseStatus, EventKind, accepts_supplements


def add_supplement(
    *,
    session: Session,
    code: str,
    chat_id: int,
    texts: list[str],
    attachments: list[AttachmentData],
) -> Case | None:
    """Append the citizen's extra texts and files to their open case; None if not theirs/open."""
    case = find_own_case(session=session, code=code, chat_id=chat_id)
    if case is None or not accepts_supplements(CaseStatus(case.status)):
        return None
    add_attachments(session=session, case_id=case.id, items=attachments)
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.SUPPLEMENT,
        actor=CITIZEN,
        text="\n".join(texts) or None,
        data={"attachments": [a.sha256 for a in attachments]},
    )
    return case


def record_message_out(*, session: Session, case_id: int, text: str) -> None:
    """Log a message the bot sent the citizen about the case (e.g. the receipt)."""
    append_event(
        session=session,
        case_id=case_id,
        kind=EventKind.MESSAGE_OUT,
        actor="bot",
        text=text,
        public=True,
    )


def rate_case(*, session: Session, code: str, chat_id: int, rating: int) -> Case | None:
    """Store the citizen's 1–5 rating of their closed case; None if not theirs, open or rated."""
    case = find_own_case(session=session, code=code, chat_id=chat_id)
    if case is None or case.status != CaseStatus.CLOSED.value or case.rating is not None:
        return None
    if not 1 <= rating <= 5:
        return None
    case.rating = rating
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.RATING,
        actor=CITIZEN,
        data={"rating": rating},
    )
    return case


def comment_rating(*, session: Session, code: str, chat_id: int, comment: str) -> bool:
    """Add the citizen's comment to the rating of their case."""
    case = find_own_case(session=session, code=code, chat_id=chat_id)
    if case is None or case.rating is None:
        return False
    case.rating_comment = comment
    append_event(
        session=session,
        case_id=case.id,
        kind=EventKind.RATING,
        actor=CITIZEN,
        text=comment,
        data={"rating": case.rating},
    )
    return True

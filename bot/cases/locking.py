"""Loading a case for a change: the permission, the optimistic lock, the refusals.

Every change a person makes starts with `load_for` (the case exists, the person may do
this, nobody changed it since the form was loaded) and runs inside `guarded` (a
concurrent update found at flush time becomes `StaleCase` too).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.cases.clock import utcnow
from bot.cases.models import Case
from bot.cases.service import get_case
from bot.staff.permissions import Action, require
from bot.staff.roles import Actor
from bot.texts.workflow import ERRORS


class WorkflowError(ValueError):
    """A change the rules refuse; `code` keys `bot.texts.workflow.ERRORS`."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self) -> str:
        """The refusal in Vietnamese, for staff."""
        return ERRORS[self.code].format(**self.params)


class StaleCase(WorkflowError):
    """The case changed since the form was loaded: reload and try again."""

    def __init__(self) -> None:
        super().__init__("stale")


def load_for(
    session: Session,
    actor: Actor,
    case_id: int,
    action: Action,
    expected_version: int | None = None,
) -> Case:
    """The case, after checking that `actor` may do `action` and the version the form saw
    (permission first: a refused person learns nothing about the case's changes)."""
    case = get_case(session=session, case_id=case_id)
    require(actor, action, case)
    if expected_version is not None and expected_version != case.version:
        raise StaleCase()
    return case


@contextmanager
def guarded() -> Iterator[None]:
    """Turn SQLAlchemy's detection of a concurrent update into `StaleCase`."""
    try:
        yield
    except StaleDataError as error:
        raise StaleCase() from error


def clean_text(text: str | None, code: str = "empty_text") -> str:
    """`text` stripped; WorkflowError(`code`) when nothing is left."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise WorkflowError(code)
    return cleaned


def touch(case: Case) -> None:
    """Mark the case changed, so its version moves and a concurrent change is caught."""
    case.updated_at = utcnow()

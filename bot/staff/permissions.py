"""Who may do what to a case: the one place these rules live (the console only asks).

- Officers and leaders of a unit see that unit's cases; leaders of all units and admins
  see every case. Admins only read cases: they run the system, not the cases.
- The assigned officer and leaders act on a case (status, reply, notes, duplicate,
  split); only leaders assign to others and extend deadlines; an officer may take an
  unassigned case of their unit.
- A denouncer's identity (Luật Tố cáo art. 9, 47, 56) is masked for everyone; only the
  leader of the case's unit and the assigned officer may reveal it, and that is logged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from sqlalchemy import ColumnElement, and_, false, or_, true

from bot.cases.models import Case
from bot.staff.roles import Actor, Role


class Action(StrEnum):
    """Everything a person can do in the console."""

    VIEW = "view"
    NOTE = "note"
    TAKE = "take"  # assign an unassigned case to oneself
    ASSIGN = "assign"
    CHANGE_STATUS = "change_status"
    REPLY = "reply"
    EXTEND = "extend"
    DUPLICATE = "duplicate"
    SPLIT = "split"
    REVEAL_IDENTITY = "reveal_identity"


class Forbidden(PermissionError):
    """The person may not do this; `action` says what was refused."""

    def __init__(self, action: Action) -> None:
        super().__init__(action.value)
        self.action = action


class CaseLike(Protocol):
    """What the rules read of a case."""

    unit_code: str
    assigned_to_id: int | None
    confidential: bool


def _in_scope(actor: Actor, case: CaseLike) -> bool:
    return actor.all_units or actor.unit_code == case.unit_code


def _unit_leader(actor: Actor, case: CaseLike) -> bool:
    return actor.role is Role.LEADER and actor.unit_code == case.unit_code


def _handler(actor: Actor, case: CaseLike) -> bool:
    """The assigned officer, or a leader in scope."""
    if actor.role is Role.LEADER:
        return _in_scope(actor, case)
    return actor.role is Role.OFFICER and case.assigned_to_id == actor.id


def can(actor: Actor, action: Action, case: CaseLike) -> bool:
    """True when `actor` may do `action` on `case`."""
    if not _in_scope(actor, case):
        return False
    if action is Action.VIEW:
        return True
    if actor.role is Role.ADMIN:
        return False
    if action is Action.NOTE:
        return True
    if action is Action.TAKE:
        return actor.role is Role.OFFICER and case.assigned_to_id is None
    if action in (Action.ASSIGN, Action.EXTEND):
        return actor.role is Role.LEADER
    if action is Action.REVEAL_IDENTITY:
        return case.confidential and (
            _unit_leader(actor, case)
            or (actor.role is Role.OFFICER and case.assigned_to_id == actor.id)
        )
    return _handler(actor, case)


def require(actor: Actor, action: Action, case: CaseLike) -> None:
    """Raise Forbidden unless `actor` may do `action` on `case`."""
    if not can(actor, action, case):
        raise Forbidden(action)


def identity_masked(actor: Actor, case: CaseLike, *, revealed: bool = False) -> bool:
    """True when the citizen's name, phone, ID number and address must be hidden.

    Identity of a non-confidential case is shown to everyone who sees the case; a
    confidential one only after an entitled person's logged reveal (`revealed`).
    """
    if not case.confidential:
        return False
    return not (revealed and can(actor, Action.REVEAL_IDENTITY, case))


def visible_cases(actor: Actor) -> ColumnElement[bool]:
    """SQL condition: the cases `actor` may see (for lists, search, exports, reports)."""
    if actor.all_units:
        return true()
    if actor.unit_code is None:
        return false()
    return Case.unit_code == actor.unit_code


def identity_searchable(actor: Actor) -> ColumnElement[bool]:
    """SQL condition: cases whose identity `actor` may search by (never a masked one)."""
    entitled: list[ColumnElement[bool]] = []
    if actor.role is Role.LEADER and actor.unit_code is not None:
        entitled.append(Case.unit_code == actor.unit_code)
    if actor.role is Role.OFFICER:
        entitled.append(Case.assigned_to_id == actor.id)
    return or_(Case.confidential.is_(False), and_(true(), or_(*entitled)) if entitled else false())


def require_admin(actor: Actor) -> None:
    """Raise Forbidden unless `actor` is an admin (what the bot knows, models, canned replies)."""
    if actor.role is not Role.ADMIN:
        raise Forbidden(Action.VIEW)

"""The permission matrix: role × same/other unit × assignment × confidentiality × action.

The expected sets are written out by hand from the rules in bot/staff/permissions.py's
docstring, not derived from the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pytest

from bot.staff.permissions import Action, Forbidden, can, identity_masked, require
from bot.staff.roles import Actor, Role

A = Action
OFFICER = Actor(id=1, username="canbo.qh", role=Role.OFFICER, unit_code="QH")
LEADER = Actor(id=2, username="lanhdao.qh", role=Role.LEADER, unit_code="QH")
LEADER_ALL = Actor(id=3, username="lanhdao.all", role=Role.LEADER, unit_code=None)
ADMIN = Actor(id=4, username="quantri", role=Role.ADMIN, unit_code=None)
OTHER_OFFICER_ID = 9


@dataclass
class FakeCase:
    unit_code: str
    assigned_to_id: int | None
    confidential: bool


HANDLING = {A.VIEW, A.NOTE, A.CHANGE_STATUS, A.REPLY, A.DUPLICATE, A.SPLIT}
# (role, unit "same"/"other", assignment "self"/"other"/"none") → allowed actions on a
# case that is not confidential; REVEAL_IDENTITY is handled below.
EXPECTED: dict[tuple[str, str, str], set[Action]] = {
    ("officer", "same", "self"): HANDLING,
    ("officer", "same", "other"): {A.VIEW, A.NOTE},
    ("officer", "same", "none"): {A.VIEW, A.NOTE, A.TAKE},
    ("leader", "same", "self"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader", "same", "other"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader", "same", "none"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "same", "self"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "same", "other"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "same", "none"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "other", "self"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "other", "other"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("leader_all", "other", "none"): HANDLING | {A.ASSIGN, A.EXTEND},
    ("admin", "same", "self"): {A.VIEW},
    ("admin", "same", "other"): {A.VIEW},
    ("admin", "same", "none"): {A.VIEW},
    ("admin", "other", "self"): {A.VIEW},
    ("admin", "other", "other"): {A.VIEW},
    ("admin", "other", "none"): {A.VIEW},
}
# Who may reveal a confidential case's identity: the unit's leader, the assigned officer.
REVEALS = {("officer", "same", "self"), ("leader", "same", "self"), ("leader", "same", "other")}
REVEALS |= {("leader", "same", "none")}
ACTORS = {"officer": OFFICER, "leader": LEADER, "leader_all": LEADER_ALL, "admin": ADMIN}


def _case(actor: Actor, unit: str, assignment: str, confidential: bool) -> FakeCase:
    unit_code = (actor.unit_code or "QH") if unit == "same" else "CP"
    assigned = {"self": actor.id, "other": OTHER_OFFICER_ID, "none": None}[assignment]
    return FakeCase(unit_code=unit_code, assigned_to_id=assigned, confidential=confidential)


def _expected(role: str, unit: str, assignment: str, confidential: bool) -> set[Action]:
    allowed = set(EXPECTED.get((role, unit, assignment), set()))
    if confidential and (role, unit, assignment) in REVEALS:
        allowed.add(A.REVEAL_IDENTITY)
    return allowed


MATRIX = list(product(ACTORS, ("same", "other"), ("self", "other", "none"), (False, True)))


@pytest.mark.parametrize(("role", "unit", "assignment", "confidential"), MATRIX)
def test_the_permission_matrix(role: str, unit: str, assignment: str, confidential: bool) -> None:
    actor = ACTORS[role]
    case = _case(actor, unit, assignment, confidential)
    allowed = {action for action in Action if can(actor, action, case)}
    assert allowed == _expected(role, unit, assignment, confidential)


@pytest.mark.parametrize(("role", "unit", "assignment", "confidential"), MATRIX)
def test_require_refuses_exactly_what_can_denies(
    role: str, unit: str, assignment: str, confidential: bool
) -> None:
    actor = ACTORS[role]
    case = _case(actor, unit, assignment, confidential)
    for action in Action:
        if action in _expected(role, unit, assignment, confidential):
            require(actor, action, case)
        else:
            with pytest.raises(Forbidden) as refused:
                require(actor, action, case)
            assert refused.value.action is action


def test_an_officer_of_another_unit_can_do_nothing() -> None:
    other = Actor(id=5, username="canbo.cp", role=Role.OFFICER, unit_code="CP")
    case = FakeCase(unit_code="QH", assigned_to_id=other.id, confidential=True)
    assert not any(can(other, action, case) for action in Action)


def test_identity_is_masked_until_an_entitled_person_reveals_it() -> None:
    secret = FakeCase(unit_code="QH", assigned_to_id=OFFICER.id, confidential=True)
    plain = FakeCase(unit_code="QH", assigned_to_id=None, confidential=False)
    assert not identity_masked(ADMIN, plain)
    assert identity_masked(OFFICER, secret) and not identity_masked(OFFICER, secret, revealed=True)
    assert identity_masked(LEADER_ALL, secret, revealed=True)
    assert identity_masked(ADMIN, secret, revealed=True)

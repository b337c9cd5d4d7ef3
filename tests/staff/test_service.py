"""Staff accounts: creation rules, log-in with lockout, sessions — on both databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from bot.staff.roles import Role
from bot.staff.service import (
    LoginOutcome,
    StaffError,
    add_staff,
    authenticate,
    change_password,
    disable_staff,
    end_session,
    officers_of,
    purge_expired_sessions,
    resolve_session,
    start_session,
)

PASSWORD = "mot-mat-khau-dai"
NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def login(db: Session, username: str, password: str, now: datetime = NOW) -> LoginOutcome:
    return authenticate(
        session=db,
        username=username,
        password=password,
        max_failures=3,
        lockout=timedelta(minutes=15),
        now=now,
    ).outcome


@pytest.mark.parametrize(
    ("username", "role", "unit", "password", "code"),
    [
        ("a", Role.OFFICER, "QH", PASSWORD, "bad_username"),
        ("Có Dấu", Role.OFFICER, "QH", PASSWORD, "bad_username"),
        ("canbo", Role.OFFICER, None, PASSWORD, "unit_required"),
        ("quantri", Role.ADMIN, "QH", PASSWORD, "admin_has_no_unit"),
        ("canbo", Role.OFFICER, "ZZ", PASSWORD, "unknown_unit"),
        ("canbo", Role.OFFICER, "QH", "ngan", "password_too_short"),
        ("canbo", Role.OFFICER, "QH", "canbo-123456", "password_contains_username"),
        ("canbo", Role.OFFICER, "QH", "aaaaaaaaaaaa", "password_too_simple"),
    ],
)
def test_add_staff_refuses_bad_accounts(
    db: Session, username: str, role: Role, unit: str | None, password: str, code: str
) -> None:
    with pytest.raises(StaffError) as raised:
        add_staff(session=db, username=username, password=password, role=role, unit_code=unit)
    assert raised.value.code == code


def test_usernames_are_unique_case_insensitively(db: Session) -> None:
    add_staff(session=db, username="Lan.QH", password=PASSWORD, role=Role.OFFICER, unit_code="QH")
    with pytest.raises(StaffError, match="username_taken"):
        add_staff(session=db, username="lan.qh", password=PASSWORD, role=Role.LEADER)


def test_password_is_stored_hashed_and_checked(db: Session) -> None:
    user = add_staff(session=db, username="lan", password=PASSWORD, role=Role.LEADER)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    assert login(db, "lan", PASSWORD) is LoginOutcome.OK
    assert login(db, "LAN", PASSWORD) is LoginOutcome.OK
    assert login(db, "lan", PASSWORD + "x") is LoginOutcome.BAD_CREDENTIALS
    assert login(db, "nobody", PASSWORD) is LoginOutcome.BAD_CREDENTIALS


def test_repeated_failures_lock_the_account_for_a_while(db: Session) -> None:
    add_staff(session=db, username="lan", password=PASSWORD, role=Role.LEADER)
    outcomes = [login(db, "lan", "sai-mat-khau") for _ in range(3)]
    assert outcomes == [
        LoginOutcome.BAD_CREDENTIALS,
        LoginOutcome.BAD_CREDENTIALS,
        LoginOutcome.LOCKED,
    ]
    assert login(db, "lan", PASSWORD, NOW + timedelta(minutes=5)) is LoginOutcome.LOCKED
    assert login(db, "lan", PASSWORD, NOW + timedelta(minutes=16)) is LoginOutcome.OK


def test_a_disabled_account_cannot_log_in_and_loses_its_sessions(db: Session) -> None:
    user = add_staff(session=db, username="lan", password=PASSWORD, role=Role.LEADER)
    token = start_session(session=db, user_id=user.id, lifetime=HOUR, now=NOW)
    disable_staff(session=db, username="lan")
    assert login(db, "lan", PASSWORD) is LoginOutcome.BAD_CREDENTIALS
    assert resolve_session(session=db, token=token, lifetime=HOUR, now=NOW) is None


def test_sessions_expire_when_idle_and_slide_when_used(db: Session) -> None:
    user = add_staff(session=db, username="lan", password=PASSWORD, role=Role.LEADER)
    token = start_session(session=db, user_id=user.id, lifetime=HOUR, now=NOW)
    assert resolve_session(
        session=db, token=token, lifetime=HOUR, now=NOW + 50 * timedelta(minutes=1)
    )
    # Used at +50 min, so it lasts until +110 min.
    assert resolve_session(
        session=db, token=token, lifetime=HOUR, now=NOW + 100 * timedelta(minutes=1)
    )
    assert resolve_session(session=db, token="forged", lifetime=HOUR, now=NOW) is None
    later = NOW + timedelta(hours=5)
    assert resolve_session(session=db, token=token, lifetime=HOUR, now=later) is None
    assert purge_expired_sessions(session=db, now=later) == 1


def test_logout_and_password_change_end_sessions(db: Session) -> None:
    user = add_staff(session=db, username="lan", password=PASSWORD, role=Role.LEADER)
    first = start_session(session=db, user_id=user.id, lifetime=HOUR, now=NOW)
    second = start_session(session=db, user_id=user.id, lifetime=HOUR, now=NOW)
    end_session(session=db, token=first)
    assert resolve_session(session=db, token=first, lifetime=HOUR, now=NOW) is None
    assert resolve_session(session=db, token=second, lifetime=HOUR, now=NOW) is not None
    with pytest.raises(StaffError, match="wrong_current_password"):
        change_password(session=db, user_id=user.id, current="sai", new="mat-khau-moi-99")
    change_password(session=db, user_id=user.id, current=PASSWORD, new="mat-khau-moi-99")
    assert resolve_session(session=db, token=second, lifetime=HOUR, now=NOW) is None
    assert login(db, "lan", "mat-khau-moi-99") is LoginOutcome.OK


def test_officers_of_a_unit_are_its_active_officers_and_leaders(db: Session) -> None:
    add_staff(session=db, username="a.qh", password=PASSWORD, role=Role.OFFICER, unit_code="QH")
    add_staff(session=db, username="b.qh", password=PASSWORD, role=Role.LEADER, unit_code="QH")
    add_staff(session=db, username="c.cp", password=PASSWORD, role=Role.OFFICER, unit_code="CP")
    add_staff(session=db, username="d.qh", password=PASSWORD, role=Role.OFFICER, unit_code="QH")
    disable_staff(session=db, username="d.qh")
    assert [u.username for u in officers_of(session=db, unit_code="QH")] == ["a.qh", "b.qh"]

"""Staff accounts: creating, listing, disabling, signing in (with lockout) and sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.cases.clock import as_utc, utcnow
from bot.staff.models import StaffSession, StaffUser
from bot.staff.passwords import hash_password, needs_rehash, password_problem, verify_password
from bot.staff.roles import Actor, Role
from bot.units.models import Unit

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


class StaffError(ValueError):
    """A staff account change that is not allowed; `code` names the reason."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def actor_of(user: StaffUser) -> Actor:
    """The services' view of an account."""
    return Actor(
        id=user.id,
        username=user.username,
        role=Role(user.role),
        unit_code=user.unit_code,
        display_name=user.display_name,
    )


def count_staff(*, session: Session) -> int:
    """How many accounts exist (active or not)."""
    return int(session.scalar(select(func.count()).select_from(StaffUser)) or 0)


def get_by_username(*, session: Session, username: str) -> StaffUser | None:
    """The account with this user name (case-insensitive)."""
    return session.scalars(
        select(StaffUser).where(StaffUser.username == username.strip().lower())
    ).first()


def add_staff(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role,
    unit_code: str | None = None,
    display_name: str | None = None,
) -> StaffUser:
    """Create an account; officers need a unit, admins have none."""
    name = username.strip().lower()
    if not 3 <= len(name) <= 64 or not set(name) <= USERNAME_CHARS:
        raise StaffError("bad_username")
    if get_by_username(session=session, username=name) is not None:
        raise StaffError("username_taken")
    if role is Role.OFFICER and unit_code is None:
        raise StaffError("unit_required")
    if role is Role.ADMIN and unit_code is not None:
        raise StaffError("admin_has_no_unit")
    if unit_code is not None and session.get(Unit, unit_code) is None:
        raise StaffError("unknown_unit")
    problem = password_problem(password, username=name)
    if problem is not None:
        raise StaffError(f"password_{problem}")
    user = StaffUser(
        username=name,
        display_name=(display_name or name).strip()[:100],
        role=role.value,
        unit_code=unit_code,
        password_hash=hash_password(password),
        active=True,
        failed_logins=0,
        password_changed_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def list_staff(*, session: Session, unit_code: str | None = None) -> list[StaffUser]:
    """Accounts by unit then user name (only one unit's when `unit_code` is given)."""
    stmt = select(StaffUser).order_by(StaffUser.unit_code, StaffUser.username)
    if unit_code is not None:
        stmt = stmt.where(StaffUser.unit_code == unit_code)
    return list(session.scalars(stmt))


def officers_of(*, session: Session, unit_code: str) -> list[StaffUser]:
    """Active officers and leaders of a unit: the people a case there may be assigned to."""
    stmt = (
        select(StaffUser)
        .where(
            StaffUser.unit_code == unit_code,
            StaffUser.active.is_(True),
            StaffUser.role.in_([Role.OFFICER.value, Role.LEADER.value]),
        )
        .order_by(StaffUser.display_name)
    )
    return list(session.scalars(stmt))


def disable_staff(*, session: Session, username: str) -> StaffUser:
    """Disable an account and end its sessions."""
    user = get_by_username(session=session, username=username)
    if user is None:
        raise StaffError("unknown_user")
    user.active = False
    end_sessions(session=session, user_id=user.id)
    return user


class LoginOutcome(StrEnum):
    """How a log-in attempt ended."""

    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginResult:
    """The outcome and, on success, the account."""

    outcome: LoginOutcome
    user: StaffUser | None = None
    locked_until: datetime | None = None


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    max_failures: int,
    lockout: timedelta,
    now: datetime | None = None,
) -> LoginResult:
    """Check a log-in; `max_failures` wrong passwords in a row lock the account for `lockout`.

    A locked account is refused even with the right password, and an unknown or disabled
    user name gets the same answer as a wrong password.
    """
    moment = now or utcnow()
    user = get_by_username(session=session, username=username)
    if user is not None and user.locked_until is not None and as_utc(user.locked_until) > moment:
        return LoginResult(LoginOutcome.LOCKED, locked_until=as_utc(user.locked_until))
    matches = verify_password(user.password_hash if user else None, password)
    if user is None or not user.active:
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    if not matches:
        user.failed_logins += 1
        if user.failed_logins >= max_failures:
            user.locked_until = moment + lockout
            user.failed_logins = 0
            return LoginResult(LoginOutcome.LOCKED, locked_until=user.locked_until)
        return LoginResult(LoginOutcome.BAD_CREDENTIALS)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = moment
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return LoginResult(LoginOutcome.OK, user=user)


def change_password(*, session: Session, user_id: int, current: str, new: str) -> None:
    """Change one's own password (the current one is asked again); other sessions end."""
    user = session.get(StaffUser, user_id)
    if user is None or not verify_password(user.password_hash, current):
        raise StaffError("wrong_current_password")
    _replace_password(session, user, new)


def set_password(*, session: Session, username: str, password: str) -> StaffUser:
    """An administrator sets a new password (e.g. from the command line); sessions end."""
    user = get_by_username(session=session, username=username)
    if user is None:
        raise StaffError("unknown_user")
    _replace_password(session, user, password)
    user.locked_until = None
    user.failed_logins = 0
    return user


def _replace_password(session: Session, user: StaffUser, password: str) -> None:
    """Check and store a new password; every session of the account ends."""
    problem = password_problem(password, username=user.username)
    if problem is not None:
        raise StaffError(f"password_{problem}")
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_sessions(session=session, user_id=user.id)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    *, session: Session, user_id: int, lifetime: timedelta, now: datetime | None = None
) -> str:
    """A new session for the user; returns the random token the cookie will carry."""
    moment = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=_hash_token(token),
            user_id=user_id,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + lifetime,
        )
    )
    session.flush()
    return token


def resolve_session(
    *, session: Session, token: str, lifetime: timedelta, now: datetime | None = None
) -> StaffUser | None:
    """The active account behind a session token; an idle session expires after `lifetime`."""
    moment = now or utcnow()
    row = session.get(StaffSession, _hash_token(token))
    if row is None or as_utc(row.expires_at) <= moment:
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    # Sliding expiry, written at most once a minute.
    if moment - as_utc(row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = moment
        row.expires_at = moment + lifetime
    return user


def end_session(*, session: Session, token: str) -> None:
    """Log out one browser."""
    session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash_token(token)))


def end_sessions(*, session: Session, user_id: int) -> None:
    """Log out every browser of the user."""
    session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


def purge_expired_sessions(*, session: Session, now: datetime | None = None) -> int:
    """Delete expired sessions; returns how many."""
    result = session.execute(
        delete(StaffSession).where(StaffSession.expires_at <= (now or utcnow()))
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]

"""`tiepdan staff …`: staff accounts from the command line (add, list, disable, password).

Every change is written to the audit log with the actor "cli". Refusals are one English
line on stderr with exit code 2.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.bootstrap import prepare_database
from bot.cases.clock import local
from bot.db import session_scope
from bot.settings import Settings
from bot.staff.models import StaffUser
from bot.staff.passwords import MAX_LENGTH, MIN_LENGTH
from bot.staff.roles import Role
from bot.staff.service import StaffError, add_staff, disable_staff, list_staff, set_password
from bot.units.service import list_units

T = TypeVar("T")
Command = Callable[[argparse.Namespace, Settings], int]
AddCommand = Callable[[Any, str, Command], argparse.ArgumentParser]

ACTOR = "cli"
TARGET = "staff"
# What a StaffError code means, for the person at the terminal.
ERRORS = {
    "bad_username": "a user name is 3-64 characters: lower-case letters a-z, digits, '.', '_', '-'",
    "username_taken": "that user name is taken",
    "unit_required": "an officer belongs to one unit: give --unit CODE ({units})",
    "admin_has_no_unit": "an admin belongs to no unit: leave out --unit",
    "unknown_unit": "no such unit; the units are {units}",
    "unknown_user": "no staff account with that user name",
    "password_too_short": f"the password must have at least {MIN_LENGTH} characters",
    "password_too_long": f"the password must have at most {MAX_LENGTH} characters",
    "password_contains_username": "the password must not contain the user name",
    "password_too_simple": "the password must use at least 4 different characters",
}


class PasswordMismatch(Exception):
    """The two typed passwords differ."""


def read_password(from_stdin: bool) -> str:
    """One line from stdin, or typed twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password (again): ") != first:
        raise PasswordMismatch
    return first


def _run(settings: Settings, work: Callable[[Session], str]) -> int:
    """Migrate, then `work` in one transaction; print its line, or the refusal."""
    prepare_database(settings)
    try:
        with session_scope(settings.database_url) as session:
            done = work(session)
    except StaffError as exc:
        with session_scope(settings.database_url) as session:
            units = ", ".join(unit.code for unit in list_units(session=session))
        reason = ERRORS.get(exc.code, exc.code).format(units=units)
        print(f"error: {reason}", file=sys.stderr)
        return 2
    print(done)
    return 0


def _password_or_exit(args: argparse.Namespace) -> str | None:
    try:
        return read_password(args.password_stdin)
    except PasswordMismatch:
        print("error: the two passwords differ", file=sys.stderr)
        return None


def cmd_staff_add(args: argparse.Namespace, settings: Settings) -> int:
    """Create a staff account (the password is asked twice, or read from stdin)."""
    password = _password_or_exit(args)
    if password is None:
        return 2

    def work(session: Session) -> str:
        user = add_staff(
            session=session,
            username=args.username,
            password=password,
            role=Role(args.role),
            unit_code=args.unit,
            display_name=args.name,
        )
        after = {"role": user.role, "unit": user.unit_code, "display_name": user.display_name}
        _audit(session, "staff_added", user, after=after)
        unit = f" of unit {user.unit_code}" if user.unit_code else ""
        return f"Added {user.role} {user.username} ({user.display_name}){unit}."

    return _run(settings, work)


def cmd_staff_list(args: argparse.Namespace, settings: Settings) -> int:
    """List staff accounts: user name, display name, role, unit, active, last log-in."""
    with_unit = args.unit

    def work(session: Session) -> str:
        return staff_table(list_staff(session=session, unit_code=with_unit))

    return _run(settings, work)


def cmd_staff_disable(args: argparse.Namespace, settings: Settings) -> int:
    """Disable an account (it can no longer log in; its open sessions end)."""

    def work(session: Session) -> str:
        user = disable_staff(session=session, username=args.username)
        _audit(session, "staff_disabled", user, after={"active": False})
        return f"Disabled {user.username}."

    return _run(settings, work)


def cmd_staff_password(args: argparse.Namespace, settings: Settings) -> int:
    """Set a new password for an account (unlocks it and ends its sessions)."""
    password = _password_or_exit(args)
    if password is None:
        return 2

    def work(session: Session) -> str:
        user = set_password(session=session, username=args.username, password=password)
        _audit(session, "password_reset", user)
        return f"Password of {user.username} changed; its sessions have ended."

    return _run(settings, work)


def _audit(
    session: Session, action: str, user: StaffUser, *, after: dict[str, Any] | None = None
) -> None:
    record(
        session=session,
        actor=ACTOR,
        action=action,
        target_type=TARGET,
        target_id=user.username,
        after=after,
    )


def staff_table(users: list[StaffUser]) -> str:
    """The accounts as an aligned text table (times in the office's local time)."""
    header = ("USERNAME", "NAME", "ROLE", "UNIT", "ACTIVE", "LAST LOG-IN")
    rows = [
        (
            user.username,
            user.display_name,
            user.role,
            user.unit_code or "-",
            "yes" if user.active else "no",
            f"{local(user.last_login_at):%Y-%m-%d %H:%M}" if user.last_login_at else "never",
        )
        # Accounts of no unit first on every database (NULLs sort differently in each).
        for user in sorted(users, key=lambda u: (u.unit_code or "", u.username))
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    return "\n".join(line.rstrip() for line in lines)


def add_staff_commands(sub: Any, add: AddCommand) -> None:
    """Register `staff add|list|disable|password` under the `tiepdan` parser."""
    staff = sub.add_parser("staff", help="staff accounts of the console").add_subparsers(
        dest="staff_command", required=True
    )
    stdin_help = "read the password from one line of stdin instead of asking twice"
    staff_add = add(staff, "add", cmd_staff_add)
    staff_add.add_argument("username", help="log-in name: a-z, 0-9, '.', '_', '-'")
    staff_add.add_argument("--role", required=True, choices=[role.value for role in Role])
    staff_add.add_argument("--unit", metavar="CODE", help="unit code (required for an officer)")
    staff_add.add_argument("--name", help='display name, e.g. "Nguyễn Thị Lan"')
    staff_add.add_argument("--password-stdin", action="store_true", help=stdin_help)
    staff_list = add(staff, "list", cmd_staff_list)
    staff_list.add_argument("--unit", metavar="CODE", help="only this unit's accounts")
    staff_disable = add(staff, "disable", cmd_staff_disable)
    staff_disable.add_argument("username")
    staff_password = add(staff, "password", cmd_staff_password)
    staff_password.add_argument("username")
    staff_password.add_argument("--password-stdin", action="store_true", help=stdin_help)

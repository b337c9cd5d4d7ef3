"""`tiepdan staff add|list|disable|password` on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.cli import build_parser
from bot.db import session_scope
from bot.settings import Settings
from bot.staff.passwords import verify_password
from bot.staff.service import get_by_username

PASSWORD = "rất-bí-mật-2026"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, var_dir=tmp_path / "var")


def run(
    settings: Settings, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    """One `tiepdan` command in process: exit code, stdout, stderr."""
    args = build_parser().parse_args(list(argv))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "stdin", io.StringIO(stdin))
        code = args.func(args, settings)
    out, err = capsys.readouterr()
    return code, out, err


def test_add_list_disable_and_reset(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    added = run(
        settings, capsys, "staff", "add", "lan", "--role", "officer", "--unit", "QH",
        "--name", "Nguyễn Thị Lan", "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added == (0, "Added officer lan (Nguyễn Thị Lan) of unit QH.\n", "")
    code, _, _ = run(
        settings,
        capsys,
        "staff",
        "add",
        "boss",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD,
    )
    assert code == 0
    code, table, _ = run(settings, capsys, "staff", "list")
    header, *rows = table.splitlines()
    assert header.split() == ["USERNAME", "NAME", "ROLE", "UNIT", "ACTIVE", "LAST", "LOG-IN"]
    assert rows[0].split() == ["boss", "boss", "admin", "-", "yes", "never"]
    assert rows[1].split() == ["lan", "Nguyễn", "Thị", "Lan", "officer", "QH", "yes", "never"]
    assert run(settings, capsys, "staff", "disable", "lan")[:2] == (0, "Disabled lan.\n")
    new = "một-mật-khẩu-khác"
    assert run(settings, capsys, "staff", "password", "lan", "--password-stdin", stdin=new)[0] == 0
    with session_scope(settings.database_url) as session:
        user = get_by_username(session=session, username="lan")
        assert user is not None and not user.active
        assert verify_password(user.password_hash, new)
        audit = [
            (e.actor, e.action, e.target_id)
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert audit == [
        ("cli", "staff_added", "lan"),
        ("cli", "staff_added", "boss"),
        ("cli", "staff_disabled", "lan"),
        ("cli", "password_reset", "lan"),
    ]


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["add", "lan", "--role", "officer"], PASSWORD, "an officer belongs to one unit: give --unit CODE (CP, CO, QH, MD, HH)"),
        (["add", "lan", "--role", "officer", "--unit", "XX"], PASSWORD, "no such unit; the units are CP, CO, QH, MD, HH"),
        (["add", "lan", "--role", "admin", "--unit", "QH"], PASSWORD, "an admin belongs to no unit: leave out --unit"),
        (["add", "lan", "--role", "leader"], "ngắn", "the password must have at least 10 characters"),
        (["add", "Lan Anh", "--role", "leader"], PASSWORD, "a user name is 3-64 characters"),
        (["disable", "nobody"], "", "no staff account with that user name"),
        (["password", "nobody"], PASSWORD, "no staff account with that user name"),
    ],
)  # fmt: skip
def test_refusals_are_one_clear_line_and_exit_2(
    settings: Settings,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    code, out, err = run(settings, capsys, "staff", *argv, "--password-stdin" if argv[0] != "disable" else "--", stdin=stdin)  # fmt: skip
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    with session_scope(settings.database_url) as session:
        assert list(session.scalars(select(AuditEntry))) == []


def test_typed_passwords_must_match(
    settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    typed = iter([PASSWORD, PASSWORD + "x", PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    argv = ("staff", "add", "lan", "--role", "leader", "--unit", "QH")
    assert run(settings, capsys, *argv) == (2, "", "error: the two passwords differ\n")
    assert run(settings, capsys, *argv)[0] == 0


def test_the_installed_command_reads_stdin_and_exits_2(tmp_path: Path) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/staff.db",
        "VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    argv = [
        sys.executable,
        "-m",
        "bot",
        "staff",
        "add",
        "lan",
        "--role",
        "officer",
        "--password-stdin",
    ]
    result = subprocess.run(
        argv, input=PASSWORD + "\n", capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 2 and result.stdout == ""
    assert (
        result.stderr.strip().splitlines()[-1].startswith("error: an officer belongs to one unit")
    )

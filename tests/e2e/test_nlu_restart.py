"""The Rasa server is kept up: a crash is answered politely, then it is started again.
Its auth token never appears on a command line."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import texts
from tests.e2e.stack import Citizen, Stack

QUESTION = "lam giay khai sinh cho con can gi"


@pytest.fixture(scope="module")
def restart_stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with Stack(workdir=tmp_path_factory.mktemp("restart-nlu")).running() as running:
        yield running


def test_the_token_is_not_on_the_rasa_command_line(restart_stack: Stack) -> None:
    found = restart_stack.rasa_command_line()
    assert found is not None, "no Rasa server process found"
    pid, argv = found
    token = (restart_stack.workdir / "var" / "rasa-token").read_text(encoding="utf-8").strip()
    assert len(token) >= 24
    assert "--auth-token" not in argv
    assert not any(token in arg for arg in argv)
    assert token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes()


def test_a_crashed_rasa_server_is_started_again(restart_stack: Stack) -> None:
    citizen = Citizen(restart_stack, chat_id=5001)
    citizen.send(QUESTION)
    [before] = citizen.replies(timeout=30)
    assert "ĐĂNG KÝ KHAI SINH" in before["text"]

    found = restart_stack.rasa_command_line()
    assert found is not None
    old_pid = found[0]
    os.kill(old_pid, signal.SIGKILL)

    citizen.send(QUESTION)
    [during] = citizen.replies(timeout=10)
    assert during["text"] == texts.NLU_DOWN

    deadline = time.monotonic() + 120
    while "Rasa NLU server ready again" not in restart_stack.log():
        assert time.monotonic() < deadline, restart_stack.log()[-3000:]
        time.sleep(0.5)
    restarted = restart_stack.rasa_command_line()
    assert restarted is not None and restarted[0] != old_pid
    assert "The Rasa NLU server exited (exit code -9)" in restart_stack.log()

    citizen.send(QUESTION)
    [after] = citizen.replies(timeout=30)
    assert "ĐĂNG KÝ KHAI SINH" in after["text"]


def test_rasa_stops_when_the_bot_process_is_killed(restart_stack: Stack) -> None:
    """Last in this module: it kills the stack. No Rasa server may be left orphaned."""
    assert restart_stack.rasa_command_line() is not None
    assert restart_stack.process is not None
    restart_stack.process.send_signal(signal.SIGKILL)
    restart_stack.process.wait(10)
    deadline = time.monotonic() + 30
    while restart_stack.rasa_command_line() is not None:
        assert time.monotonic() < deadline, "the Rasa server outlived the killed bot process"
        time.sleep(0.2)

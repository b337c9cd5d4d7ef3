"""Ctrl-C on `tiepdan run` stops the bot, the Rasa server and the sandbox, leaving nothing behind."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import Citizen, Stack


def test_ctrl_c_stops_everything_cleanly(trained_model: Path, tmp_path: Path) -> None:
    stack = Stack(workdir=tmp_path)
    stack.start()
    try:
        citizen = Citizen(stack, chat_id=4001)
        citizen.send("xin chào")
        assert citizen.replies()
    finally:
        code = stack.stop()
    assert code == 0
    log = stack.log()
    assert "Stopped." in log and "Traceback" not in log
    for port in (stack.sandbox_port, stack.rasa_port):
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"http://127.0.0.1:{port}/", timeout=2)

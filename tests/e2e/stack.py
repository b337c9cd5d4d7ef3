"""A running `tiepdan run` process and a simulated citizen talking to it over the sandbox."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import httpx

from bot.settings import get_settings

TIEPDAN = str(Path(sys.executable).parent / "tiepdan")


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A TCP port nobody listens on right now, never the same one twice in a test run
    (so a stack's sandbox and Rasa ports always differ)."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port: int = sock.getsockname()[1]
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


@dataclass
class Stack:
    """One `tiepdan run` process with its own sandbox port, Rasa port and database."""

    workdir: Path
    args: list[str] = field(default_factory=list)
    env_overrides: dict[str, str] = field(default_factory=dict)
    sandbox_port: int = field(default_factory=free_port)
    rasa_port: int = field(default_factory=free_port)
    console_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    _log_file: BinaryIO | None = None

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.sandbox_port}/sandbox/api"

    @property
    def console(self) -> str:
        """Base URL of this stack's staff console."""
        return f"http://127.0.0.1:{self.console_port}"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.workdir / 'tiepdan.db'}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "tiepdan.log"

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_"))}
        return {
            **keep,
            "SANDBOX_PORT": str(self.sandbox_port),
            "CONSOLE_PORT": str(self.console_port),
            "RASA_URL": f"http://127.0.0.1:{self.rasa_port}",
            "DATABASE_URL": self.database_url,
            "VAR_DIR": str(self.workdir / "var"),
            "MODELS_DIR": str(get_settings().models_dir),
            "CHAT_MESSAGES_PER_MINUTE": "10000",  # tests type faster than any citizen
            **self.env_overrides,
        }

    def start(self, ready_timeout: float = 300.0) -> None:
        """Start `tiepdan run` and wait until the bot polls the sandbox."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [TIEPDAN, "run", *self.args],
            env=self.env(),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"tiepdan run exited early:\n{self.log()}")
            try:
                status = httpx.get(f"{self.api}/status", timeout=2).json()
                if status.get("polling") and "tiepdan is running" in self.log():
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"tiepdan run was not ready in {ready_timeout} s:\n{self.log()}")

    @contextlib.contextmanager
    def running(self, ready_timeout: float = 300.0) -> Iterator[Stack]:
        """Start, yield, and stop on the way out (also when the start failed)."""
        try:
            self.start(ready_timeout)
            yield self
        finally:
            self.stop()

    def stop(self, timeout: float = 60.0) -> int:
        """Send SIGINT like Ctrl-C and return the exit code."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        return self.process.returncode

    def rasa_command_line(self) -> tuple[int, list[str]] | None:
        """The pid and command line of the Rasa server serving this stack, if one runs."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                argv = (entry / "cmdline").read_bytes().decode().split("\0")
            except OSError:
                continue
            if "nlu.rasa_serve" in argv and str(self.rasa_port) in argv:
                return int(entry.name), argv
        return None

    def log(self) -> str:
        return (
            self.log_path.read_text(encoding="utf-8", errors="replace")
            if self.log_path.exists()
            else ""
        )


@contextlib.contextmanager
def sandbox_process(stack: Stack, ready_timeout: float = 60.0) -> Iterator[subprocess.Popen[bytes]]:
    """`tiepdan sandbox` on the stack's sandbox port, as a process of its own (so what
    reached it outlives a bot that is killed), until the block ends."""
    process = subprocess.Popen(
        [TIEPDAN, "sandbox"],
        env=stack.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + ready_timeout
        while not _answers(f"{stack.api}/status"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not start")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        process.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


class Citizen:
    """A citizen in one sandbox chat, driven through the control API."""

    def __init__(
        self, stack: Stack, chat_id: int, first_name: str = "Lan", wait: float = 20.0
    ) -> None:
        self.api = stack.api
        self.chat_id = chat_id
        self.first_name = first_name
        self.seen = 0
        self.wait = wait  # seconds `replies` waits unless told otherwise

    def send(self, text: str) -> dict[str, Any]:
        """Send a text as the citizen."""
        body = {"chat_id": self.chat_id, "text": text, "first_name": self.first_name}
        return self._post("send", body)

    def click(self, message_id: int, data: str) -> dict[str, Any]:
        """Press an inline button."""
        return self._post(
            "click", {"chat_id": self.chat_id, "message_id": message_id, "data": data}
        )

    def post(self, kind: str, **body: Any) -> dict[str, Any]:
        """Send another input (sticker, voice, photo …)."""
        return self._post(kind, {"chat_id": self.chat_id, **body})

    def replies(self, count: int = 1, timeout: float | None = None) -> list[dict[str, Any]]:
        """Wait for `count` new bot messages in this chat (`wait` s unless `timeout`) and
        return them."""
        deadline = time.monotonic() + (self.wait if timeout is None else timeout)
        while True:
            messages = httpx.get(
                f"{self.api}/messages", params={"chat_id": self.chat_id, "after": self.seen}
            ).json()
            if len(messages) >= count:
                self.seen = max(m["message_id"] for m in messages)
                return list(messages)
            if time.monotonic() > deadline:
                raise TimeoutError(f"expected {count} replies, got {messages}")
            time.sleep(0.02)

    def message(self, message_id: int) -> dict[str, Any]:
        """The bot's message `message_id` as it is now (edits applied)."""
        messages = httpx.get(
            f"{self.api}/messages", params={"chat_id": self.chat_id, "after": message_id - 1}
        ).json()
        found: dict[str, Any] = next(m for m in messages if m["message_id"] == message_id)
        return found

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = httpx.post(f"{self.api}/{path}", json=body, timeout=10)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result


def buttons(message: dict[str, Any]) -> dict[str, str]:
    """Callback data by button text of a message's inline keyboard."""
    markup = message.get("reply_markup") or {}
    return {b["text"]: b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row}

"""The processes `tiepdan bench load` measures: the sandbox and the bot each in a process
of their own, a Rasa server (the one at RASA_URL when it answers, else one started here)
and a fresh database; all stopped and removed on the way out, also on error or Ctrl-C."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.server import RasaServer
from nlu.supervisor import START_TIMEOUT
from nlu.switch import free_port

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 30.0
# Simulated citizens ask far faster than a person: the flood guard must not answer them.
FLOOD_LIMIT = "1000000"


@dataclass(frozen=True)
class LoadStack:
    """Where the measured processes are."""

    sandbox_url: str
    sandbox_pid: int
    bot_pid: int
    rasa_url: str
    rasa_token: str
    rasa_started: bool
    database: str  # the dialect: sqlite or postgresql


def child_env(settings: Settings, **values: str) -> dict[str, str]:
    """The environment of the sandbox and bot processes: sandbox mode whatever .env says,
    everything else as for this process, `values` on top (NAME=value)."""
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_"))}
    return {
        **keep,
        "TELEGRAM_BOT_TOKEN": "",
        "TELEGRAM_API_BASE_URL": "",
        "MODELS_DIR": str(settings.models_dir),
        "CHAT_MESSAGES_PER_MINUTE": FLOOD_LIMIT,
        **values,
    }


@contextlib.contextmanager
def bench_database(database_url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh database: a temporary one on the PostgreSQL server of `database_url`
    (dropped afterwards), `database_url` itself for another kind, else a new SQLite file."""
    if database_url is None:
        yield f"sqlite:///{workdir / 'tiepdan.db'}"
    elif make_url(database_url).get_backend_name() == "postgresql":
        from bot.console_bench import temporary_database

        with temporary_database(database_url) as url:
            yield url
    else:
        yield database_url


def _ready(url: str, token: str) -> bool:
    try:
        response = httpx.get(f"{url}/status", params={"token": token}, timeout=2)
        return response.status_code == 200 and bool(response.json().get("model_file"))
    except (httpx.HTTPError, ValueError):
        return False


@contextlib.contextmanager
def rasa(settings: Settings, database_url: str, workdir: Path) -> Iterator[tuple[str, str, bool]]:
    """(url, token, started here): the server at RASA_URL if it answers; else one started on
    a free port with the model of the repository's data (what the fresh database holds)."""
    token = rasa_token(settings)
    if _ready(settings.rasa_url.rstrip("/"), token):
        yield settings.rasa_url.rstrip("/"), token, False
        return
    from nlu.train import train

    own = settings.model_copy(
        update={
            "database_url": database_url,
            "var_dir": workdir / "var",
            "rasa_url": f"http://127.0.0.1:{free_port()}",
            "rasa_token": SecretStr(token),
        }
    )
    server = RasaServer.for_model(own, train(own))
    print(f"Starting a Rasa server at {server.url} (about 20 s)…", file=sys.stderr, flush=True)
    server.start()
    try:
        assert server.url is not None
        _until(lambda: _ready(own.rasa_url, token), START_TIMEOUT, "Rasa", server.log_tail)
        yield own.rasa_url, token, True
    finally:
        server.stop()


def _until(check: Callable[[], bool], timeout: float, what: str, tail: Callable[[], str]) -> None:
    """Wait until `check()`; after `timeout` seconds fail, quoting `tail()` (a log)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not ready in {timeout:.0f} s:\n{tail()}")
        time.sleep(0.2)


@contextlib.contextmanager
def child(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child process logging to `log`, stopped like Ctrl-C (then killed) on the way out."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes], timeout: float = STOP_TIMEOUT) -> None:
    """SIGINT, then SIGKILL if it has not exited within `timeout` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def tail(log: Path, lines: int = 40) -> str:
    """The end of a child's log, to explain a failed start."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return "\n".join(text.splitlines()[-lines:])


def _polling(api: str, process: subprocess.Popen[bytes], log: Path) -> bool:
    if process.poll() is not None:
        raise RuntimeError(f"the bot exited (code {process.returncode}):\n{tail(log)}")
    try:
        return bool(httpx.get(f"{api}/status", timeout=2).json().get("polling"))
    except (httpx.HTTPError, ValueError):
        return False


@contextlib.contextmanager
def load_stack(
    settings: Settings, *, database_url: str | None = None, profile: Path | None = None
) -> Iterator[LoadStack]:
    """Start everything, yield once the bot polls the sandbox and Rasa answers, stop it all.
    With `profile`, the bot runs under pyinstrument and its session is saved there."""
    with contextlib.ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="tiepdan-load-")))
        url = stack.enter_context(bench_database(database_url, workdir))
        rasa_url, token, started = stack.enter_context(rasa(settings, url, workdir))
        port = free_port()
        env = child_env(
            settings,
            SANDBOX_HOST="127.0.0.1",
            SANDBOX_PORT=str(port),
            DATABASE_URL=url,
            VAR_DIR=str(workdir / "var"),
            RASA_URL=rasa_url,
            RASA_TOKEN=token,
        )
        python = [sys.executable, "-m"]
        sandbox = stack.enter_context(
            child([*python, "bot", "sandbox", "--port", str(port)], env, workdir / "sandbox.log")
        )
        api = f"http://127.0.0.1:{port}/sandbox/api"
        _until(
            lambda: _answers(api),
            READY_TIMEOUT,
            "the sandbox",
            lambda: tail(workdir / "sandbox.log"),
        )
        bot_command = ["bot.bench_load_profile", str(profile), "bot"] if profile else ["bot", "bot"]
        bot_log = workdir / "bot.log"
        bot = stack.enter_context(child([*python, *bot_command], env, bot_log))
        _until(lambda: _polling(api, bot, bot_log), READY_TIMEOUT, "the bot", lambda: tail(bot_log))
        yield LoadStack(
            sandbox_url=f"http://127.0.0.1:{port}",
            sandbox_pid=sandbox.pid,
            bot_pid=bot.pid,
            rasa_url=rasa_url,
            rasa_token=token,
            rasa_started=started,
            database=make_url(url).get_backend_name(),
        )


def _answers(api: str) -> bool:
    try:
        return httpx.get(f"{api}/status", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False

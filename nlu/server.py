"""Running the Rasa NLU server as a child process that never outlives its parent."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.rasa_serve import PARENT_VARIABLE, TOKEN_VARIABLE
from nlu.train import rasa_env, rasa_python

log = logging.getLogger(__name__)

# A start finds a longer log than this moved to `<log>.1` (replacing the older one).
LOG_ROTATE_BYTES = 5 * 1024 * 1024


def serve_command(settings: Settings, model: Path, *, port: int | None = None) -> list[str]:
    """The command line serving `model` at RASA_URL (or on `port` of its host); the token
    travels in `serve_env`."""
    url = urlsplit(settings.rasa_url)
    return [
        str(rasa_python(settings)), "-m", "nlu.rasa_serve", "run",
        "--enable-api",
        "--model", str(model),
        "--interface", url.hostname or "127.0.0.1",
        "--port", str(port or url.port or 5005),
    ]  # fmt: skip


def server_url(settings: Settings, port: int | None = None) -> str:
    """RASA_URL, or the same host on `port`."""
    if port is None:
        return settings.rasa_url.rstrip("/")
    return f"http://{urlsplit(settings.rasa_url).hostname or '127.0.0.1'}:{port}"


def serve_env(settings: Settings) -> dict[str, str]:
    """The Rasa environment plus the auth token, which `nlu.rasa_serve` hands to Rasa."""
    return {**rasa_env(), TOKEN_VARIABLE: rasa_token(settings)}


class RasaServer:
    """A Rasa server child process in its own process group."""

    def __init__(
        self,
        command: list[str],
        *,
        env: dict[str, str],
        workdir: Path,
        log_path: Path | None = None,
        rotate_bytes: int = LOG_ROTATE_BYTES,
        url: str | None = None,
        model: Path | None = None,
    ) -> None:
        self.url = url
        self.model = model
        self._command = command
        self._rotate_bytes = rotate_bytes
        self._env = env
        self._workdir = workdir
        self._log_path = log_path
        self._log_file: IO[bytes] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (it takes ~20 s before it answers); again after it exited."""
        self._workdir.mkdir(parents=True, exist_ok=True)
        self._close_log()
        if self._log_path is not None:
            self._log_path.parent.mkdir(parents=True, exist_ok=True)
            if self._log_path.exists() and self._log_path.stat().st_size > self._rotate_bytes:
                self._log_path.replace(self._log_path.with_name(self._log_path.name + ".1"))
            self._log_file = self._log_path.open("ab")
        self._process = subprocess.Popen(
            self._command,
            cwd=self._workdir,
            env=self._env,
            stdout=self._log_file or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 30) -> str:
        """The last `lines` lines Rasa wrote, to explain a failed start."""
        if self._log_path is None or not self._log_path.exists():
            return ""
        text = self._log_path.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    @classmethod
    def for_model(
        cls,
        settings: Settings,
        model: Path,
        *,
        port: int | None = None,
        log_name: str = "rasa.log",
    ) -> RasaServer:
        """`rasa run` serving `model` at RASA_URL (or on `port`), logging to
        var/log/`log_name`, and stopping by itself if this process dies."""
        return cls(
            serve_command(settings, model, port=port),
            env={**serve_env(settings), PARENT_VARIABLE: str(os.getpid())},
            workdir=settings.var_dir,
            log_path=settings.var_dir / "log" / log_name,
            url=server_url(settings, port),
            model=model,
        )

    @property
    def log_path(self) -> Path | None:
        """Where the server's output goes."""
        return self._log_path

    @property
    def pid(self) -> int | None:
        """The child's process id (also its process group's), once started."""
        return None if self._process is None else self._process.pid

    @property
    def running(self) -> bool:
        """True while the child is alive."""
        return self._process is not None and self._process.poll() is None

    @property
    def exit_code(self) -> int | None:
        """The child's exit code once it has exited (negative: killed by that signal)."""
        return None if self._process is None else self._process.poll()

    def stop(self, timeout: float = 15.0) -> None:
        """Terminate the whole process group, killing it if it does not exit in time."""
        process = self._process
        if process is not None and process.poll() is None:
            self._terminate(process, timeout)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def _terminate(self, process: subprocess.Popen[bytes], timeout: float) -> None:
        """SIGTERM the group, then SIGKILL it after `timeout` seconds."""
        _signal_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if process.poll() is None:
            log.warning("Rasa did not stop in %.0f s; killing it", timeout)
            _signal_group(process.pid, signal.SIGKILL)
            process.wait()


def _signal_group(pid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, sig)

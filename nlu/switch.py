"""Switching the served NLU model with no downtime (blue-green).

Rasa's own `PUT /model` blocks a server for ~11 s, so a switch starts a second Rasa
server on the new model on a free loopback port (same token), waits until it answers a
parse, moves the bot's NLU client to it (parses in flight finish on the old server),
hands it to the supervisor, and only then stops the old server. When the new server
dies or never answers, it is stopped and the old one keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.client import NluClient, NluUnavailable
from nlu.server import RasaServer
from nlu.supervisor import START_TIMEOUT, RasaSupervisor

log = logging.getLogger(__name__)

# The two log files servers alternate between, so that a candidate never writes into
# the log of the server it replaces.
LOG_NAMES = ("rasa.log", "rasa-b.log")
# The file that tells other processes (tiepdan ask, bench) which server answers now.
URL_FILE = "rasa-url"
PROBE_TEXT = "xin chao"

MakeServer = Callable[[Path, str], RasaServer]
Probe = Callable[[str], Awaitable[bool]]


class SwitchFailed(Exception):
    """The new model could not be served; the old one still is."""


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def candidate_server(settings: Settings) -> MakeServer:
    """Servers for `settings` on a free port of RASA_URL's host."""

    def make(model: Path, log_name: str) -> RasaServer:
        host = urlsplit(settings.rasa_url).hostname or "127.0.0.1"
        return RasaServer.for_model(settings, model, port=free_port(host), log_name=log_name)

    return make


def parse_probe(settings: Settings, timeout: float = 5.0) -> Probe:
    """True when the server at a URL has a model loaded and answers a parse."""

    async def probe(url: str) -> bool:
        client = NluClient(base_url=url, token=rasa_token(settings), timeout=timeout)
        try:
            if not await client.ready():
                return False
            await client.parse(PROBE_TEXT)
            return True
        except NluUnavailable:
            return False
        finally:
            await client.aclose()

    return probe


def publish_url(var_dir: Path, url: str | None) -> None:
    """Record (or, with None, forget) the URL of the server answering now."""
    path = var_dir / URL_FILE
    if url is None:
        path.unlink(missing_ok=True)
        return
    var_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(url + "\n", encoding="utf-8")
    tmp.replace(path)


def serving_url(settings: Settings) -> str:
    """The URL of the server a running `tiepdan run` uses now (RASA_URL when unknown)."""
    path = settings.var_dir / URL_FILE
    if path.exists():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text
    return settings.rasa_url.rstrip("/")


class ModelSwitch:
    """Moves the bot from the supervised server to a new one serving another model."""

    def __init__(
        self,
        supervisor: RasaSupervisor,
        client: NluClient,
        *,
        make_server: MakeServer,
        probe: Probe,
        start_timeout: float = START_TIMEOUT,
        poll_interval: float = 0.25,
        on_switched: Callable[[str], None] | None = None,
    ) -> None:
        self._supervisor = supervisor
        self._client = client
        self._make = make_server
        self._probe = probe
        self._start_timeout = start_timeout
        self._poll = poll_interval
        self._on_switched = on_switched
        self._lock = asyncio.Lock()

    @property
    def model(self) -> Path | None:
        """The model served now."""
        return self._supervisor.server.model

    async def switch(self, model: Path) -> None:
        """Serve `model` instead of the current one, or raise SwitchFailed and leave the
        current one serving. Cancelled, it stops the new server and changes nothing."""
        async with self._lock:
            current = self._supervisor.server
            candidate = self._make(model, _other_log(current))
            log.info("Starting a second Rasa server on %s at %s", model.name, candidate.url)
            started = time.monotonic()
            candidate.start()
            try:
                await self._until_answering(candidate)
                await self._hand_over(current, candidate)
            except BaseException:
                await asyncio.to_thread(candidate.stop)
                raise
            log.info(
                "NLU model switched to %s (%.0f s after its server started)",
                model.name,
                time.monotonic() - started,
            )

    async def _until_answering(self, candidate: RasaServer) -> None:
        assert candidate.url is not None
        deadline = time.monotonic() + self._start_timeout
        while time.monotonic() < deadline:
            if not candidate.running:
                raise SwitchFailed(_exited(candidate, "while loading the model"))
            if await self._probe(candidate.url):
                return
            await asyncio.sleep(self._poll)
        raise SwitchFailed(f"the new Rasa server did not answer in {self._start_timeout:.0f} s")

    async def _hand_over(self, current: RasaServer, candidate: RasaServer) -> None:
        """Point the client and the supervisor at the candidate, then stop the current one;
        back to the current one if the candidate died meanwhile."""
        assert candidate.url is not None
        previous = self._supervisor.replace(candidate)
        await self._client.switch_to(candidate.url)
        if not candidate.running:
            self._supervisor.replace(previous)
            if previous.url is not None:
                await self._client.switch_to(previous.url)
            raise SwitchFailed(_exited(candidate, "during the switch"))
        if self._on_switched is not None:
            self._on_switched(candidate.url)
        await asyncio.to_thread(current.stop)


def _other_log(current: RasaServer) -> str:
    """The log name the current server does not use."""
    in_use = current.log_path.name if current.log_path is not None else None
    return LOG_NAMES[1] if in_use == LOG_NAMES[0] else LOG_NAMES[0]


def _exited(server: RasaServer, when: str) -> str:
    code = server.exit_code
    state = f"exited (exit code {code})" if code is not None else "stopped answering"
    tail = server.log_tail(10)
    return f"the new Rasa server {state} {when}" + (
        f"; the end of its log:\n{tail}" if tail else ""
    )

"""The HTTP client of the Rasa NLU server (`POST /model/parse`)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from bot.ops.metrics import nlu_observed
from nlu.normalize import model_text

log = logging.getLogger(__name__)
# Parses sent to the server at once (RASA_PARALLEL): one Rasa process parses one text at a
# time, so more in flight only queue there, and every extra connection makes each request
# dearer (httpcore looks at each pooled connection for every request it places).
PARALLEL = 8
# A request that met a connection the server had closed (a kept-open one, as it reached
# its idle limit): no answer came, and the next try opens a new connection.
DROPPED = (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)


@dataclass(frozen=True)
class IntentScore:
    """One intent and its confidence."""

    name: str
    confidence: float


@dataclass(frozen=True)
class ParseResult:
    """What the NLU made of one text."""

    text: str
    normalized_text: str
    intent: str | None
    confidence: float
    ranking: tuple[IntentScore, ...]
    # The off-topic check's score (nlu/offtopic.py; above 0: off-topic), None from a model
    # without the check.
    off_topic: float | None = None

    @classmethod
    def from_rasa(cls, text: str, normalized: str, body: dict[str, Any]) -> ParseResult:
        """Build from Rasa's `/model/parse` JSON."""
        intent = body.get("intent") or {}
        off_topic = body.get("off_topic")
        ranking = tuple(
            IntentScore(name=str(item["name"]), confidence=float(item["confidence"]))
            for item in body.get("intent_ranking") or []
        )
        return cls(
            text=text,
            normalized_text=normalized,
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            ranking=ranking,
            off_topic=None if off_topic is None else float(off_topic),
        )


class NluUnavailable(Exception):
    """The NLU server did not give an answer in time."""


class _Endpoint:
    """One server's connection pool and the parses in flight on it."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.in_flight = 0
        self.idle = asyncio.Event()
        self.idle.set()

    @contextlib.contextmanager
    def call(self) -> Iterator[httpx.AsyncClient]:
        self.in_flight += 1
        self.idle.clear()
        try:
            yield self.http
        finally:
            self.in_flight -= 1
            if self.in_flight == 0:
                self.idle.set()


class NluClient:
    """Parses citizens' texts with a Rasa server; logs an outage once, not per call.

    `switch_to` moves it to another server while parses are in flight: those finish on
    the old server, every later one goes to the new one.
    """

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: float = 1.5,
        parallel: int = PARALLEL,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._timeout = timeout
        self._parallel = parallel
        # The parses beyond `parallel` wait here, within the same timeout.
        self._turns = asyncio.Semaphore(parallel)
        self._transport = transport
        self._endpoint = _Endpoint(self._new_http(base_url))
        self._down_since: float | None = None

    def _new_http(self, base_url: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            # One limit for every phase, connecting included: a shorter connect limit fails
            # a parse whose connection was made while this process's loop was busy for a
            # moment (the timer fires before the loop sees the connection), and a server
            # that is down refuses at once anyway. `parse` bounds the whole call.
            timeout=httpx.Timeout(self._timeout),
            # A kept-open connection for each parse in flight: none opened and closed per parse.
            limits=httpx.Limits(
                max_connections=self._parallel, max_keepalive_connections=self._parallel
            ),
            transport=self._transport,
        )

    @property
    def base_url(self) -> str:
        """The server new parses go to."""
        return str(self._endpoint.http.base_url).rstrip("/")

    async def switch_to(self, base_url: str) -> None:
        """Send every later parse to `base_url`; return once the parses still in flight on
        the previous server have finished (each within the timeout), its pool closed."""
        old, self._endpoint = self._endpoint, _Endpoint(self._new_http(base_url))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(old.idle.wait(), timeout=self._timeout + 1.0)
        await old.http.aclose()

    @property
    def healthy(self) -> bool:
        """False while the last call failed."""
        return self._down_since is None

    async def parse(self, text: str) -> ParseResult:
        """Normalise `text` and ask the server for its intent."""
        normalized = model_text(text)
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout), self._turns:
                response = await self._post_parse(normalized)
            response.raise_for_status()
            result = ParseResult.from_rasa(text, normalized, response.json())
        except (httpx.HTTPError, TimeoutError, ValueError, KeyError, TypeError) as exc:
            self._mark_down(exc)
            nlu_observed(started, exc)
            raise NluUnavailable(_describe(exc)) from exc
        nlu_observed(started)
        self._mark_up()
        return result

    async def _post_parse(self, normalized: str) -> httpx.Response:
        """POST the text; once more on a fresh connection if a kept-open one turns out to
        have been closed by the server (a parse changes nothing, so asking twice is safe)."""
        with self._endpoint.call() as http:
            try:
                return await self._post(http, normalized)
            except DROPPED:
                return await self._post(http, normalized)

    async def _post(self, http: httpx.AsyncClient, normalized: str) -> httpx.Response:
        return await http.post(
            "/model/parse", params={"token": self._token}, json={"text": normalized}
        )

    async def ready(self) -> bool:
        """True when the server answers `/status` with a loaded model."""
        try:
            with self._endpoint.call() as http:
                response = await http.get("/status", params={"token": self._token})
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._endpoint.http.aclose()

    def _mark_down(self, exc: Exception) -> None:
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.error(
                "NLU server unavailable (%s); citizens get the fallback reply", _describe(exc)
            )

    def _mark_up(self) -> None:
        if self._down_since is not None:
            log.info("NLU server back after %.0f s", time.monotonic() - self._down_since)
            self._down_since = None


def _describe(exc: Exception) -> str:
    """A short description of a failure that never contains the URL (and so the token)."""
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    return type(exc).__name__

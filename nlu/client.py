"""The HTTP client of the Rasa NLU server (`POST /model/parse`)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

from nlu.normalize import model_text

log = logging.getLogger(__name__)


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

    @classmethod
    def from_rasa(cls, text: str, normalized: str, body: dict[str, Any]) -> ParseResult:
        """Build from Rasa's `/model/parse` JSON."""
        intent = body.get("intent") or {}
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
        )


class NluUnavailable(Exception):
    """The NLU server did not give an answer in time."""


class NluClient:
    """Parses citizens' texts with a Rasa server; logs an outage once, not per call."""

    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        timeout: float = 1.5,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._timeout = timeout
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=min(0.5, timeout)),
            transport=transport,
        )
        self._down_since: float | None = None

    @property
    def healthy(self) -> bool:
        """False while the last call failed."""
        return self._down_since is None

    async def parse(self, text: str) -> ParseResult:
        """Normalise `text` and ask the server for its intent."""
        normalized = model_text(text)
        try:
            response = await self._http.post(
                "/model/parse", params={"token": self._token}, json={"text": normalized}
            )
            response.raise_for_status()
            result = ParseResult.from_rasa(text, normalized, response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            self._mark_down(exc)
            raise NluUnavailable(_describe(exc)) from exc
        self._mark_up()
        return result

    async def ready(self) -> bool:
        """True when the server answers `/status` with a loaded model."""
        try:
            response = await self._http.get("/status", params={"token": self._token})
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

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

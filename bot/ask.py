"""`tiepdan ask`: what the bot would do with citizens' texts, without Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from bot.answering.context import subject_after
from bot.answering.service import Decision, decide, thresholds_from
from bot.db import session_scope
from bot.settings import Settings
from nlu.auth_token import rasa_token
from nlu.client import NluClient, NluUnavailable
from nlu.switch import serving_url


class NluNotRunning(Exception):
    """No NLU server answers at RASA_URL."""


def decision_json(decision: Decision) -> dict[str, Any]:
    """The `tiepdan ask` JSON object for one decision."""
    return {
        "text": decision.text,
        "intent": decision.intent,
        "confidence": round(decision.confidence, 4),
        "action": decision.action.value,
        "reply": decision.reply,
        "suggestions": [asdict(s) for s in decision.suggestions],
        "aspect": decision.aspect,
        "followup": decision.followup,
    }


def ask_many(
    settings: Settings,
    texts: Sequence[str],
    *,
    previous: str | None = None,
    conversation: bool = False,
) -> list[dict[str, Any]]:
    """Parse and decide every text with the running NLU server. `previous` is the
    procedure the first text follows up; with `conversation` the texts are one chat's
    turns, each following up what the conversation is about as the bot keeps it (set by
    an answer, kept by small talk); without it every text is asked on its own with
    `previous`."""
    return asyncio.run(_ask_many(settings, texts, previous, conversation))


def nlu_client(settings: Settings, *, timeout: float = 10.0) -> NluClient:
    """A client of the running NLU server (the one serving the active model after a switch),
    patient enough for a one-off question."""
    return NluClient(
        base_url=serving_url(settings),
        token=rasa_token(settings),
        timeout=max(settings.rasa_timeout, timeout),
    )


async def _ask_many(
    settings: Settings, texts: Sequence[str], previous: str | None, conversation: bool
) -> list[dict[str, Any]]:
    client = nlu_client(settings)
    thresholds = thresholds_from(settings)
    results = []
    try:
        for text in texts:
            try:
                parse = await client.parse(text)
            except NluUnavailable as exc:
                raise NluNotRunning(
                    f"no NLU server answers at {client.base_url} ({exc}). Start everything with "
                    "`make run`, or only Rasa with `tiepdan nlu serve`; set RASA_URL and "
                    "RASA_TOKEN if it runs elsewhere."
                ) from exc
            with session_scope(settings.database_url) as session:
                decision = decide(
                    session=session,
                    text=text,
                    parse=parse,
                    thresholds=thresholds,
                    previous=previous,
                )
            results.append(decision_json(decision))
            if conversation:
                previous = subject_after(decision.action.value, decision.intent, previous)
    finally:
        await client.aclose()
    return results

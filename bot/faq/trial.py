""" "Thử câu hỏi": what the bot would do with a text, with the active model (through the
running NLU server, as the bot asks it) and with the candidate model (no server runs it:
a one-shot prediction in the Rasa venv, see bot/faq/candidate.py).

The decision and the reply come from the same code the bot runs (bot.answering.service
and handlers.question), so the page shows exactly the message and buttons a citizen gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from bot.answering.service import (
    Action,
    Decision,
    Thresholds,
    decide,
    held_by_gate,
    looks_off_topic,
    passes_rules,
)
from bot.ask import nlu_client
from bot.faq.review import Ranked, intent_titles
from bot.faq.topics import list_topics
from bot.settings import Settings
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.texts import review as texts
from bot.training.models import TrainedModel
from bot.training.service import active_model, candidate_model
from handlers import keyboards
from handlers.question import answer_parts, answer_topic, decision_markup
from nlu.client import NluUnavailable, ParseResult

MAX_TEXT = 500
TOP_RANKED = 5
# The page waits this long for the NLU server (the bot itself waits settings.rasa_timeout).
NLU_WAIT = 5.0


class TrialProblem(ValueError):
    """The text cannot be tried; `message` says why, in Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class GateHold:
    """The answer gate's probability that the answer was right, under its threshold."""

    probability: float
    threshold: float


@dataclass(frozen=True)
class Trial:
    """What one model made of a text, and what the bot would send."""

    ranking: list[Ranked]
    decision: Decision
    buttons: list[list[str]]
    nlu_down: bool = False
    # The off-topic check held back an answer the classifier was sure of (`looks_off_topic`).
    off_topic: bool = False
    # The answer gate held back an answer the other rules would give.
    gated: GateHold | None = None

    @property
    def shows_cases(self) -> bool:
        """True when the bot answers with the citizen's own cases instead of `reply`."""
        return self.decision.action is Action.STATUS


@dataclass(frozen=True)
class ModelInfo:
    """A model's version and its file."""

    version: str
    path: Path | None


@dataclass(frozen=True)
class Models:
    """The active model and the candidate one, when there are."""

    active: ModelInfo | None
    candidate: ModelInfo | None = None


def check_text(text: str) -> str:
    """The text to try, trimmed; raises TrialProblem when empty or too long."""
    text = text.strip()
    if not text:
        raise TrialProblem(texts.TRY_EMPTY)
    if len(text) > MAX_TEXT:
        raise TrialProblem(texts.TRY_TOO_LONG.format(limit=MAX_TEXT))
    return text


def models(*, session: Session, actor: Actor) -> Models:
    """The versions to compare (admins only)."""
    require_admin(actor)
    active, candidate = active_model(session=session), candidate_model(session=session)
    return Models(_info(active), _info(candidate))


def _info(row: TrainedModel | None) -> ModelInfo | None:
    if row is None:
        return None
    return ModelInfo(row.version, Path(row.path) if row.path else None)


async def parse_active(settings: Settings, text: str) -> ParseResult | None:
    """The running NLU server's parse of `text`, or None when it does not answer."""
    client = nlu_client(settings, timeout=NLU_WAIT)
    try:
        return await client.parse(text)
    except NluUnavailable:
        return None
    finally:
        await client.aclose()


def try_text(
    *,
    session: Session,
    actor: Actor,
    text: str,
    parse: ParseResult | None,
    thresholds: Thresholds,
) -> Trial:
    """The bot's decision on `text` given a model's `parse` (None: the NLU is down),
    the reply's buttons by row, and the model's top intents with their titles."""
    require_admin(actor)
    decision = decide(session=session, text=text, parse=parse, thresholds=thresholds)
    markup = decision_markup(
        decision, None, answer_topic(session, decision), answer_parts(session, decision)
    )
    if markup is None:
        markup = keyboards.main_menu((t.id, t.title) for t in list_topics(session=session))
    buttons = [[button.text for button in row] for row in markup.inline_keyboard]
    scores = parse.ranking[:TOP_RANKED] if parse is not None else ()
    titles = intent_titles(session=session, intents=[s.name for s in scores])
    ranking = [Ranked(s.name, titles.get(s.name, s.name), s.confidence) for s in scores]
    return Trial(
        ranking,
        decision,
        buttons,
        nlu_down=parse is None,
        off_topic=parse is not None and looks_off_topic(parse, thresholds),
        gated=gate_hold(parse, thresholds),
    )


def gate_hold(parse: ParseResult | None, thresholds: Thresholds) -> GateHold | None:
    """Why the answer gate held back the answer to `parse`, when it alone did (the other
    rules would have given it); else None."""
    if parse is None or thresholds.answer_gate is None:
        return None
    if not passes_rules(parse, thresholds) or not held_by_gate(parse, thresholds):
        return None
    return GateHold(thresholds.answer_gate.probability(parse), thresholds.gate)

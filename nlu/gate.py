"""The answer gate: how likely a procedure or a referral the rules would give outright is
the right one, from what the two models say of the text.

The classifier's confidence, its lead over the runner-up and the off-topic score each tell
something about a wrong answer, and the reply rules (bot/answering/service.py,
`is_confident`) check each against its own threshold. A message both models are half sure
of ("mượn loa phường được không": a procedure at 0.7, off-topic score just under 0) passes
all three. The gate is a logistic model over those figures together, fitted out of fold
(`tiepdan nlu crossval --fit-gate`, nlu/crossval.py): on every training example and every
off-topic line predicted by a model that did not learn it, whether an answer the rules
would give is right. The bot holds back an answer whose probability is under `NLU_GATE`
and offers suggestions instead.

Its figures are data (`GATE_FILE`, written by the fit); no file, no gate.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

from nlu.client import ParseResult

GATE_FILE = Path(__file__).resolve().parent / "gate.json"
# Intents of other bodies' procedures (bot/faq/referrals.py REFERRAL_PREFIX; that module
# needs the database, this one only names the convention).
REFERRAL_PREFIX = "ref_"
FEATURES = (
    "confidence",
    "log_lead",  # log of the confidence over the runner-up's
    "off_topic",
    "confidence_x_off_topic",
    "referral",
)
_FLOOR = 1e-6  # for a runner-up at 0 (or none)


def features(parse: ParseResult) -> tuple[float, ...]:
    """The gate's inputs for `parse`, in the order of `FEATURES` (an off-topic score of 0
    from a model without the check, to which the bot does not apply the gate)."""
    confidence = max(parse.confidence, _FLOOR)
    runner_up = parse.ranking[1].confidence if len(parse.ranking) > 1 else 0.0
    off_topic = parse.off_topic or 0.0
    return (
        confidence,
        math.log(confidence / max(runner_up, _FLOOR)),
        off_topic,
        confidence * off_topic,
        float((parse.intent or "").startswith(REFERRAL_PREFIX)),
    )


@dataclass(frozen=True)
class AnswerGate:
    """A fitted logistic model: the probability that an answer given outright is right."""

    weights: tuple[float, ...]
    bias: float
    # How it was fitted (the command, the folds, the examples), for the record.
    fitted_on: str = ""

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(f"the gate needs {len(FEATURES)} weights, got {len(self.weights)}")

    def probability(self, parse: ParseResult) -> float:
        """How likely the top intent of `parse` is the right answer."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, features(parse), strict=True))
        if z < -30.0:  # exp overflows far beyond any threshold's reach
            return 0.0
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        """The file's text: the features by name, so a change of features is caught."""
        return json.dumps(
            {
                "features": list(FEATURES),
                "weights": [round(w, 6) for w in self.weights],
                "bias": round(self.bias, 6),
                "fitted_on": self.fitted_on,
            },
            indent=2,
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> AnswerGate:
        """Read what `to_json` wrote; ValueError when its features are not `FEATURES`."""
        raw = json.loads(text)
        if tuple(raw.get("features") or ()) != FEATURES:
            raise ValueError("the gate file was fitted on other features: fit it again")
        return cls(
            weights=tuple(float(w) for w in raw["weights"]),
            bias=float(raw["bias"]),
            fitted_on=str(raw.get("fitted_on") or ""),
        )


@functools.cache
def read_gate(path: Path = GATE_FILE) -> AnswerGate | None:
    """The gate fitted into `path`, None without the file (read once per process)."""
    if not path.exists():
        return None
    return AnswerGate.from_json(path.read_text(encoding="utf-8"))

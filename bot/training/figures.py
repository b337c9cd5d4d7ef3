"""A model's evaluation figures as stored in `TrainedModel.figures`, and comparing two models.

The stored shape (plain JSON):

    {"training": {"seconds", "peak_mb", "examples", "intents"},
     "heldout":  {"examples", "accuracy", "macro_f1", "accuracy_no_diacritics",
                  "oos_recall", "false_fallback", "intents": {name: {"n", "accuracy", "f1"}}},
     "crossval": {the same, and "folds"}}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nlu.evaluate import Report

HELDOUT = "heldout"
CROSSVAL = "crossval"
SOURCES = (HELDOUT, CROSSVAL)
# Overall figures shown side by side: (key, higher is better).
METRICS: tuple[tuple[str, bool], ...] = (
    ("accuracy", True),
    ("macro_f1", True),
    ("accuracy_no_diacritics", True),
    ("oos_recall", True),
    ("false_fallback", False),
)


def report_figures(report: Report, totals: Mapping[str, int]) -> dict[str, Any]:
    """The overall figures of `report` and each intent's accuracy and F1.

    `totals` counts the evaluated examples per true intent; the report's error list
    (every wrong prediction) gives the rest.
    """
    missed = Counter(truth for _text, truth, _predicted, _conf in report.errors)
    wrongly = Counter(predicted for _text, _truth, predicted, _conf in report.errors)
    intents: dict[str, dict[str, float | int]] = {}
    for intent, n in sorted(totals.items()):
        hit = n - missed[intent]
        spread = 2 * hit + wrongly[intent] + missed[intent]
        intents[intent] = {
            "n": n,
            "accuracy": round(hit / n, 4) if n else 0.0,
            "f1": round(2 * hit / spread, 4) if spread else 0.0,
        }
    overall: dict[str, Any] = {"examples": report.examples}
    overall.update({key: round(float(getattr(report, key)), 4) for key, _ in METRICS})
    overall["intents"] = intents
    return overall


@dataclass(frozen=True)
class MetricDelta:
    """One overall figure of the candidate beside the active model's."""

    source: str  # heldout | crossval
    metric: str
    candidate: float | None
    active: float | None
    higher_is_better: bool

    @property
    def delta(self) -> float | None:
        """Candidate minus active, when both are known."""
        if self.candidate is None or self.active is None:
            return None
        return self.candidate - self.active

    @property
    def worse(self) -> bool:
        """True when the candidate does worse on this figure."""
        delta = self.delta
        if delta is None or abs(delta) < 1e-9:
            return False
        return delta < 0 if self.higher_is_better else delta > 0


@dataclass(frozen=True)
class IntentDelta:
    """One intent's accuracy, held-out and cross-validated, candidate beside active."""

    intent: str
    heldout: MetricDelta
    crossval: MetricDelta

    @property
    def worse(self) -> bool:
        """True when either accuracy dropped."""
        return self.heldout.worse or self.crossval.worse


@dataclass(frozen=True)
class Comparison:
    """The candidate's figures beside the active model's."""

    overall: list[MetricDelta]
    intents: list[IntentDelta]

    @property
    def worse_intents(self) -> list[IntentDelta]:
        """The intents the candidate recognises less well."""
        return [row for row in self.intents if row.worse]

    @property
    def accuracy(self) -> MetricDelta:
        """Top-1 accuracy on the held-out set (what the activation margin looks at)."""
        return self.overall[0]

    def exceeds(self, margin: float) -> bool:
        """True when the held-out accuracy drops by more than `margin`."""
        delta = self.accuracy.delta
        return delta is not None and delta < -margin - 1e-9


def compare(candidate: Mapping[str, Any], active: Mapping[str, Any] | None) -> Comparison:
    """Compare two models' stored figures (`active` None: nothing to compare with)."""
    theirs = active or {}
    overall = [
        MetricDelta(
            source,
            key,
            _number(candidate, source, key),
            _number(theirs, source, key),
            higher,
        )
        for source in SOURCES
        for key, higher in METRICS
    ]
    names = sorted({name for figures in (candidate, theirs) for name in _intents(figures)})
    intents = [
        IntentDelta(name, _intent_delta(candidate, theirs, HELDOUT, name),
                    _intent_delta(candidate, theirs, CROSSVAL, name))
        for name in names
    ]  # fmt: skip
    return Comparison(overall=overall, intents=intents)


def _intent_delta(
    candidate: Mapping[str, Any], active: Mapping[str, Any], source: str, intent: str
) -> MetricDelta:
    return MetricDelta(
        source,
        "accuracy",
        _intent_accuracy(candidate, source, intent),
        _intent_accuracy(active, source, intent),
        True,
    )


def _number(figures: Mapping[str, Any], source: str, key: str) -> float | None:
    value = (figures.get(source) or {}).get(key)
    return float(value) if isinstance(value, int | float) else None


def _intents(figures: Mapping[str, Any]) -> set[str]:
    return {name for source in SOURCES for name in (figures.get(source) or {}).get("intents", {})}


def _intent_accuracy(figures: Mapping[str, Any], source: str, intent: str) -> float | None:
    row = ((figures.get(source) or {}).get("intents") or {}).get(intent)
    return float(row["accuracy"]) if row else None

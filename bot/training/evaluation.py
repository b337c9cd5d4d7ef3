"""Evaluating a trained model file: on the held-out set (`nlu/data/test/`) and by k-fold
cross-validation on the data it was trained on; figures as bot.training.figures stores them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.answering.service import thresholds_from
from bot.settings import Settings
from bot.training.figures import report_figures
from nlu.crossval import cross_validate
from nlu.evaluate import load_test_set, predict, score
from nlu.normalize import model_text


def heldout_figures(settings: Settings, model: Path) -> dict[str, Any]:
    """The model's figures on the held-out set, asked in the model's form as the bot asks."""
    examples = load_test_set()
    predictions = predict(settings, model, [model_text(e.text) for e in examples])
    report = score(model.name, examples, predictions, thresholds_from(settings), None)
    return report_figures(report, Counter(e.intent for e in examples))


def crossval_figures(
    settings: Settings, examples: Mapping[str, list[str]], folds: int
) -> dict[str, Any]:
    """Pooled out-of-fold figures of `folds`-fold cross-validation on `examples`."""
    report = cross_validate(settings, thresholds_from(settings), k=folds, data=examples)
    figures = report_figures(report, {intent: len(lines) for intent, lines in examples.items()})
    figures["folds"] = folds
    return figures

"""`tiepdan nlu crossval`: k-fold cross-validation on the training data alone.

For choosing a pipeline, its settings or the reply thresholds without looking at the
held-out set: train on k−1 folds, predict the remaining one, pool the predictions of
all folds and score them as `tiepdan nlu evaluate` scores the held-out set. Examples
are in the model's form (`training_data.prepare`: as written, plus an accent-less copy
of each with diacritics, kept in the same fold).
"""

from __future__ import annotations

import logging
import os
import random
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bot.answering.service import Thresholds
from bot.settings import Settings
from nlu.client import ParseResult
from nlu.evaluate import Example, Report, predict, score
from nlu.normalize import folded_text
from nlu.train import CONFIG_FILE, TrainingRun, train_model
from nlu.training_data import prepare, read_examples, training_files

log = logging.getLogger(__name__)


def stratified_folds(
    examples: Mapping[str, list[str]], k: int, seed: int
) -> list[dict[str, list[str]]]:
    """Split each intent's examples, shuffled by `seed`, round-robin into `k` folds.

    Texts equal once folded (an example and its accent-less copy, see
    `training_data.prepare`) stay in one fold, so no fold is tested on a copy of what it
    was trained on.
    """
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    rng = random.Random(seed)
    folds: list[dict[str, list[str]]] = [{} for _ in range(k)]
    for intent in sorted(examples):
        groups: dict[str, list[str]] = {}
        for line in examples[intent]:
            groups.setdefault(folded_text(line), []).append(line)
        shuffled = list(groups.values())
        rng.shuffle(shuffled)
        for index, group in enumerate(shuffled):
            folds[index % k].setdefault(intent, []).extend(group)
    return folds


def cross_validate(
    settings: Settings,
    thresholds: Thresholds,
    *,
    k: int = 4,
    seed: int = 7,
    config: Path = CONFIG_FILE,
    data: Mapping[str, list[str]] | None = None,
) -> Report:
    """Pooled out-of-fold figures for `config` on the training data (or on `data`, examples
    already in the model's form: what the console's trainer exported from the database)."""
    data = prepare(read_examples(training_files())) if data is None else data
    folds = stratified_folds(data, k, seed)
    examples: list[Example] = []
    predictions: list[ParseResult] = []
    runs: list[TrainingRun] = []
    with (
        tempfile.TemporaryDirectory(dir=settings.models_dir, prefix=".crossval-") as tmp,
        open(os.devnull, "w", encoding="utf-8") as quiet,
    ):
        for held in range(k):
            training: dict[str, list[str]] = {}
            for index, fold in enumerate(folds):
                if index != held:
                    for intent, lines in fold.items():
                        training.setdefault(intent, []).extend(lines)
            target = Path(tmp) / f"fold-{held}.tar.gz"
            run = train_model(
                settings, config=config, examples=training, target=target, output=quiet
            )
            runs.append(run)
            log.info("Fold %d of %d trained in %.0f s", held + 1, k, run.seconds)
            tested = [Example(t, i) for i, lines in folds[held].items() for t in lines]
            predictions += predict(settings, target, [e.text for e in tested])
            examples += tested
    mean = TrainingRun(
        model=runs[-1].model,
        seconds=round(sum(r.seconds for r in runs) / k, 1),
        peak_mb=max(r.peak_mb for r in runs),
        examples=runs[-1].examples,
    )
    return score(
        f"{config.name}, {k}-fold cross-validation", examples, predictions, thresholds, mean
    )

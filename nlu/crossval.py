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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answering.service import Thresholds
from bot.settings import Settings
from nlu.client import ParseResult
from nlu.evaluate import Example, Report, predict, score
from nlu.normalize import folded_text
from nlu.train import CONFIG_FILE, TrainingRun, train_model
from nlu.training_data import (
    OFF_TOPIC_DIR,
    off_topic_lines,
    prepare,
    read_examples,
    training_files,
    write_off_topic,
)

log = logging.getLogger(__name__)

OFF_TOPIC = "off_topic"
OFF_TOPIC_CHECK = "nlu.offtopic.OffTopicCheck"  # config.yml's name of the component


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


@dataclass
class OutOfFold:
    """Every training example and every off-topic line, each predicted by the fold's model
    that did not learn it, with its fold."""

    examples: list[Example]
    predictions: list[ParseResult]
    example_folds: list[int]
    lines: list[str]  # the off-topic lists' lines, in the model's form
    line_predictions: list[ParseResult]
    line_folds: list[int]
    runs: list[TrainingRun]
    config: Path  # the pipeline measured

    @property
    def run(self) -> TrainingRun:
        """The folds' training: mean time, peak memory."""
        return TrainingRun(
            model=self.runs[-1].model,
            seconds=round(sum(r.seconds for r in self.runs) / len(self.runs), 1),
            peak_mb=max(r.peak_mb for r in self.runs),
            examples=self.runs[-1].examples,
        )


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
    return scored(out_of_fold(settings, k=k, seed=seed, config=config, data=data), thresholds)


def scored(oof: OutOfFold, thresholds: Thresholds) -> Report:
    """The pooled out-of-fold figures of `oof` under the bot's reply rules."""
    name = f"{oof.config.name}, {len(oof.runs)}-fold cross-validation"
    return score(name, oof.examples, oof.predictions, thresholds, oof.run)


def out_of_fold(
    settings: Settings,
    *,
    k: int = 4,
    seed: int = 7,
    config: Path = CONFIG_FILE,
    data: Mapping[str, list[str]] | None = None,
    lists: Path = OFF_TOPIC_DIR,
) -> OutOfFold:
    """Train `k` models, each on all folds but one, and predict the fold left out. The
    off-topic check's lists (`lists`) are split into the same number of folds, so a fold's
    off-topic score of a line is that of a model that never saw it (a pipeline without the
    check: no lines)."""
    data = prepare(read_examples(training_files())) if data is None else data
    folds = stratified_folds(data, k, seed)
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))
    checked = off_topic_lines(lists) if _off_topic_checks(pipeline) else []
    line_folds = [f.get(OFF_TOPIC, []) for f in stratified_folds({OFF_TOPIC: checked}, k, seed)]
    result = OutOfFold([], [], [], [], [], [], runs=[], config=config)
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
            work = Path(tmp) / f"fold-{held}"
            others = [line for i, f in enumerate(line_folds) if i != held for line in f]
            write_off_topic(others, work / "lists" / "off_topic.txt")
            fold_config = with_lists(config, work / "lists", work / "config.yml") or config
            target = work / "model.tar.gz"
            run = train_model(
                settings, config=fold_config, examples=training, target=target, output=quiet
            )
            result.runs.append(run)
            log.info("Fold %d of %d trained in %.0f s", held + 1, k, run.seconds)
            tested = [Example(t, i) for i, lines in folds[held].items() for t in lines]
            held_lines = prepare({OFF_TOPIC: line_folds[held]}).get(OFF_TOPIC, [])
            predicted = predict(settings, target, [e.text for e in tested] + held_lines)
            result.examples += tested
            result.predictions += predicted[: len(tested)]
            result.example_folds += [held] * len(tested)
            result.lines += held_lines
            result.line_predictions += predicted[len(tested) :]
            result.line_folds += [held] * len(held_lines)
    return result


def _off_topic_checks(pipeline: dict[str, Any]) -> list[dict[str, Any]]:
    """The off-topic check's steps of a parsed config.yml."""
    return [step for step in pipeline.get("pipeline") or [] if step.get("name") == OFF_TOPIC_CHECK]


def with_lists(config: Path, lists: Path, target: Path) -> Path | None:
    """A copy of `config` (written to `target`) whose off-topic check learns from `lists`;
    None for a pipeline without the check."""
    raw = yaml.safe_load(config.read_text(encoding="utf-8"))
    checks = _off_topic_checks(raw)
    if not checks:
        return None
    for step in checks:
        step["lists"] = str(lists)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target

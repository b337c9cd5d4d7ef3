"""Cross-validation on the training data: the folds, and a real run."""

from __future__ import annotations

import pytest

from bot.answering.service import thresholds_from
from bot.settings import get_settings
from nlu.crossval import cross_validate, stratified_folds
from nlu.training_data import prepare, read_examples, training_files


def test_folds_split_every_intent_evenly_and_lose_nothing() -> None:
    examples = {"a": [f"a{i}" for i in range(10)], "b": [f"b{i}" for i in range(3)]}
    folds = stratified_folds(examples, 3, seed=1)
    assert [len(f["a"]) for f in folds] == [4, 3, 3]
    assert [len(f["b"]) for f in folds] == [1, 1, 1]
    for intent, lines in examples.items():
        pooled = [line for fold in folds for line in fold.get(intent, [])]
        assert sorted(pooled) == sorted(lines)  # each example in exactly one fold
    assert stratified_folds(examples, 3, seed=1) == folds  # the seed fixes the split
    assert stratified_folds(examples, 3, seed=2) != folds
    with pytest.raises(ValueError):
        stratified_folds(examples, 1, seed=1)


def test_an_example_and_its_accent_less_copy_share_a_fold() -> None:
    examples = prepare({"giam_ho": [f"giám hộ {i}" for i in range(6)]})
    assert len(examples["giam_ho"]) == 12
    folds = stratified_folds(examples, 3, seed=1)
    for fold in folds:
        lines = fold["giam_ho"]
        assert len(lines) == 4
        assert {line.replace("giám hộ", "giam ho") for line in lines} == {
            line for line in lines if line.startswith("giam ho")
        }


@pytest.mark.e2e
def test_two_fold_run_predicts_every_training_example_out_of_fold() -> None:
    settings = get_settings()
    report = cross_validate(settings, thresholds_from(settings), k=2)
    total = sum(len(lines) for lines in prepare(read_examples(training_files())).values())
    assert report.examples == total
    # Half the data to learn from: a little below the 4-fold figure (93.8 %).
    assert report.accuracy >= 0.88
    assert report.training_seconds is not None and report.training_seconds < 120

"""Cross-validation on the training data: the folds, and a real run."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.answering.service import CONVERSATION_ACTIONS, passes_rules, thresholds_from
from bot.settings import get_settings
from nlu.crossval import out_of_fold, scored, stratified_folds, with_lists
from nlu.evaluate import STOCK_CONFIG
from nlu.gate_fit import fit_gate, gate_table
from nlu.train import CONFIG_FILE
from nlu.training_data import prepare, read_examples, read_off_topic, training_files


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


def test_a_folds_config_teaches_the_off_topic_check_its_lists_only(tmp_path: Path) -> None:
    config = with_lists(CONFIG_FILE, tmp_path / "lists", tmp_path / "config.yml")
    assert config is not None
    pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))["pipeline"]
    [check] = [step for step in pipeline if step["name"] == "nlu.offtopic.OffTopicCheck"]
    assert check["lists"] == str(tmp_path / "lists")
    original = yaml.safe_load(CONFIG_FILE.read_text(encoding="utf-8"))["pipeline"]
    assert [s["name"] for s in pipeline] == [s["name"] for s in original]
    stock = tmp_path / "stock.yml"
    stock.write_text(STOCK_CONFIG, encoding="utf-8")
    assert with_lists(stock, tmp_path / "lists", tmp_path / "stock-fold.yml") is None


@pytest.mark.e2e
# Two trainings and ~12,000 offline parses: minutes when the machine is slow (it once took
# over the default 300 s); the figures, not the time, are what this test checks.
@pytest.mark.timeout(900)
def test_two_fold_run_predicts_every_example_and_off_topic_line_out_of_fold() -> None:
    settings = get_settings()
    thresholds = thresholds_from(settings)
    oof = out_of_fold(settings, k=2)
    report = scored(oof, thresholds)
    total = sum(len(lines) for lines in prepare(read_examples(training_files())).values())
    assert report.examples == total
    assert sorted(oof.lines) == sorted(read_off_topic())  # each line once, in a fold
    assert set(oof.example_folds) == set(oof.line_folds) == {0, 1}
    # Half the data to learn from: a little below the 4-fold figure (93.7 %).
    assert report.accuracy >= 0.88
    assert report.training_seconds is not None and report.training_seconds < 120
    # Lines no model learned are mostly not answered, by the rules alone
    answered = [
        p
        for p in oof.line_predictions
        if p.intent not in CONVERSATION_ACTIONS and passes_rules(p, thresholds)
    ]
    assert len(answered) < 0.1 * len(oof.lines)

    fit = fit_gate(settings, oof, thresholds)
    assert fit.without_gate.wrong_answers == fit.wrong > 0
    # The stricter the gate, the fewer wrong answers and the more of ours held back.
    rows = [fit.without_gate, *fit.rows]
    wrong = [r.wrong_answers for r in rows]
    held = [r.false_fallback for r in rows]
    assert wrong == sorted(wrong, reverse=True) and wrong[-1] < wrong[0] / 2
    assert held == sorted(held)
    table = gate_table(fit)
    assert "| 0 (no gate) |" in table and "Suggested NLU_GATE" in table

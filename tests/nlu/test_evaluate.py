"""The benchmark runs on the real model and stays above floors a little under the targets."""

from __future__ import annotations

import pytest

from bot.answering.service import Thresholds, thresholds_from
from bot.settings import get_settings
from nlu.evaluate import (
    Example,
    Trap,
    adversarial_markdown,
    evaluate_adversarial,
    evaluate_current,
    load_adversarial,
    markdown,
    score,
    score_adversarial,
)
from tests.factories import parse_result


def test_score_counts_accuracy_fallbacks_and_confusions() -> None:
    examples = [
        Example("khai sinh", "khai_sinh"),
        Example("ket hon", "ket_hon"),
        Example("giá vàng", "out_of_scope"),
        Example("giấy tờ", "khai_sinh"),
    ]
    predictions = [
        parse_result(("khai_sinh", 0.9), ("ket_hon", 0.05)),
        parse_result(("khai_sinh", 0.7), ("ket_hon", 0.2)),
        parse_result(("out_of_scope", 0.8)),
        parse_result(("khai_sinh", 0.4), ("ket_hon", 0.3)),
    ]
    report = score("x", examples, predictions, Thresholds(confident=0.6, ratio=2.0), None)
    assert report.accuracy == 0.75
    assert report.oos_recall == 1.0
    assert report.false_fallback == pytest.approx(1 / 3)
    assert report.confusions == [("ket_hon", "khai_sinh", 1)]
    assert report.accuracy_no_diacritics == 0.5  # "khai sinh" right, "ket hon" wrong
    assert "| top-1 intent accuracy | 75.0 % |" in markdown([report], Thresholds())


def test_a_referral_is_not_an_answer_of_ours_for_out_of_scope_text() -> None:
    examples = [Example("làm visa", "out_of_scope")]
    confident_referral = [parse_result(("ref_visa", 0.9), ("ket_hon", 0.05))]
    confident_answer = [parse_result(("ket_hon", 0.9), ("ref_visa", 0.05))]
    thresholds = Thresholds(confident=0.6, ratio=2.0)
    assert score("x", examples, confident_referral, thresholds, None).oos_recall == 1.0
    assert score("x", examples, confident_answer, thresholds, None).oos_recall == 0.0


def test_a_referral_example_referred_is_no_false_fallback_of_ours() -> None:
    """Cross-validation scores the referral intents' own examples: referring them is
    right (accuracy) and is neither a fallback of our procedures nor an off-topic text."""
    examples = [Example("làm visa", "ref_visa"), Example("khai sinh", "khai_sinh")]
    predictions = [
        parse_result(("ref_visa", 0.9), ("ket_hon", 0.05)),
        parse_result(("khai_sinh", 0.9), ("ket_hon", 0.05)),
    ]
    report = score("x", examples, predictions, Thresholds(confident=0.6, ratio=2.0), None)
    assert (report.accuracy, report.false_fallback) == (1.0, 0.0)


def test_adversarial_scoring_per_kind() -> None:
    traps = [
        Trap("ly hôn", "refer", "other_body", frozenset({"ref_ly_hon"})),
        Trap("ly hôn ở đâu", "refer", "other_body", frozenset({"ref_ly_hon"})),
        Trap("giảm cân", "decline", "folding_collision", frozenset({"out_of_scope"})),
        Trap("giảm mỡ", "decline", "folding_collision", frozenset({"out_of_scope"})),
        Trap("giấy tờ", "suggest", "mixed", frozenset({"khai_sinh", "ket_hon"})),
    ]
    predictions = [
        parse_result(("ref_ly_hon", 0.9), ("ket_hon", 0.05)),  # right
        parse_result(("ket_hon", 0.9), ("ref_ly_hon", 0.05)),  # confident and wrong
        parse_result(("giam_ho", 0.4), ("out_of_scope", 0.3)),  # unsure: declined, right
        parse_result(("giam_ho", 0.95), ("out_of_scope", 0.01)),  # confident and wrong
        parse_result(("ket_hon", 0.45), ("khai_sinh", 0.4)),  # an acceptable top intent
    ]
    figures = {f.kind: f for f in score_adversarial(traps, predictions, Thresholds())}
    assert (figures["other_body"].right, figures["other_body"].confident_wrong) == (0.5, 0.5)
    assert (figures["folding_collision"].right, figures["folding_collision"].confident_wrong) == (
        0.5,
        0.5,
    )
    assert (figures["mixed"].right, figures["mixed"].confident_wrong) == (1.0, 0.0)
    assert figures["all"].messages == 5 and figures["all"].confident_wrong == 0.4
    assert [w[2] for w in figures["all"].wrong] == ["ket_hon", "giam_ho"]
    assert "| all | 5 | 60.0 % | 40.0 % |" in adversarial_markdown(list(figures.values()))


def test_adversarial_set_loads_with_acceptable_intents() -> None:
    traps = load_adversarial()
    assert len(traps) >= 120
    for trap in traps:
        assert trap.acceptable and all(trap.acceptable), trap
        if trap.expect == "refer":
            assert next(iter(trap.acceptable)).startswith("ref_"), trap


@pytest.mark.e2e
def test_held_out_figures_stay_above_floors() -> None:
    settings = get_settings()
    report = evaluate_current(settings, thresholds_from(settings))
    assert report.examples >= 300
    assert report.accuracy >= 0.94
    assert report.accuracy_no_diacritics >= 0.91
    assert report.oos_recall >= 0.88
    assert report.false_fallback <= 0.06
    assert report.training_seconds is not None and report.training_seconds <= 180


@pytest.mark.e2e
def test_adversarial_figures_stay_below_ceilings() -> None:
    settings = get_settings()
    figures = {f.kind: f for f in evaluate_adversarial(settings, thresholds_from(settings))}
    assert figures["all"].messages >= 120
    assert figures["all"].confident_wrong <= 0.12  # 9.9 % measured (issue 12)
    assert figures["folding_collision"].confident_wrong <= 0.25  # 17.9 %; 35.7 % folded only

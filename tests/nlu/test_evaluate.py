"""The benchmark runs on the real model and stays above floors a little under the targets."""

from __future__ import annotations

import pytest

from bot.answering.service import Thresholds, thresholds_from
from bot.settings import get_settings
from nlu.evaluate import Example, evaluate_current, markdown, score
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

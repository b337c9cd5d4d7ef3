"""The answer gate (nlu/gate.py): its features, its probability and its file."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from bot.answering.service import Thresholds
from nlu.gate import FEATURES, GATE_FILE, AnswerGate, features, read_gate
from tests.factories import parse_result


def test_features_read_the_confidence_the_lead_and_the_off_topic_score() -> None:
    parse = replace(parse_result(("ref_ho_chieu", 0.8), ("can_cuoc", 0.1)), off_topic=-0.5)
    confidence, lead, off_topic, product, referral = features(parse)
    assert confidence == 0.8
    assert lead == pytest.approx(math.log(8.0))
    assert (off_topic, product, referral) == (-0.5, pytest.approx(-0.4), 1.0)
    alone = parse_result(("khai_sinh", 0.9))  # no runner-up, a model without the check
    assert features(alone)[1] > 10 and features(alone)[2:] == (0.0, 0.0, 0.0)


def test_the_probability_is_logistic_in_the_weighted_features() -> None:
    gate = AnswerGate(weights=(4.0, 0.0, -2.0, 0.0, 0.0), bias=-2.0)
    sure = replace(parse_result(("khai_sinh", 0.9), ("ket_hon", 0.05)), off_topic=-1.0)
    assert gate.probability(sure) == pytest.approx(1 / (1 + math.exp(-(3.6 + 2.0 - 2.0))))
    lookalike = replace(sure, confidence=0.6, off_topic=0.5)
    assert gate.probability(lookalike) < 0.5 < gate.probability(sure)
    far = AnswerGate(weights=(0.0,) * 5, bias=-1000.0)
    assert far.probability(sure) == 0.0  # no overflow


def test_the_gate_file_round_trips_and_names_its_features(tmp_path: Path) -> None:
    gate = AnswerGate(weights=(1.5, 0.25, -2.0, -1.0, 0.5), bias=-3.0, fitted_on="a test")
    path = tmp_path / "gate.json"
    path.write_text(gate.to_json(), encoding="utf-8")
    assert read_gate(path) == gate
    assert read_gate(tmp_path / "none.json") is None
    stale = gate.to_json().replace('"log_lead"', '"lead"')
    with pytest.raises(ValueError, match="other features"):
        AnswerGate.from_json(stale)
    with pytest.raises(ValueError):
        AnswerGate(weights=(1.0,), bias=0.0)


def test_the_committed_gate_holds_back_a_half_sure_lookalike_and_passes_a_clear_answer() -> None:
    gate = read_gate(GATE_FILE)
    assert gate is not None and len(gate.weights) == len(FEATURES)
    clear = replace(parse_result(("khai_sinh", 0.95), ("ket_hon", 0.02)), off_topic=-1.0)
    half = replace(parse_result(("ket_hon", 0.55), ("khai_sinh", 0.2)), off_topic=-0.05)
    # at the default threshold: the one held back, the other answered
    assert gate.probability(half) < Thresholds().gate < gate.probability(clear)

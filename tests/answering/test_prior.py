"""The subject of a conversation is the likelier one: `prior.favour_subject`, and what it
does to `decide`."""

from __future__ import annotations

import pytest

from bot.answering.prior import favour_subject
from tests.factories import parse_result


def test_the_subject_s_probability_is_multiplied_and_the_ranking_renormalised() -> None:
    parse = parse_result(("out_of_scope", 0.5), ("ly_hon", 0.3), ("ket_hon", 0.2))
    favoured = favour_subject(parse, "ket_hon", factor=10.0)
    assert favoured.intent == "ket_hon"
    assert favoured.confidence == pytest.approx(2.0 / 2.8)
    assert [s.name for s in favoured.ranking] == ["ket_hon", "out_of_scope", "ly_hon"]
    assert sum(s.confidence for s in favoured.ranking) == pytest.approx(1.0)


def test_a_clearly_named_other_procedure_stays_first() -> None:
    parse = parse_result(("can_cuoc", 0.97), ("khai_sinh", 0.01), ("out_of_scope", 0.02))
    assert favour_subject(parse, "khai_sinh").intent == "can_cuoc"


def test_a_subject_the_nlu_does_not_rank_changes_nothing() -> None:
    parse = parse_result(("can_cuoc", 0.9), ("out_of_scope", 0.1))
    assert favour_subject(parse, "khai_sinh") is parse

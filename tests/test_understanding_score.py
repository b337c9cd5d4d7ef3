"""Scoring of the understanding benchmark, with fake outcomes (no NLU)."""

from __future__ import annotations

import pytest
import yaml

from bot.understanding_score import (
    Expectation,
    Outcome,
    aspect_right,
    category,
    context_after,
    dialogue_table,
    load_dialogues,
    load_messages,
    tally_by,
)

ANSWER = Expectation("lệ phí làm căn cước", "answer", ("can_cuoc",), aspects=("fee",))
REFER = Expectation("thủ tục ly hôn", "refer", referral="ly_hon")
DECLINE = Expectation("giảm cân sau sinh", "decline")
SUGGEST = Expectation("giấy tờ cho con", "suggest", ("khai_sinh", "nhan_cha_me_con"))
THANKS = Expectation("cảm ơn nhé", "smalltalk", ("thanks",))


@pytest.mark.parametrize(
    ("expected", "outcome", "expected_category"),
    [
        (ANSWER, Outcome("faq", "can_cuoc", "fee"), "answered"),
        (ANSWER, Outcome("faq", "thuong_tru", "fee"), "confident_wrong"),
        (ANSWER, Outcome("refer", "ref_ho_chieu"), "confident_wrong"),
        (ANSWER, Outcome("fallback", "can_cuoc", suggestions=("tam_tru", "can_cuoc")), "suggested"),
        (ANSWER, Outcome("fallback", "can_cuoc", suggestions=("tam_tru",)), "other"),
        (ANSWER, Outcome("greet", "greet"), "other"),
        (REFER, Outcome("refer", "ref_ly_hon"), "referred"),
        # The issue's own example: divorce answered as marriage registration.
        (REFER, Outcome("faq", "ket_hon"), "confident_wrong"),
        (REFER, Outcome("refer", "ref_khoi_kien_dan_su"), "confident_wrong"),
        (REFER, Outcome("fallback", None), "other"),
        (DECLINE, Outcome("fallback", "out_of_scope"), "declined"),
        (DECLINE, Outcome("fallback", "giam_ho", suggestions=("giam_ho",)), "declined"),
        (DECLINE, Outcome("faq", "giam_ho"), "confident_wrong"),
        (DECLINE, Outcome("complaint", "complaint"), "other"),
        (SUGGEST, Outcome("fallback", None, suggestions=("nhan_cha_me_con",)), "suggested"),
        (SUGGEST, Outcome("faq", "khai_sinh"), "answered"),
        (SUGGEST, Outcome("faq", "khai_tu"), "confident_wrong"),
        (THANKS, Outcome("smalltalk", "thanks"), "answered"),
        (THANKS, Outcome("smalltalk", "goodbye"), "other"),
        (THANKS, Outcome("faq", "thanks"), "answered"),
    ],
)
def test_category(expected: Expectation, outcome: Outcome, expected_category: str) -> None:
    assert category(expected, outcome) == expected_category


def test_aspect_counts_only_with_the_right_procedure_and_overview_is_no_aspect() -> None:
    assert aspect_right(ANSWER, Outcome("faq", "can_cuoc", "fee")) is True
    assert aspect_right(ANSWER, Outcome("faq", "can_cuoc", "time")) is False
    assert aspect_right(ANSWER, Outcome("faq", "tam_tru", "fee")) is False
    assert aspect_right(REFER, Outcome("refer", "ref_ly_hon")) is None
    either = Expectation("hết hạn thì sao", "answer", ("tam_tru",), aspects=("notes", "overview"))
    assert aspect_right(either, Outcome("faq", "tam_tru", None)) is True
    assert aspect_right(either, Outcome("faq", "tam_tru", "notes")) is True
    assert aspect_right(either, Outcome("faq", "tam_tru", "fee")) is False


def test_context_is_set_by_an_answer_kept_by_small_talk_and_non_answers_ended_by_acts() -> None:
    assert context_after(Outcome("faq", "can_cuoc"), None) == "can_cuoc"
    assert context_after(Outcome("refer", "ref_ly_hon"), "can_cuoc") is None
    assert context_after(Outcome("smalltalk", "thanks"), "can_cuoc") == "can_cuoc"
    assert context_after(Outcome("smalltalk", "thanks"), None) is None
    suggested = Outcome("fallback", None, suggestions=("can_cuoc",))
    assert context_after(suggested, "khai_sinh") == "khai_sinh"
    assert context_after(Outcome("complaint", "complaint"), "khai_sinh") is None


def test_data_format_of_the_readme_is_read() -> None:
    messages = load_messages(
        yaml.safe_load(
            """
messages:
  - {text: "a", expect: answer, intent: can_cuoc, referral: null, aspect: time, kind: typo}
  - {text: "b", expect: suggest, intent: [khai_sinh, khai_tu], referral: null, aspect: null, kind: mixed}
  - {text: "c", expect: refer, intent: null, referral: ly_hon, aspect: null, kind: other_body}
"""
        )
    )
    assert messages == [
        Expectation("a", "answer", ("can_cuoc",), None, ("time",), "typo"),
        Expectation("b", "suggest", ("khai_sinh", "khai_tu"), None, (), "mixed"),
        Expectation("c", "refer", (), "ly_hon", (), "other_body"),
    ]
    [(dialogue_id, turns)] = load_dialogues(
        yaml.safe_load(
            """
dialogues:
  - id: d01
    turns:
      - {text: "x", expect: answer, intent: khai_tu, aspect: [notes, fee], referral: null}
"""
        )
    )
    assert dialogue_id == "d01"
    assert turns[0].aspects == ("notes", "fee")


def test_tallies_per_group_and_overall_and_the_table() -> None:
    tallies = tally_by(
        [
            ("turn 1", ANSWER, Outcome("faq", "can_cuoc", "fee")),
            ("turn 1", REFER, Outcome("faq", "ket_hon")),
            ("turn 2", ANSWER, Outcome("faq", "can_cuoc", None)),
            ("turn 2", DECLINE, Outcome("fallback", None)),
        ]
    )
    everything = tallies["all"]
    assert everything.total == 4
    assert everything.correct == 3
    assert everything.share("confident_wrong") == 0.25
    assert (everything.aspect_total, everything.aspect_right) == (2, 1)
    assert tallies["turn 1"].share("correct") == 0.5
    assert tallies["turn 2"].aspect_share == 0.0
    table = dialogue_table(tallies)
    assert table.splitlines()[-1] == "| **all** | 4 | 75.0 % | 25.0 % | 2 | 50.0 % |"

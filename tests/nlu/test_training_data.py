from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nlu import training_data
from nlu.train import fingerprint
from nlu.training_data import (
    prepare,
    read_examples,
    training_files,
    write_off_topic,
    write_rasa_yml,
)

SAMPLE = """version: "3.1"
nlu:
- intent: khai_sinh
  examples: |
    - Làm giấy khai sinh cần gì?
    - lam giay khai sinh can gi
    - thủ tục KHAI SINH
"""


def test_read_examples_parses_rasa_yml(tmp_path: Path) -> None:
    path = tmp_path / "khai_sinh.yml"
    path.write_text(SAMPLE, encoding="utf-8")
    assert read_examples([path]) == {
        "khai_sinh": [
            "Làm giấy khai sinh cần gì?",
            "lam giay khai sinh can gi",
            "thủ tục KHAI SINH",
        ]
    }


def test_prepare_keeps_diacritics_adds_folded_copies_and_dedupes() -> None:
    prepared = prepare(
        {"khai_sinh": ["Làm giấy khai sinh cần gì?", "lam giay khai sinh can gi", "gks ntn"]}
    )
    assert prepared == {
        "khai_sinh": [
            "làm giấy khai sinh cần gì",
            "lam giay khai sinh can gi",
            "giấy khai sinh như thế nào",
            "giay khai sinh nhu the nao",
        ]
    }


def test_written_yml_round_trips(tmp_path: Path) -> None:
    out = tmp_path / "train.yml"
    write_rasa_yml({"greet": ["xin chào", "hi"]}, out)
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["nlu"][0]["intent"] == "greet"
    assert read_examples([out]) == {"greet": ["xin chào", "hi"]}


def test_fingerprint_changes_with_data_and_config(tmp_path: Path) -> None:
    data = tmp_path / "a.yml"
    config = tmp_path / "config.yml"
    data.write_text(SAMPLE, encoding="utf-8")
    config.write_text("language: vi\n", encoding="utf-8")
    first = fingerprint([data], config)
    assert fingerprint([data], config) == first
    data.write_text(SAMPLE + "    - khai sinh\n", encoding="utf-8")
    second = fingerprint([data], config)
    assert second != first
    config.write_text("language: vi\npipeline: []\n", encoding="utf-8")
    assert fingerprint([data], config) != second


def test_fingerprint_changes_with_the_off_topic_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, lists = tmp_path / "a.yml", tmp_path / "offtopic"
    data.write_text(SAMPLE, encoding="utf-8")
    lists.mkdir()
    (lists / "a.txt").write_text("- đổi tên facebook\n", encoding="utf-8")
    monkeypatch.setattr(training_data, "OFF_TOPIC_DIR", lists)
    first = fingerprint([data])
    (lists / "a.txt").write_text("- đổi tên facebook\n- in giấy mời đám cưới\n", encoding="utf-8")
    assert fingerprint([data]) != first


def test_repository_training_data_is_usable() -> None:
    examples = read_examples(training_files())
    for intent in ("khai_sinh", "ket_hon", "chung_thuc_ban_sao", "greet", "out_of_scope"):
        assert len(examples.get(intent, [])) >= 10, intent


def test_an_off_topic_list_written_for_a_fold_reads_back_as_written(tmp_path: Path) -> None:
    lines = ["đổi tên facebook", "in giấy mời đám cưới", "mượn loa phường"]
    write_off_topic(lines, tmp_path / "lists" / "fold.txt")
    (tmp_path / "lists" / "notes.md").write_text("- not a list\n", encoding="utf-8")
    assert training_data.off_topic_lines(tmp_path / "lists") == lines
    # in the model's form: each with diacritics followed by its accent-less copy
    assert training_data.read_off_topic(tmp_path / "lists")[:2] == [
        "đổi tên facebook",
        "doi ten facebook",
    ]

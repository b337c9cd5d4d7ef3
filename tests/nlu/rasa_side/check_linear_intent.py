"""Runs inside the Rasa venv (tests/nlu/test_rasa_components.py starts it): trains
nlu.linear_intent.LinearIntentClassifier on hand-made count features, saves it, loads it
back and checks what it predicts. Exits non-zero, with the failed assertion, on error."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.linear_intent import (
    LinearIntentClassifier,
    Spellings,
    fit_folded,
    fit_idf,
    folded_counter,
    softmax,
    tfidf,
)

# Three intents, each marked by its own word column (0, 1, 2) and char column (0, 1, 2);
# column 3 of both blocks is noise shared by all.
INTENTS = ["khai_sinh", "ket_hon", "out_of_scope"]


def message(intent: str | None, column: int, noise: int) -> Message:
    """A message with sparse sentence features from the 'words' and 'chars' featurizers."""
    data = {"text": f"text {column} {noise}"}
    if intent:
        data["intent"] = intent
    result = Message(data=data)
    for origin, width in (("words", 4), ("chars", 5)):
        row = np.zeros((1, width))
        row[0, column] = 2.0
        row[0, 3] = float(noise)
        result.add_features(Features(sp.csr_matrix(row), "sentence", "text", origin))
        result.add_features(Features(sp.csr_matrix(row), "sequence", "text", origin))
    return result


def check_math() -> None:
    counts = sp.csr_matrix(np.array([[1.0, 0.0], [3.0, 1.0]]))
    idf = fit_idf(counts)
    assert np.allclose(idf, [np.log(3 / 3) + 1, np.log(3 / 2) + 1]), idf
    weighted = tfidf(counts, idf).toarray()
    assert np.allclose(np.linalg.norm(weighted, axis=1), 1.0), weighted
    assert np.allclose(weighted[0], [1.0, 0.0]), weighted  # one word: all its weight
    probabilities = softmax(np.array([[2.0, 1.0, 0.0]]), 0.5)
    assert np.isclose(probabilities.sum(), 1.0) and probabilities[0, 0] > 0.8, probabilities
    assert np.allclose(tfidf(sp.csr_matrix((1, 2)), idf).toarray(), 0.0)  # empty text


def check_train_save_load(directory: Path) -> None:
    training = [message(intent, i, n) for i, intent in enumerate(INTENTS) for n in range(1, 6)]
    storage = LocalModelStorage(directory)
    resource = Resource("linear_intent")
    context = ExecutionContext(GraphSchema({}), node_name="linear_intent")
    config = {"C": 2.0, "temperature_folds": 3, "random_seed": 42}

    trained = LinearIntentClassifier.create(config, storage, resource, context)
    trained.train(TrainingData(training))
    loaded = LinearIntentClassifier.load(config, storage, resource, context)

    for component in (trained, loaded):
        queries = [message(None, 1, 2), message(None, 2, 4)]
        component.process(queries)
        for query, expected in zip(queries, ["ket_hon", "out_of_scope"], strict=True):
            intent, ranking = query.get("intent"), query.get("intent_ranking")
            assert intent["name"] == expected, (intent, expected)
            assert ranking[0]["name"] == expected
            assert sorted(r["name"] for r in ranking) == sorted(INTENTS), ranking
            assert abs(sum(r["confidence"] for r in ranking) - 1.0) < 1e-6, ranking
            assert ranking == sorted(ranking, key=lambda r: -r["confidence"]), ranking

    # A text without any features (nothing tokenised) still gets a full ranking.
    empty = Message(data={"text": ""})
    loaded.process([empty])
    assert len(empty.get("intent_ranking")) == len(INTENTS), empty.get("intent_ranking")


def check_folded_blocks() -> None:
    vocabularies = fit_folded(["giám hộ cho con", "giảm cân"])
    words = [str(w) for w in vocabularies[0]]
    assert "giam" in words and "giam ho" in words and "giám" not in words, words
    written, bare = folded_counter(vocabularies).counts(["giám hộ", "giam ho"])[0].toarray()
    assert (written == bare).all() and written.sum() == 3, (written, bare)  # giam, ho, giam ho


def written_message(intent: str | None, text: str) -> Message:
    """A message whose 'words' features (the text as written) are one column per word."""
    result = Message(data={"text": text, **({"intent": intent} if intent else {})})
    row = np.zeros((1, len(VOCABULARY)))
    for word in text.split():
        if word in VOCABULARY:
            row[0, VOCABULARY.index(word)] += 1.0
    result.add_features(Features(sp.csr_matrix(row), "sentence", "text", "words"))
    return result


VOCABULARY = ["giám", "hộ", "giảm", "cân", "giam", "ho", "can", "cho", "con", "nhanh"]


def trained_then_loaded(directory: Path, examples: list[tuple[str, str]]) -> LinearIntentClassifier:
    """A classifier trained on (intent, text) `examples` as `written_message`s, saved in
    `directory` and loaded back."""
    storage = LocalModelStorage(directory)
    resource = Resource("linear_intent_written")
    context = ExecutionContext(GraphSchema({}), node_name="linear_intent_written")
    config = {"C": 2.0, "temperature_folds": 3, "random_seed": 42}
    trained = LinearIntentClassifier.create(config, storage, resource, context)
    trained.train(TrainingData([written_message(i, t) for i, t in examples]))
    return LinearIntentClassifier.load(config, storage, resource, context)


def check_written_and_folded(directory: Path) -> None:
    """Marks that are present tell "giảm cân" from "giám hộ"; without marks the folded
    blocks still find guardianship, learnt from examples written with marks."""
    examples = [
        ("giam_ho", "giám hộ cho con"),
        ("giam_ho", "giám hộ"),
        ("giam_ho", "làm giám hộ"),
        ("out_of_scope", "giảm cân nhanh"),
        ("out_of_scope", "giảm cân"),
        ("out_of_scope", "cách giảm cân"),
    ]
    loaded = trained_then_loaded(directory, examples)
    assert loaded.model is not None and len(loaded.model.vocabularies) == 2
    for text, expected in (("giảm cân cho con", "out_of_scope"), ("giam ho", "giam_ho")):
        query = written_message(None, text)
        loaded.process([query])
        assert query.get("intent")["name"] == expected, (text, query.get("intent_ranking"))


def check_misread_spellings(directory: Path) -> None:
    """A word typed with other marks than an intent's examples give it ("giảm" against
    "giám") is no evidence for that intent; the same letters typed without marks, or with
    the intent's own, are; and the check survives saving and loading."""
    spellings = Spellings.of(["giám hộ cho con", "giam ho cho con"], ["giam_ho", "giam_ho"])
    assert spellings.without_misread("giảm cân cho con", "giam_ho") == "cân cho con"
    assert spellings.without_misread("giam ho", "giam_ho") == "giam ho"
    assert spellings.without_misread("giám hộ", "giam_ho") == "giám hộ"
    assert spellings.without_misread("giảm cân", "khai_sinh") == "giảm cân"  # no spellings
    examples = [
        ("giam_ho", "giám hộ cho con"),
        ("giam_ho", "giam ho cho con"),
        ("giam_ho", "làm giám hộ"),
        ("giam_ho", "lam giam ho"),
        ("khai_sinh", "khai sinh cho con"),
        ("khai_sinh", "làm khai sinh"),
        ("khai_sinh", "lam khai sinh"),
        ("greet", "chào"),
        ("greet", "xin chào"),
        ("greet", "chao ban"),
    ]
    loaded = trained_then_loaded(directory, examples)

    def guardianship(text: str) -> float:
        query = written_message(None, text)
        loaded.process([query])
        ranking = {r["name"]: r["confidence"] for r in query.get("intent_ranking")}
        return float(ranking["giam_ho"])

    misread, unmarked = guardianship("giảm cân"), guardianship("giam can")
    assert misread < 0.6 < unmarked, (misread, unmarked)
    assert guardianship("giám hộ") > 0.6


def main() -> int:
    check_math()
    check_folded_blocks()
    with tempfile.TemporaryDirectory() as tmp:
        check_train_save_load(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        check_written_and_folded(Path(tmp))
    with tempfile.TemporaryDirectory() as tmp:
        check_misread_spellings(Path(tmp))
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

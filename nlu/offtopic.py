"""A Rasa component that scores how off-topic a message looks: a binary linear SVM,
apart from the intent classifier, that tells our questions from everything else.

The intent classifier answers lookalikes with confidence: "đổi tên facebook" shares its
strongest words with changing a name in the civil register, and nothing in a bag of
n-grams over 60 intents says that "facebook" makes it another matter. A model with one
question, "is this one of ours?", learns that from every intent's examples on one side
and, on the other, the out-of-scope examples and messages written to borrow our words
(`OFF_TOPIC_DIR`: wedding photos, renaming a Zalo account, shop opening hours …), which
are not intent examples, so they move no intent's scores. The bot (bot/answering/
service.py, `is_confident`) does not answer a procedure outright when this score is
above its threshold, and offers the procedures instead; complaints, status requests and
small talk are never held back.

Its own features (word and character n-grams of the text as written and word n-grams of
the folded text, like the classifier's), TF-IDF'd per block; the state is plain arrays
(an `.npz` file, no pickle). Runs inside the Rasa venv, after the intent classifier in
config.yml; the parse result carries `off_topic`, the SVM's signed distance (above 0:
off-topic).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.svm import LinearSVC

from nlu.linear_intent import fit_idf, weighted
from nlu.ngrams import Counter, NgramView
from nlu.rasa_component import ArrayStateComponent
from nlu.training_data import OFF_TOPIC_DIR, read_off_topic

log = logging.getLogger(__name__)

STATE_FILE = "off_topic.npz"
OUTPUT = "off_topic"
# The off-topic side: out-of-scope examples. Small talk is on neither side (a greeting is
# neither a question of ours nor off-topic), and is never held back by the bot.
OFF_TOPIC_INTENT = "out_of_scope"
NEITHER = frozenset({"greet", "thanks", "goodbye", "bot_challenge"})
# The text as written, words and characters, and its folded words.
VIEWS = (
    NgramView("word", (1, 2)),
    NgramView("char_wb", (2, 4), 8000),
    NgramView("word", (1, 2), folded=True),
)


@dataclass
class OffTopicModel:
    """Per view its vocabulary and IDF; the SVM's weights and bias."""

    vocabularies: list[np.ndarray]
    idf: list[np.ndarray]
    weights: np.ndarray
    bias: float

    @classmethod
    def fit(cls, texts: list[str], off_topic: list[bool], c: float, seed: int) -> OffTopicModel:
        """Fit the views' vocabularies and IDF, then a class-balanced linear SVM."""
        vocabularies = [view.fit(texts) for view in VIEWS]
        model = cls(vocabularies, [], np.zeros(0), 0.0)
        counts = model.counts(texts)
        model.idf = [fit_idf(block) for block in counts]
        svm = LinearSVC(C=c, class_weight="balanced", random_state=seed)
        svm.fit(weighted(counts, model.idf), np.array(off_topic))
        model.weights, model.bias = svm.coef_[0], float(svm.intercept_[0])
        return model

    @functools.cached_property
    def counter(self) -> Counter:
        """The views over their vocabularies, built once."""
        return Counter.of(VIEWS, self.vocabularies)

    def counts(self, texts: list[str]) -> list[Any]:
        """Per view, the n-gram counts of `texts` over its vocabulary."""
        return self.counter.counts(texts)

    def scores(self, texts: list[str]) -> np.ndarray:
        """The SVM's signed distance for each text: above 0, off-topic."""
        result: np.ndarray = weighted(self.counts(texts), self.idf) @ self.weights + self.bias
        return result

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The state as named arrays, for `np.savez`."""
        return {
            **{f"vocabulary_{i}": v for i, v in enumerate(self.vocabularies)},
            **{f"idf_{i}": w for i, w in enumerate(self.idf)},
            "weights": self.weights,
            "bias": np.array(self.bias),
        }

    @classmethod
    def from_arrays(cls, arrays: Any) -> OffTopicModel:
        """Read back what `to_arrays` wrote."""
        views = range(len(VIEWS))
        return cls(
            vocabularies=[arrays[f"vocabulary_{i}"] for i in views],
            idf=[arrays[f"idf_{i}"] for i in views],
            weights=arrays["weights"],
            bias=float(arrays["bias"]),
        )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class OffTopicCheck(ArrayStateComponent):
    """Sets each message's `off_topic` score."""

    STATE_FILE = STATE_FILE
    model: OffTopicModel | None

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages this component needs."""
        return ["sklearn", "numpy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """SVM regularisation, seed, and the directory of off-topic lists (None: the
        project's, `OFF_TOPIC_DIR`)."""
        return {"C": 1.0, "random_seed": 42, "lists": None}

    @classmethod
    def model_from_arrays(cls, arrays: Any) -> OffTopicModel:
        """The trained state read back from what `OffTopicModel.to_arrays` wrote."""
        return OffTopicModel.from_arrays(arrays)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit on the intent examples (ours, out-of-scope) and the off-topic lists."""
        texts: list[str] = []
        labels: list[bool] = []
        for message in training_data.intent_examples:
            intent, text = message.get(INTENT), message.get(TEXT)
            if intent and text and intent not in NEITHER:
                texts.append(str(text))
                labels.append(intent == OFF_TOPIC_INTENT)
        lists = self.config["lists"]
        extra = read_off_topic(OFF_TOPIC_DIR if lists is None else Path(str(lists)))
        texts += extra
        labels += [True] * len(extra)
        if len(set(labels)) < 2:
            raise ValueError("the off-topic check needs examples on both sides")
        self.model = OffTopicModel.fit(
            texts, labels, float(self.config["C"]), int(self.config["random_seed"])
        )
        log.info("Off-topic check: %d texts, %d off-topic", len(labels), sum(labels))
        return self.save(self.model.to_arrays())

    def process(self, messages: list[Message]) -> list[Message]:
        """Set each message's `off_topic` score."""
        if self.model is None or not messages:
            return messages
        scores = self.model.scores([str(m.get(TEXT) or "") for m in messages])
        for message, score in zip(messages, scores, strict=True):
            message.set(OUTPUT, round(float(score), 4), add_to_output=True)
        return messages

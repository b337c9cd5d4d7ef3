"""A Rasa intent classifier: TF-IDF over the pipeline's count features, a linear SVM,
and probabilities from a softmax whose temperature is fitted by cross-validation.

The text reaches the model with its diacritics (`nlu.normalize.model_text`), so Rasa's
count featurizers see it as written: "giảm cân" and "giám hộ" share no word. The
classifier adds its own blocks over the same text accent-folded (`FOLDED_VIEWS`: word
and character n-grams of `strip_diacritics(text)`), so a citizen who types "giam ho"
still matches every example of guardianship, written with marks or without.

Runs inside the Rasa venv (Python 3.10), referenced from config.yml as
`nlu.linear_intent.LinearIntentClassifier`; the project root is on Rasa's PYTHONPATH
(`nlu.train.rasa_env`). On this project's short, noisy Vietnamese questions it is
more accurate than DIET and trains in seconds rather than minutes
(docs/nlu-choices.md has the cross-validation figures).

The trained state is plain arrays (an `.npz` file, no pickle): per feature block the
IDF weights, the folded blocks' vocabularies, then the SVM's weights and biases, the
intent names, the temperature and each intent's words written with diacritics (`Spellings`).
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from nlu.ngrams import Counter, NgramView
from nlu.normalize import strip_diacritics
from nlu.rasa_component import ArrayStateComponent

log = logging.getLogger(__name__)

STATE_FILE = "linear_intent.npz"
TEMPERATURES = (0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0)
# The folded blocks, like config.yml's count featurizers for the text as written.
FOLDED_VIEWS = (
    NgramView("word", (1, 2), folded=True),
    NgramView("char_wb", (2, 4), 8000, folded=True),
)


def fit_folded(texts: list[str]) -> list[np.ndarray]:
    """Per folded view, the vocabulary (n-grams in column order) of the folded `texts`."""
    return [view.fit(texts) for view in FOLDED_VIEWS]


def folded_counter(vocabularies: list[np.ndarray]) -> Counter:
    """The folded views' counter over `vocabularies` (none: no folded blocks)."""
    return Counter.of(FOLDED_VIEWS[: len(vocabularies)], vocabularies)


def fit_idf(counts: sp.csr_matrix) -> np.ndarray:
    """Smoothed inverse document frequencies of the columns of a count matrix."""
    documents = counts.shape[0]
    frequency = np.bincount(counts.indices, minlength=counts.shape[1])
    return np.log((1.0 + documents) / (1.0 + frequency)) + 1.0


def tfidf(counts: sp.spmatrix, idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear TF (1 + log count) times IDF, each row scaled to unit length.

    Scales the stored values in place rather than multiplying by diagonal matrices: a
    diagonal as wide as a vocabulary cost milliseconds on every parse."""
    matrix = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()  # a stored zero count is no count (log 0)
    matrix.data = (1.0 + np.log(matrix.data)) * idf[matrix.indices]
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    norms[norms == 0.0] = 1.0
    matrix.data *= np.repeat(1.0 / norms, np.diff(matrix.indptr))
    return matrix


def weighted(blocks: list[sp.spmatrix], idf: list[np.ndarray]) -> sp.csr_matrix:
    """Each featurizer's block TF-IDF weighted (`tfidf`), side by side."""
    return sp.hstack([tfidf(b, w) for b, w in zip(blocks, idf, strict=True)]).tocsr()


def softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Row-wise softmax of `scores / temperature`."""
    scaled = scores / temperature
    scaled -= scaled.max(axis=1, keepdims=True)
    exp = np.exp(scaled)
    result: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
    return result


def fit_temperature(
    features: sp.csr_matrix, labels: np.ndarray, c: float, folds: int, seed: int
) -> float:
    """The temperature that gives held-back examples the lowest log-loss."""
    smallest = int(np.unique(labels, return_counts=True)[1].min())
    folds = min(folds, smallest)
    if folds < 2:
        return 1.0
    classes = np.unique(labels)
    scores = np.zeros((len(labels), len(classes)))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(
        features, labels
    ):
        svm = LinearSVC(C=c, random_state=seed).fit(features[train], labels[train])
        scores[test] = svm.decision_function(features[test])
    truth = np.searchsorted(classes, labels)

    def log_loss(temperature: float) -> float:
        chosen = softmax(scores, temperature)[np.arange(len(truth)), truth]
        return float(-np.log(chosen + 1e-12).mean())

    return min(TEMPERATURES, key=log_loss)


@dataclass(frozen=True)
class Spellings:
    """How each intent's examples write words with diacritics, e.g. giam_ho: {"giám", …}.

    A word typed with diacritics is *misread* for an intent when its examples write the
    same letters only with other marks ("giảm" against "giám"): the folded views, which
    cannot tell them apart, must not count it for that intent. A word they also write
    this way, or never with marks, is not; nor is any word typed without marks.
    """

    words: dict[str, frozenset[str]]  # intent -> its words written with diacritics

    @classmethod
    def of(cls, texts: list[str], intents: list[str]) -> Spellings:
        """The spellings in training `texts` of `intents` (parallel lists)."""
        found: dict[str, set[str]] = {}
        for text, intent in zip(texts, intents, strict=True):
            found.setdefault(intent, set()).update(w for w in text.split() if _marked(w))
        return cls({intent: frozenset(words) for intent, words in found.items()})

    def without_misread(self, text: str, intent: str) -> str:
        """`text` without the words misread for `intent`."""
        spelled = self.words.get(intent)
        if not spelled:
            return text
        folded = self._folded(intent)
        kept = [
            w
            for w in text.split()
            if not (_marked(w) and w not in spelled and strip_diacritics(w) in folded)
        ]
        return " ".join(kept)

    def _folded(self, intent: str) -> frozenset[str]:
        return _folded_spellings(self.words[intent])

    def to_arrays(self, intents: list[str]) -> dict[str, np.ndarray]:
        """As arrays for `np.savez`: each word with the index of its intent."""
        pairs = [(i, w) for i, name in enumerate(intents) for w in sorted(self.words.get(name, ()))]
        return {
            "spelling_intents": np.array([i for i, _ in pairs], dtype=np.int32),
            "spelling_words": np.array([w for _, w in pairs], dtype=str),
        }

    @classmethod
    def from_arrays(cls, arrays: Any, intents: list[str]) -> Spellings:
        """Read back what `to_arrays` wrote (none in a model trained before the check)."""
        if "spelling_words" not in arrays:
            return cls({})
        found: dict[str, set[str]] = {}
        for index, word in zip(arrays["spelling_intents"], arrays["spelling_words"], strict=True):
            found.setdefault(intents[int(index)], set()).add(str(word))
        return cls({intent: frozenset(words) for intent, words in found.items()})


def _marked(word: str) -> bool:
    return strip_diacritics(word) != word


@functools.lru_cache(maxsize=256)
def _folded_spellings(words: frozenset[str]) -> frozenset[str]:
    return frozenset(strip_diacritics(w) for w in words)


@dataclass
class LinearModel:
    """The trained state: feature blocks (the featurizers' by origin, then the folded
    views' by vocabulary) and their IDF, the SVM and the temperature."""

    origins: list[str]
    vocabularies: list[np.ndarray]
    idf: list[np.ndarray]
    weights: np.ndarray
    bias: np.ndarray
    intents: list[str]
    temperature: float
    # Each intent's spellings with diacritics (see `Spellings`); empty: no check.
    spellings: Spellings = field(default_factory=lambda: Spellings({}))

    def blocks(self, messages: list[Message]) -> list[sp.csr_matrix]:
        """Every block's counts for `messages`: the featurizers' then the folded views'."""
        widths = [len(idf) for idf in self.idf[: len(self.origins)]]
        texts = [str(m.get(TEXT) or "") for m in messages]
        return count_blocks(messages, self.origins, widths) + self.folded.counts(texts)

    @functools.cached_property
    def folded(self) -> Counter:
        """The folded views over their vocabularies, built once."""
        return folded_counter(self.vocabularies)

    def scores(self, blocks: list[sp.spmatrix]) -> np.ndarray:
        """The SVM's score of every intent for rows of per-block count features."""
        matrix = weighted(blocks, self.idf)
        result: np.ndarray = matrix @ self.weights.T + self.bias
        return result

    def checked_probabilities(self, messages: list[Message]) -> np.ndarray:
        """Intent probabilities, where a word typed with diacritics counts in the folded
        views only for intents whose examples spell it that way or never with other marks
        (`Spellings.without_misread`): "giảm cân" is no evidence for "giám hộ". The best
        intent is scored again without such words, and so is the one that then leads,
        until the leader is one so checked."""
        blocks = self.blocks(messages)
        scores = self.scores(blocks)
        for row, message in enumerate(messages):
            text = str(message.get(TEXT) or "")
            checked: set[int] = set()
            while (leader := int(np.argmax(scores[row]))) not in checked:
                checked.add(leader)
                kept = self.spellings.without_misread(text, self.intents[leader])
                if kept != text:  # a misread word is no evidence for; it may count against
                    again = self._score_of(leader, blocks, row, kept)
                    scores[row, leader] = min(scores[row, leader], again)
        return softmax(scores, self.temperature)

    def _score_of(self, intent: int, blocks: list[sp.csr_matrix], row: int, text: str) -> float:
        """`intent`'s score for message `row` of `blocks` with its folded views read from
        `text` instead (the featurizers' blocks, of the text as written, unchanged)."""
        written = [block[row] for block in blocks[: len(self.origins)]]
        features = weighted(written + self.folded.counts([text]), self.idf)
        return float((features @ self.weights[intent])[0] + self.bias[intent])

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The state as named arrays, for `np.savez`."""
        arrays = {f"idf_{i}": idf for i, idf in enumerate(self.idf)}
        vocabularies = {f"vocabulary_{i}": v for i, v in enumerate(self.vocabularies)}
        return {
            **arrays,
            **vocabularies,
            "origins": np.array(self.origins),
            "weights": self.weights,
            "bias": self.bias,
            "intents": np.array(self.intents),
            "temperature": np.array(self.temperature),
            **self.spellings.to_arrays(self.intents),
        }

    @classmethod
    def from_arrays(cls, arrays: Any) -> LinearModel:
        """Read back what `to_arrays` wrote."""
        origins = [str(o) for o in arrays["origins"]]
        views = sum(1 for name in arrays if str(name).startswith("vocabulary_"))
        return cls(
            origins=origins,
            vocabularies=[arrays[f"vocabulary_{i}"] for i in range(views)],
            idf=[arrays[f"idf_{i}"] for i in range(len(origins) + views)],
            weights=arrays["weights"],
            bias=arrays["bias"],
            intents=[str(i) for i in arrays["intents"]],
            temperature=float(arrays["temperature"]),
            spellings=Spellings.from_arrays(arrays, [str(i) for i in arrays["intents"]]),
        )


def count_blocks(
    messages: list[Message], origins: list[str], widths: list[int] | None = None
) -> list[sp.csr_matrix]:
    """Per featurizer (by origin), the sparse sentence features of every message.

    A message without features from a featurizer (an empty text) gets a zero row, given
    the block's `widths`; without them such a message is an error.
    """
    blocks = []
    for index, origin in enumerate(origins):
        rows = []
        for message in messages:
            found = [
                f.features
                for f in message.features
                if f.origin == origin
                and f.attribute == TEXT
                and f.type == FEATURE_TYPE_SENTENCE
                and f.is_sparse()
            ]
            if found:
                rows.append(sp.csr_matrix(found[0]))
            elif widths is not None:
                rows.append(sp.csr_matrix((1, widths[index])))
            else:
                raise ValueError(f"a training example has no sparse features from {origin!r}")
        blocks.append(sp.vstack(rows).tocsr())
    return blocks


def sparse_origins(message: Message) -> list[str]:
    """The featurizers that gave `message` sparse sentence features, sorted."""
    return sorted(
        {
            str(f.origin)
            for f in message.features
            if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.is_sparse()
        }
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(ArrayStateComponent, IntentClassifier):
    """Intent classification with a linear SVM over TF-IDF-weighted count features."""

    STATE_FILE = STATE_FILE
    model: LinearModel | None

    @classmethod
    def required_components(cls) -> list[type]:
        """Count featurizers must run first."""
        return [Featurizer]

    @staticmethod
    def required_packages() -> list[str]:
        """Python packages this component needs."""
        return ["sklearn", "scipy", "numpy"]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """SVM regularisation, temperature folds, seed, and whether to add folded blocks."""
        return {"C": 2.0, "temperature_folds": 3, "random_seed": 42, "folded": True}

    @classmethod
    def model_from_arrays(cls, arrays: Any) -> LinearModel:
        """The trained state read back from what `LinearModel.to_arrays` wrote."""
        return LinearModel.from_arrays(arrays)

    def train(self, training_data: TrainingData) -> Resource:
        """Fit IDF weights, the SVM and the temperature on the intent examples."""
        examples = [m for m in training_data.intent_examples if m.get(INTENT) and m.get(TEXT)]
        if not examples:
            raise ValueError("no intent examples to train on")
        origins = sparse_origins(examples[0])
        texts = [str(m.get(TEXT)) for m in examples]
        vocabularies = fit_folded(texts) if self.config["folded"] else []
        counts = count_blocks(examples, origins) + folded_counter(vocabularies).counts(texts)
        idf = [fit_idf(block) for block in counts]
        features = weighted(counts, idf)
        labels = np.array([str(m.get(INTENT)) for m in examples])
        c, seed = float(self.config["C"]), int(self.config["random_seed"])
        temperature = fit_temperature(
            features, labels, c, int(self.config["temperature_folds"]), seed
        )
        svm = LinearSVC(C=c, random_state=seed).fit(features, labels)
        weights, bias = svm.coef_, svm.intercept_
        if len(svm.classes_) == 2:  # a binary SVM has one weight row: make it two
            weights, bias = np.vstack([-weights, weights]), np.concatenate([-bias, bias])
        self.model = LinearModel(
            origins,
            vocabularies,
            idf,
            weights,
            bias,
            [str(c) for c in svm.classes_],
            temperature,
            Spellings.of(texts, [str(label) for label in labels]),
        )
        log.info("Linear intent classifier: %d examples, temperature %s", len(labels), temperature)
        return self.save(self.model.to_arrays())

    def process(self, messages: list[Message]) -> list[Message]:
        """Set each message's intent and the full ranking of intents."""
        if self.model is None or not messages:
            return messages
        probabilities = self.model.checked_probabilities(messages)
        for message, row in zip(messages, probabilities, strict=True):
            scores = sorted(zip(self.model.intents, row, strict=True), key=lambda s: -s[1])
            ranking = [{"name": name, "confidence": float(p)} for name, p in scores]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

"""N-gram views of a text for the project's Rasa components: word or character n-grams
of the text as written or accent-folded, counted over a fixed vocabulary. Runs inside
the Rasa venv (scikit-learn)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer

from nlu.normalize import strip_diacritics


@dataclass(frozen=True)
class NgramView:
    """One view: `analyzer` ("word" or "char_wb") n-grams in `ngrams`, at most `largest`
    in the vocabulary (None: all), of the text folded or as written."""

    analyzer: str
    ngrams: tuple[int, int]
    largest: int | None = None
    folded: bool = False

    def vectorizer(self, vocabulary: list[str] | None = None) -> CountVectorizer:
        """A count vectorizer of this view, to fit (no vocabulary) or over `vocabulary`."""
        return CountVectorizer(
            analyzer=self.analyzer,
            ngram_range=self.ngrams,
            token_pattern=r"\S+",  # the text is normalised already: whitespace-separated words
            lowercase=False,
            max_features=None if vocabulary is not None else self.largest,
            vocabulary=vocabulary,
            dtype=np.float64,
        )

    def texts(self, texts: list[str]) -> list[str]:
        """`texts` as this view reads them."""
        return [strip_diacritics(t) for t in texts] if self.folded else texts

    def fit(self, texts: list[str]) -> np.ndarray:
        """This view's vocabulary (n-grams in column order) of `texts`."""
        fitted = self.vectorizer().fit(self.texts(texts))
        return np.array(fitted.get_feature_names_out(), dtype=str)


@dataclass(frozen=True)
class Counter:
    """Views with their vocabularies, each vectorizer built once: building one indexes
    tens of thousands of n-grams, which cost tens of milliseconds a parse when done on
    every call."""

    views: tuple[NgramView, ...]
    vectorizers: tuple[CountVectorizer, ...]

    @classmethod
    def of(cls, views: tuple[NgramView, ...], vocabularies: list[np.ndarray]) -> Counter:
        """The counter of `views` over `vocabularies` (one per view, in order)."""
        vectorizers = (
            view.vectorizer([str(t) for t in vocabulary])
            for view, vocabulary in zip(views, vocabularies, strict=True)
        )
        return cls(views, tuple(vectorizers))

    def counts(self, texts: list[str]) -> list[sp.csr_matrix]:
        """Per view, the n-gram counts of `texts` over its vocabulary."""
        return [
            sp.csr_matrix(vectorizer.transform(view.texts(texts)))
            for view, vectorizer in zip(self.views, self.vectorizers, strict=True)
        ]

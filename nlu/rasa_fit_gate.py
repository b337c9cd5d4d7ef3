"""Runs inside the Rasa venv (Python 3.10, which has scikit-learn): fit the answer gate's
logistic model (nlu/gate.py).

Usage: python nlu/rasa_fit_gate.py IN_JSON OUT_JSON — IN_JSON holds {"X": rows of
features, "y": whether each answer was right, "folds": each row's fold}; OUT_JSON receives
{"weights", "bias"} of the model fitted on every row, and "out_of_fold": each row's
probability from a model fitted on the other folds' rows.
"""

from __future__ import annotations

import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression


def _model() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=1000)


def main(argv: list[str]) -> int:
    """Entry point."""
    source, target = argv
    with open(source, encoding="utf-8") as handle:
        raw = json.load(handle)
    x, y, folds = np.array(raw["X"]), np.array(raw["y"], dtype=bool), np.array(raw["folds"])
    out_of_fold = np.zeros(len(y))
    for fold in np.unique(folds):
        rest = folds != fold
        out_of_fold[~rest] = _model().fit(x[rest], y[rest]).predict_proba(x[~rest])[:, 1]
    full = _model().fit(x, y)
    result = {
        "weights": full.coef_[0].tolist(),
        "bias": float(full.intercept_[0]),
        "out_of_fold": out_of_fold.tolist(),
    }
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(result, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Parses with the candidate model, which no NLU server runs until it is activated.

A one-shot prediction (nlu/rasa_predict.py in the Rasa venv) loads the model first and
takes about 10–20 s, too long to hold a page. So it runs on one worker thread, one at a
time (each loads a model into memory), with a time limit after which the process is
killed; the page shows "pending" and asks again (htmx) until the result is in. Results are
kept per (model version, folded text), the newest `keep` of them, so a text tried again
shows at once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from subprocess import CalledProcessError, TimeoutExpired

from bot.settings import Settings
from bot.texts import review as texts
from nlu.client import ParseResult
from nlu.normalize import model_text

# How long one prediction may run before its process is killed.
PREDICT_TIMEOUT = 90.0
KEEP = 200

Predict = Callable[[Path, str], ParseResult]


@dataclass(frozen=True)
class Prediction:
    """A candidate's parse of a text, still pending, or why there is none."""

    parse: ParseResult | None = None
    pending: bool = False
    error: str | None = None


def rasa_predict(settings: Settings, timeout: float = PREDICT_TIMEOUT) -> Predict:
    """Parse one text with a model file, as the server would (normalised first)."""
    from nlu.evaluate import predict

    def run(model: Path, text: str) -> ParseResult:
        normalized = model_text(text)
        (parsed,) = predict(settings, model.resolve(), [normalized], timeout=timeout)
        return replace(parsed, text=text)

    return run


class CandidatePredictions:
    """The predictions made and in progress, shared by the console's requests."""

    def __init__(self, predict: Predict, *, timeout: float = PREDICT_TIMEOUT, keep: int = KEEP):
        self._predict = predict
        self._timeout = timeout
        self._keep = keep
        self._lock = threading.Lock()
        self._results: OrderedDict[tuple[str, str], Future[ParseResult]] = OrderedDict()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="candidate")

    def get(self, *, version: str, path: Path | None, text: str) -> Prediction:
        """The prediction for `text` with model `version`; starts it when new."""
        if path is None or not path.is_file():
            return Prediction(error=texts.TRY_CANDIDATE_MISSING)
        key = (version, model_text(text))
        with self._lock:
            future = self._results.get(key)
            if future is None:
                future = self._executor.submit(self._predict, path, text)
                self._results[key] = future
                self._forget_oldest()
            else:
                self._results.move_to_end(key)
        if not future.done():
            return Prediction(pending=True)
        error = future.exception()
        if error is None:
            return Prediction(parse=replace(future.result(), text=text))
        with self._lock:  # a failure is not kept: the next request tries again
            self._results.pop(key, None)
        return Prediction(error=self._describe(error))

    def _forget_oldest(self) -> None:
        while len(self._results) > self._keep:
            oldest = next(iter(self._results))
            if not self._results[oldest].done():
                break
            del self._results[oldest]

    def _describe(self, error: BaseException) -> str:
        if isinstance(error, TimeoutExpired):
            return texts.TRY_CANDIDATE_TIMEOUT.format(seconds=round(self._timeout))
        if isinstance(error, CalledProcessError):
            return texts.TRY_CANDIDATE_FAILED.format(error=f"exit code {error.returncode}")
        return texts.TRY_CANDIDATE_FAILED.format(error=type(error).__name__)

    def shutdown(self) -> None:
        """Stop taking work (a prediction running finishes, within its time limit)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

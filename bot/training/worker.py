"""The background trainer: export the database's intents, `rasa train nlu`, evaluate the
candidate, record the result; one training at a time, in a thread of the process that
started it (the console), so the console and the bot keep serving meanwhile.

The output of the Rasa subprocess goes to a file whose tail is copied to the row every
second; a failure (bad data, Rasa's exit code, any exception) leaves the row "failed"
with its reason and touches no other model. The steps are injectable (tests fake Rasa).
"""

from __future__ import annotations

import logging
import os
import re
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.settings import Settings
from bot.texts import training as texts
from bot.training import service
from bot.training.evaluation import crossval_figures, heldout_figures
from bot.training.figures import CROSSVAL, HELDOUT
from bot.training.models import TrainedModel
from nlu.train import fingerprint, train_from
from nlu.training_data import prepare, read_examples
from nlu.training_export import export_training_data

log = logging.getLogger(__name__)
T = TypeVar("T")
LOG_INTERVAL = 1.0
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")  # Rasa colours some lines of its output


class Trainer(Protocol):
    """Trains a model from the Rasa files in `data_dir`; returns the model file."""

    def __call__(
        self, settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
    ) -> Path: ...


def export_data(session: Session, directory: Path) -> list[Path]:
    """The database's training data as Rasa files in `directory`."""
    return export_training_data(session=session, directory=directory)


@dataclass(frozen=True)
class Steps:
    """What a training does, step by step (each replaceable in tests)."""

    export: Callable[[Session, Path], list[Path]] = export_data
    train: Trainer = train_from
    heldout: Callable[[Settings, Path], dict[str, Any]] = heldout_figures
    crossval: Callable[[Settings, Mapping[str, list[str]], int], dict[str, Any]] = crossval_figures


class NoTrainingData(ValueError):
    """The export produced no example to train on."""


@dataclass(frozen=True)
class Outcome:
    """A successful training: the model file kept in MODELS_DIR, its data, its figures."""

    path: Path
    fingerprint: str
    figures: dict[str, Any]
    # The training examples by intent, for the cross-validation that follows "ready".
    examples: Mapping[str, list[str]] = field(default_factory=dict)


def start(settings: Settings, model_id: int, *, steps: Steps | None = None) -> threading.Thread:
    """Run the training registered as `model_id` (service.start_training) in a thread."""
    thread = threading.Thread(
        target=run_training,
        args=(settings, model_id),
        kwargs={"steps": steps},
        name=f"nlu-training-{model_id}",
        daemon=True,
    )
    thread.start()
    return thread


def run_training(settings: Settings, model_id: int, *, steps: Steps | None = None) -> str:
    """Carry out the training `model_id` to its end; returns the row's final status."""
    steps = steps or Steps()
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.models_dir, prefix=".train-") as tmp:
        work = Path(tmp)
        log_path = work / "training.log"
        with log_path.open("w", encoding="utf-8") as out, LogPump(settings, model_id, log_path):
            try:
                outcome: Outcome | None = _train(settings, model_id, steps, work, out)
                error = None
            except (Exception, SystemExit) as exc:  # SystemExit: Rasa is not installed
                log.warning("Training %d failed: %s", model_id, exc)
                out.write("\n" + "".join(traceback.format_exception(exc)))
                outcome, error = None, failure_reason(exc)
            out.flush()
            status = _db(settings, lambda s: _record(s, settings, model_id, outcome, error))
            if outcome is not None:
                # The model may be activated now; cross-validation only adds figures.
                _crossval(settings, model_id, steps, outcome, out)
    return status


def _record(
    session: Session, settings: Settings, model_id: int, outcome: Outcome | None, error: str | None
) -> str:
    model = service.finish_training(
        session=session,
        model_id=model_id,
        ok=outcome is not None,
        path=outcome.path if outcome else None,
        fingerprint=outcome.fingerprint if outcome else None,
        figures=outcome.figures if outcome else None,
        error=error,
    )
    if outcome is not None:
        service.prune_models(session=session, keep=settings.nlu_models_keep)
    return model.status


def failure_reason(exc: BaseException) -> str:
    """Why a training failed, for the admins."""
    if isinstance(exc, subprocess.CalledProcessError):
        return texts.FAILED_RASA.format(code=exc.returncode)
    if isinstance(exc, NoTrainingData):
        return texts.FAILED_NO_DATA
    return texts.FAILED_EXCEPTION.format(error=str(exc) or type(exc).__name__)


def _train(settings: Settings, model_id: int, steps: Steps, work: Path, out: IO[str]) -> Outcome:
    version = _db(settings, lambda s: _model(s, model_id).version)
    data_dir = work / "data"
    data_dir.mkdir()
    _progress(settings, model_id, texts.PROGRESS_EXPORT, out)
    files = _db(settings, lambda s: steps.export(s, data_dir))
    examples = prepare(read_examples(files))
    if not any(examples.values()):
        raise NoTrainingData(str(data_dir))
    figures: dict[str, Any] = {
        "training": {
            "examples": sum(len(lines) for lines in examples.values()),
            "intents": len(examples),
        }
    }
    _progress(settings, model_id, texts.PROGRESS_TRAIN, out)
    started = time.monotonic()
    produced = steps.train(settings, data_dir, out_dir=work / "out", log=out)
    figures["training"]["seconds"] = round(time.monotonic() - started, 1)
    path = _keep(produced, settings.models_dir / f"{version}.tar.gz")
    _progress(settings, model_id, texts.PROGRESS_HELDOUT, out)
    figures[HELDOUT] = steps.heldout(settings, path)
    _evaluate_active(settings, model_id, steps, out)
    return Outcome(path=path, fingerprint=fingerprint(files), figures=figures, examples=examples)


def _crossval(
    settings: Settings, model_id: int, steps: Steps, outcome: Outcome, out: IO[str]
) -> None:
    """Cross-validate after the model is ready (it takes longer than the training itself,
    and activation needs only the held-out figures); a failure here is only logged."""
    folds = settings.nlu_crossval_folds
    if folds < 2:
        return
    _progress(settings, model_id, texts.PROGRESS_CROSSVAL.format(folds=folds), out)
    try:
        result = steps.crossval(settings, outcome.examples, folds)
    except Exception as exc:
        log.warning("Cross-validation of training %d failed: %s", model_id, exc)
        result = None

    def store(session: Session) -> None:
        row = _model(session, model_id)
        if result is not None:
            row.figures = {**(row.figures or {}), CROSSVAL: result}
        row.progress = texts.PROGRESS_DONE

    _db(settings, store)


def _keep(produced: Path, target: Path) -> Path:
    """Move the model (and the training figures beside it, if any) to its kept name."""
    os.replace(produced, target)
    stats = produced.with_name(produced.name.removesuffix(".tar.gz") + ".json")
    if stats.exists():
        os.replace(stats, target.with_name(target.name.removesuffix(".tar.gz") + ".json"))
    return target


def _evaluate_active(settings: Settings, model_id: int, steps: Steps, out: IO[str]) -> None:
    """Give the active model held-out figures to compare with, when it has none yet
    (e.g. the model the bot started with); a failure here does not fail the training."""
    active = _db(settings, lambda s: service.active_model(session=s))
    if active is None or HELDOUT in (active.figures or {}) or not service.file_exists(active):
        return
    _progress(settings, model_id, texts.PROGRESS_ACTIVE_HELDOUT, out)
    try:
        figures = steps.heldout(settings, Path(str(active.path)))
    except Exception as exc:
        log.warning("Could not evaluate the active model %s: %s", active.version, exc)
        return

    def store(session: Session) -> None:
        row = _model(session, active.id)
        row.figures = {**(row.figures or {}), HELDOUT: figures}

    _db(settings, store)


def _progress(settings: Settings, model_id: int, progress: str, out: IO[str]) -> None:
    out.write(f"\n== {progress}\n")
    out.flush()
    _db(
        settings, lambda s: service.record_progress(session=s, model_id=model_id, progress=progress)
    )


def _model(session: Session, model_id: int) -> TrainedModel:
    model = session.get(TrainedModel, model_id)
    if model is None:
        raise service.ModelNotFound(str(model_id))
    return model


def _db(settings: Settings, work: Callable[[Session], T]) -> T:
    with session_scope(settings.database_url) as session:
        return work(session)


def read_tail(path: Path, limit: int = service.LOG_LIMIT) -> str:
    """The last `limit` bytes of a log file, from a line start when cut."""
    with path.open("rb") as file:
        size = file.seek(0, os.SEEK_END)
        file.seek(max(0, size - limit))
        raw = file.read()
    text = _COLOURS.sub("", raw.decode("utf-8", errors="replace"))
    if size > limit and "\n" in text:
        text = text.split("\n", 1)[1]
    return text


class LogPump:
    """Copies the tail of the training's log file to its row every second, and once at
    the end."""

    def __init__(
        self, settings: Settings, model_id: int, path: Path, interval: float = LOG_INTERVAL
    ) -> None:
        self._settings, self._model_id, self._path = settings, model_id, path
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="nlu-training-log", daemon=True)
        self._last = ""

    def __enter__(self) -> LogPump:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.push()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.push()
            except Exception:
                log.exception("Could not record the training log")

    def push(self) -> None:
        """Record the log's tail if it changed."""
        if not self._path.exists():
            return
        text = read_tail(self._path)
        if text != self._last:
            _db(
                self._settings,
                lambda s: service.record_log(session=s, model_id=self._model_id, log=text),
            )
            self._last = text

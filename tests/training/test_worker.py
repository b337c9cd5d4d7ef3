"""The background trainer, with fake steps (no Rasa) and once for real on a tiny data set."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy.orm import Session

from bot.audit.service import recent
from bot.db import session_factory
from bot.faq.examples import seed_examples
from bot.settings import Settings, get_settings
from bot.texts import training as texts
from bot.training.models import TrainedModel
from bot.training.service import Status, start_training
from bot.training.worker import Steps, read_tail, run_training, start
from nlu.training_data import read_examples, write_rasa_yml
from tests.training.factories import ADMIN, add_model, figures

TINY = {
    "greet": ["xin chao", "chao ban", "chao anh", "chao chi", "xin chao buoi sang", "hello"],
    "ket_hon": [
        "dang ky ket hon",
        "thu tuc ket hon",
        "ket hon can giay to gi",
        "lam giay dang ky ket hon",
        "ho so ket hon",
        "ket hon o dau",
    ],
    "khai_sinh": [
        "dang ky khai sinh",
        "lam giay khai sinh",
        "thu tuc khai sinh cho con",
        "khai sinh can gi",
        "giay khai sinh o dau",
        "ho so khai sinh",
    ],
}


def tiny_export(_session: Session, directory: Path) -> list[Path]:
    """Three intents of six examples each."""
    path = directory / "nlu.yml"
    write_rasa_yml(TINY, path)
    return [path]


def fake_train(
    settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
) -> Path:
    """Pretends to be `rasa train nlu`: writes to the log, makes a model file."""
    assert log is not None
    log.write("Training NLU model...\n<script>alert(1)</script>\n")
    log.flush()
    out_dir.mkdir(parents=True, exist_ok=True)
    model = out_dir / "model.tar.gz"
    model.write_bytes(b"model")
    return model


def fake_heldout(settings: Settings, model: Path) -> dict[str, Any]:
    heldout: dict[str, Any] = figures(0.9, {"greet": 1.0})["heldout"]
    return heldout


def fake_crossval(
    settings: Settings, examples: Mapping[str, list[str]], folds: int
) -> dict[str, Any]:
    return {**figures(0.8, {"greet": 0.9})["heldout"], "folds": folds}


FAKE = Steps(export=tiny_export, train=fake_train, heldout=fake_heldout, crossval=fake_crossval)


@pytest.fixture
def settings(db: Session, db_url: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, models_dir=tmp_path / "models", nlu_crossval_folds=2)


def _start(db: Session) -> TrainedModel:
    model = start_training(session=db, actor=ADMIN)
    db.commit()
    return model


def _reload(db: Session, model: TrainedModel) -> TrainedModel:
    db.expire_all()
    fresh = db.get(TrainedModel, model.id)
    assert fresh is not None
    return fresh


def test_a_training_produces_a_ready_model_with_figures_and_log(
    db: Session, settings: Settings
) -> None:
    model = _start(db)
    assert run_training(settings, model.id, steps=FAKE) == Status.READY
    model = _reload(db, model)
    assert model.status == Status.READY
    assert model.path == str(settings.models_dir / f"{model.version}.tar.gz")
    assert Path(model.path).read_bytes() == b"model"
    assert model.fingerprint and len(model.fingerprint) == 16
    assert model.figures["heldout"]["accuracy"] == 0.9
    assert model.figures["crossval"]["folds"] == 2
    assert model.figures["training"]["examples"] == 18
    assert model.figures["training"]["intents"] == 3
    assert "worker" not in model.figures
    assert model.progress == texts.PROGRESS_DONE
    assert model.log is not None
    assert "Training NLU model..." in model.log
    assert f"== {texts.PROGRESS_HELDOUT}" in model.log
    assert not [p for p in settings.models_dir.iterdir() if p.name.startswith(".train-")]


def test_the_default_export_trains_on_the_database_examples(
    db: Session, settings: Settings, tmp_path: Path
) -> None:
    seed = tmp_path / "seed"
    write_rasa_yml(TINY, seed / "nlu.yml")
    seed_examples(session=db, directory=seed)
    trained_on: dict[str, list[str]] = {}

    def train(
        settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
    ) -> Path:
        trained_on.update(read_examples(sorted(data_dir.glob("*.yml"))))
        return fake_train(settings, data_dir, out_dir=out_dir, log=log)

    model = _start(db)
    run_training(settings, model.id, steps=Steps(train=train, heldout=fake_heldout,
                 crossval=fake_crossval))  # fmt: skip
    assert trained_on == TINY
    assert _reload(db, model).figures["training"] == {
        "examples": 18,
        "intents": 3,
        "seconds": pytest.approx(0, abs=1),
    }


def test_rasa_failing_leaves_the_row_failed_and_the_active_model_untouched(
    db: Session, settings: Settings, tmp_path: Path
) -> None:
    active = add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.95)
    model = _start(db)

    def broken(
        settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
    ) -> Path:
        assert log is not None
        log.write("YamlValidationException: bad data\n")
        raise subprocess.CalledProcessError(1, ["rasa", "train", "nlu"])

    steps = Steps(export=tiny_export, train=broken, heldout=fake_heldout, crossval=fake_crossval)
    assert run_training(settings, model.id, steps=steps) == Status.FAILED
    model = _reload(db, model)
    assert model.error == texts.FAILED_RASA.format(code=1)
    assert model.path is None and model.progress == texts.PROGRESS_FAILED
    assert model.log is not None and "YamlValidationException" in model.log
    assert _reload(db, active).status == Status.ACTIVE
    assert list(settings.models_dir.iterdir()) == []


def test_no_examples_and_exceptions_are_failures_with_a_reason(
    db: Session, settings: Settings
) -> None:
    def empty(_session: Session, directory: Path) -> list[Path]:
        write_rasa_yml({}, directory / "nlu.yml")
        return [directory / "nlu.yml"]

    model = _start(db)
    run_training(settings, model.id, steps=Steps(export=empty, train=fake_train))
    assert _reload(db, model).error == texts.FAILED_NO_DATA

    def crash(settings: Settings, model: Path) -> dict[str, Any]:
        raise RuntimeError("predict crashed")

    model = _start(db)
    run_training(
        settings, model.id, steps=Steps(export=tiny_export, train=fake_train, heldout=crash)
    )
    model = _reload(db, model)
    assert model.status == Status.FAILED
    assert model.error == texts.FAILED_EXCEPTION.format(error="predict crashed")
    assert [entry.after["status"] for entry in recent(  # type: ignore[index]
        session=db, action="nlu_model.training_finished")] == ["failed", "failed"]  # fmt: skip


def test_the_active_model_gets_held_out_figures_when_it_has_none(
    db: Session, settings: Settings, tmp_path: Path
) -> None:
    active = add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path)
    evaluated: list[Path] = []

    def heldout(settings: Settings, model: Path) -> dict[str, Any]:
        evaluated.append(model)
        return fake_heldout(settings, model)

    model = _start(db)
    steps = Steps(export=tiny_export, train=fake_train, heldout=heldout, crossval=fake_crossval)
    run_training(settings, model.id, steps=steps)
    assert evaluated[1] == Path(str(active.path))
    assert _reload(db, active).figures["heldout"]["accuracy"] == 0.9


def test_old_model_files_are_pruned_after_a_training(
    db: Session, settings: Settings, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"nlu_models_keep": 2})
    old = [add_model(db, f"nlu-{n}", Status.READY, directory=tmp_path) for n in (1, 2)]
    model = _start(db)
    run_training(settings, model.id, steps=FAKE)
    assert [_reload(db, m).status for m in old] == [Status.RETIRED, Status.READY]


def test_the_log_reaches_the_row_while_rasa_still_runs(db: Session, settings: Settings) -> None:
    release = threading.Event()

    def slow(
        settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
    ) -> Path:
        assert log is not None
        log.write("epoch 1/2\n")
        log.flush()
        assert release.wait(10)
        return fake_train(settings, data_dir, out_dir=out_dir, log=log)

    model = _start(db)
    thread = start(settings, model.id, steps=Steps(export=tiny_export, train=slow,
                   heldout=fake_heldout, crossval=fake_crossval))  # fmt: skip
    try:
        row = _wait(lambda: _reload(db, model), lambda m: "epoch 1/2" in (m.log or ""))
        assert row.status == Status.TRAINING
        assert row.progress == texts.PROGRESS_TRAIN
    finally:
        release.set()
        thread.join(10)
    assert _reload(db, model).status == Status.READY


def _wait(
    get: Callable[[], TrainedModel], done: Callable[[TrainedModel], bool], timeout: float = 8
) -> TrainedModel:
    deadline = time.monotonic() + timeout
    while True:
        value = get()
        if done(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def test_log_tail_starts_at_a_line(tmp_path: Path) -> None:
    path = tmp_path / "log"
    path.write_text("".join(f"line {n} ünïcode\n" for n in range(5000)), encoding="utf-8")
    with path.open("a", encoding="utf-8") as log:
        log.write("\x1b[92mYour Rasa model is trained\x1b[0m\n")
    tail = read_tail(path, limit=1000)
    assert tail.startswith("line ") and tail.endswith(
        "line 4999 ünïcode\nYour Rasa model is trained\n"
    )
    assert len(tail.encode()) <= 1000


@pytest.mark.e2e
def test_a_real_training_on_a_tiny_data_set(migrated_sqlite: Path, tmp_path: Path) -> None:
    """The real thing: `rasa train nlu` in the Rasa venv, held-out evaluation and 2-fold
    cross-validation of 3 intents × 6 examples, through the worker (once, on SQLite)."""
    shutil.copyfile(migrated_sqlite, tmp_path / "test.db")
    url = f"sqlite:///{tmp_path / 'test.db'}"
    settings = get_settings().model_copy(
        update={"database_url": url, "models_dir": tmp_path / "models", "nlu_crossval_folds": 2}
    )
    with session_factory(url)() as db:
        model = _start(db)
        status = run_training(settings, model.id, steps=Steps(export=tiny_export))
        model = _reload(db, model)
    assert status == Status.READY, model.log
    assert model.path and Path(model.path).stat().st_size > 1000
    assert "Your Rasa model is trained" in (model.log or "")
    heldout, crossval = model.figures["heldout"], model.figures["crossval"]
    assert heldout["examples"] >= 300
    assert heldout["intents"]["ket_hon"]["accuracy"] > 0.5  # it learned something
    assert crossval["examples"] == 18 and crossval["accuracy"] > 0.5
    assert model.figures["training"]["seconds"] > 0

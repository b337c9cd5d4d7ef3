"""The model registry: one training at a time, stale trainings, figures, comparing,
activation with its margin, rollback eligibility, pruning, admins only."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.audit.service import recent
from bot.cases.clock import utcnow
from bot.staff.permissions import Forbidden
from bot.texts import training as texts
from bot.training.figures import compare
from bot.training.overview import models_overview
from bot.training.service import (
    NeedsConfirmation,
    NotActivatable,
    Status,
    TrainingBusy,
    active_model,
    candidate_model,
    fail_stale,
    finish_training,
    get_model,
    list_models,
    prune_models,
    record_log,
    record_progress,
    request_activation,
    start_training,
)
from tests.training.factories import ADMIN, LEADER, OFFICER, add_model, figures


def test_start_training_registers_one_running_model_and_audits(db: Session) -> None:
    model = start_training(session=db, actor=ADMIN)
    assert model.status == Status.TRAINING
    assert model.trained_by == "staff:quantri"
    assert model.version.startswith("nlu-")
    assert model.progress == texts.PROGRESS_QUEUED
    entry = recent(session=db, action="nlu_model.training_started")[0]
    assert (entry.actor, entry.target_id) == ("staff:quantri", model.version)

    with pytest.raises(TrainingBusy) as busy:
        start_training(session=db, actor=ADMIN)
    assert busy.value.version == model.version


def test_versions_stay_unique_within_one_second(db: Session) -> None:
    now = utcnow()
    first = start_training(session=db, actor=ADMIN, now=now)
    finish_training(session=db, model_id=first.id, ok=False, error="x")
    second = start_training(session=db, actor=ADMIN, now=now)
    assert second.version == first.version + "-2"


def test_a_training_whose_process_died_is_failed_at_the_next_start(db: Session) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                          capture_output=True, text=True)  # fmt: skip
    crashed = start_training(session=db, actor=ADMIN)
    crashed.figures = {"worker": {**crashed.figures["worker"], "pid": int(dead.stdout)}}
    db.flush()

    model = start_training(session=db, actor=ADMIN)  # not busy: the other one is dead

    assert crashed.status == Status.FAILED
    assert crashed.error == texts.FAILED_STALE
    assert "worker" not in crashed.figures
    assert model.status == Status.TRAINING


def test_a_training_running_too_long_is_stale_and_a_live_one_is_not(db: Session) -> None:
    live = start_training(session=db, actor=ADMIN)
    old = add_model(db, "nlu-old", Status.TRAINING, age=timedelta(hours=3))
    assert fail_stale(session=db, stale_after=timedelta(hours=1)) == [old]
    assert live.status == Status.TRAINING  # this process is alive and it is recent


def test_progress_log_tail_and_figures_are_recorded(db: Session, tmp_path: Path) -> None:
    model = start_training(session=db, actor=ADMIN)
    record_progress(session=db, model_id=model.id, progress=texts.PROGRESS_TRAIN)
    record_log(session=db, model_id=model.id, log="x" * 30_000 + "END")
    assert model.progress == texts.PROGRESS_TRAIN
    assert model.log is not None and len(model.log) == 20_000 and model.log.endswith("END")

    path = tmp_path / f"{model.version}.tar.gz"
    path.write_bytes(b"model")
    finish_training(session=db, model_id=model.id, ok=True, path=path,
                    fingerprint="abc", figures=figures(0.9, {"greet": 1.0}))  # fmt: skip
    assert model.status == Status.READY
    assert model.progress == texts.PROGRESS_DONE
    assert model.figures["heldout"]["accuracy"] == 0.9
    assert model.finished_at is not None and model.fingerprint == "abc"
    assert candidate_model(session=db) is model
    assert recent(session=db, action="nlu_model.training_finished")[0].after == {
        "status": "ready",
        "error": None,
        "accuracy": 0.9,
    }


def test_a_failed_training_leaves_the_active_model_alone(db: Session, tmp_path: Path) -> None:
    active = add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.9)
    model = start_training(session=db, actor=ADMIN)
    finish_training(session=db, model_id=model.id, ok=False, error="Rasa")
    assert (model.status, model.error) == (Status.FAILED, "Rasa")
    assert active_model(session=db) is active
    assert candidate_model(session=db) is None
    assert [m.version for m in list_models(session=db)] == [model.version, "nlu-active"]


def test_candidate_is_the_newest_ready_model_after_the_active_one(
    db: Session, tmp_path: Path
) -> None:
    add_model(db, "nlu-1", Status.READY, directory=tmp_path)
    add_model(db, "nlu-2", Status.ACTIVE, directory=tmp_path)
    assert candidate_model(session=db) is None  # an older ready one is a rollback target
    newer = add_model(db, "nlu-3", Status.READY, directory=tmp_path)
    assert candidate_model(session=db) is newer


def test_compare_gives_per_intent_deltas_and_the_worse_intents() -> None:
    candidate = figures(0.93, {"greet": 1.0, "ket_hon": 0.8, "new_intent": 0.9})
    active = figures(0.95, {"greet": 0.9, "ket_hon": 1.0})
    comparison = compare(candidate, active)
    assert comparison.accuracy.delta == pytest.approx(-0.02)
    assert comparison.accuracy.worse
    assert comparison.exceeds(0.01) and not comparison.exceeds(0.02)
    assert [row.intent for row in comparison.worse_intents] == ["ket_hon"]
    rows = {row.intent: row for row in comparison.intents}
    assert rows["greet"].heldout.delta == pytest.approx(0.1)
    assert rows["new_intent"].heldout.active is None and not rows["new_intent"].worse
    false_fallback = next(m for m in comparison.overall if m.metric == "false_fallback")
    assert not false_fallback.worse  # equal; and lower is better for this one
    assert compare(candidate, None).accuracy.delta is None


def test_activation_worse_than_the_margin_needs_a_second_confirmation(
    db: Session, tmp_path: Path
) -> None:
    add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.95)
    add_model(db, "nlu-new", Status.READY, directory=tmp_path, accuracy=0.93)

    with pytest.raises(NeedsConfirmation) as needed:
        request_activation(session=db, actor=ADMIN, version="nlu-new", confirmed=False)
    assert needed.value.reasons == [
        "Độ chính xác trên tập kiểm tra giảm 2,0 điểm phần trăm (từ 95,0 % xuống 93,0 %), "
        "nhiều hơn mức cho phép 1,0 điểm."
    ]
    assert get_model(session=db, version="nlu-new").status == Status.READY

    # A wider margin lets it through; so does the second confirmation.
    model = request_activation(
        session=db, actor=ADMIN, version="nlu-new", confirmed=False, margin=0.05
    )
    assert model.status == Status.ACTIVATING
    assert model.activated_by == "staff:quantri"
    entry = recent(session=db, action="nlu_model.activation_requested")[0]
    assert entry.before == {"status": "ready", "active": "nlu-active"}
    assert entry.after is not None and entry.after["rollback"] is False


def test_confirmed_activation_is_audited_with_its_reasons(db: Session, tmp_path: Path) -> None:
    add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.95)
    add_model(db, "nlu-new", Status.READY, directory=tmp_path)  # never evaluated
    with pytest.raises(NeedsConfirmation) as needed:
        request_activation(session=db, actor=ADMIN, version="nlu-new", confirmed=False)
    assert needed.value.reasons == [texts.REASON_NOT_EVALUATED]
    request_activation(session=db, actor=ADMIN, version="nlu-new", confirmed=True)
    entry = recent(session=db, action="nlu_model.activation_requested")[0]
    assert entry.after is not None
    assert entry.after["confirmed_reasons"] == [texts.REASON_NOT_EVALUATED]


def test_rollback_to_any_kept_version_whose_file_exists(db: Session, tmp_path: Path) -> None:
    add_model(db, "nlu-retired", Status.RETIRED, directory=tmp_path, accuracy=0.95)
    gone = add_model(db, "nlu-gone", Status.RETIRED, directory=tmp_path)
    Path(str(gone.path)).unlink()
    add_model(db, "nlu-failed", Status.FAILED)
    add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.94)

    def refusal(version: str) -> str:
        with pytest.raises(NotActivatable) as refused:
            request_activation(session=db, actor=ADMIN, version=version, confirmed=True)
        return refused.value.reason

    assert refusal("nlu-gone") == "missing_file"
    assert refusal("nlu-failed") == "status"
    assert refusal("nlu-active") == "already_active"

    model = request_activation(session=db, actor=ADMIN, version="nlu-retired", confirmed=False)
    assert model.status == Status.ACTIVATING
    entry = recent(session=db, action="nlu_model.activation_requested")[0]
    assert entry.after is not None and entry.after["rollback"] is True

    add_model(db, "nlu-other", Status.READY, directory=tmp_path)
    assert refusal("nlu-other") == "busy"  # one activation at a time


def test_prune_keeps_the_newest_files_and_never_the_active_one(db: Session, tmp_path: Path) -> None:
    active = add_model(db, "nlu-1", Status.ACTIVE, directory=tmp_path)
    old = [add_model(db, f"nlu-{n}", Status.READY, directory=tmp_path) for n in (2, 3)]
    add_model(db, "nlu-4", Status.FAILED)
    newest = [add_model(db, f"nlu-{n}", Status.READY, directory=tmp_path) for n in (5, 6)]
    stats = tmp_path / "nlu-2.json"
    stats.write_text("{}")

    retired = prune_models(session=db, keep=3)

    assert [m.version for m in retired] == ["nlu-3", "nlu-2"]
    assert all(m.status == Status.RETIRED and not Path(str(m.path)).exists() for m in old)
    assert not stats.exists()
    assert Path(str(active.path)).exists() and active.status == Status.ACTIVE
    assert all(Path(str(m.path)).exists() and m.status == Status.READY for m in newest)
    assert recent(session=db, action="nlu_model.pruned")[0].after == {
        "retired": ["nlu-3", "nlu-2"],
        "keep": 3,
    }
    assert prune_models(session=db, keep=3) == []  # nothing more to do


def test_only_admins_train_activate_and_see_the_models(db: Session, tmp_path: Path) -> None:
    add_model(db, "nlu-new", Status.READY, directory=tmp_path)
    for actor in (OFFICER, LEADER):
        with pytest.raises(Forbidden):
            start_training(session=db, actor=actor)
        with pytest.raises(Forbidden):
            request_activation(session=db, actor=actor, version="nlu-new", confirmed=True)
        with pytest.raises(Forbidden):
            models_overview(session=db, actor=actor)
    assert list_models(session=db)[0].status == Status.READY
    assert recent(session=db, action="nlu_model.training_started") == []


def test_overview_shows_running_candidate_and_comparison(db: Session, tmp_path: Path) -> None:
    add_model(db, "nlu-active", Status.ACTIVE, directory=tmp_path, accuracy=0.9)
    add_model(db, "nlu-new", Status.READY, directory=tmp_path, accuracy=0.92)
    running = start_training(session=db, actor=ADMIN)
    overview = models_overview(session=db, actor=ADMIN)
    assert overview.running is running and overview.busy
    assert overview.candidate is not None and overview.candidate.version == "nlu-new"
    assert overview.comparison is not None
    assert overview.comparison.accuracy.delta == pytest.approx(0.02)
    rows = {row.model.version: row for row in overview.rows}
    assert rows["nlu-new"].activatable and not rows["nlu-active"].activatable
    assert rows["nlu-active"].active and rows["nlu-new"].accuracy == 0.92

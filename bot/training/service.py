"""The registry of trained NLU models: starting a training, its progress and result,
which model serves citizens, asking the bot to switch to another one, and pruning.

Status of a row: training → ready | failed; ready → activating (asked here) → active
(the bot process switches without downtime, bot/nlu side) or back to ready with `error`;
the model it replaces goes back to ready; pruning deletes old files and marks rows retired.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.cases.clock import as_utc, local, utcnow
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.texts import training as texts
from bot.training.figures import HELDOUT, Comparison, compare
from bot.training.models import TrainedModel
from bot.training.pruning import prune_models
from bot.training.registry import (
    ACTIVATABLE,
    SYSTEM,
    TARGET,
    ModelNotFound,
    NeedsConfirmation,
    NotActivatable,
    Status,
    TrainingBusy,
    activatable,
    activating_model,
    active_model,
    candidate_model,
    file_exists,
    get_model,
    list_models,
    running_model,
)

__all__ = [
    "ModelNotFound",
    "NeedsConfirmation",
    "NotActivatable",
    "Status",
    "TrainingBusy",
    "activatable",
    "activating_model",
    "active_model",
    "candidate_model",
    "compare",
    "confirmation_reasons",
    "fail_stale",
    "file_exists",
    "finish_training",
    "get_model",
    "list_models",
    "prune_models",
    "record_log",
    "record_progress",
    "request_activation",
    "running_model",
    "start_training",
]

LOG_LIMIT = 20_000  # characters of the training log kept on the row (its tail)
DEFAULT_MARGIN = 0.01
DEFAULT_STALE = timedelta(minutes=60)
_LOCK_KEY = 0x7469_6570  # PostgreSQL advisory lock: one training start at a time


# --- Training ---


def start_training(
    *,
    session: Session,
    actor: Actor,
    now: datetime | None = None,
    stale_after: timedelta = DEFAULT_STALE,
) -> TrainedModel:
    """Register a new training by `actor` (raises TrainingBusy when one is running).

    The caller then runs it (bot.training.worker) once this transaction is committed.
    """
    require_admin(actor)
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    fail_stale(session=session, now=now, stale_after=stale_after)
    running = running_model(session=session)
    if running is not None:
        raise TrainingBusy(running.version)
    model = TrainedModel(
        version=_new_version(session, now),
        status=Status.TRAINING,
        trained_by=actor.tag,
        started_at=now,
        figures={"worker": _this_worker()},
        progress=texts.PROGRESS_QUEUED,
    )
    session.add(model)
    session.flush()
    record(
        session=session,
        actor=actor.tag,
        action="nlu_model.training_started",
        target_type=TARGET,
        target_id=model.version,
        after={"version": model.version, "status": model.status},
    )
    return model


def _new_version(session: Session, now: datetime) -> str:
    base = "nlu-" + local(now).strftime("%Y%m%d-%H%M%S")
    taken = set(
        session.scalars(select(TrainedModel.version).where(TrainedModel.version.like(base + "%")))
    )
    version, n = base, 1
    while version in taken:
        n += 1
        version = f"{base}-{n}"
    return version


def _this_worker() -> dict[str, Any]:
    return {"pid": os.getpid(), "host": socket.gethostname()}


def is_stale(model: TrainedModel, *, now: datetime, stale_after: timedelta) -> bool:
    """True for a "training" row whose process is gone (same machine) or that is too old."""
    if model.status != Status.TRAINING:
        return False
    if now - as_utc(model.started_at) > stale_after:
        return True
    worker = (model.figures or {}).get("worker") or {}
    pid = worker.get("pid")
    if worker.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    return not _process_alive(pid)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fail_stale(
    *, session: Session, now: datetime | None = None, stale_after: timedelta = DEFAULT_STALE
) -> list[TrainedModel]:
    """Mark failed the trainings whose process died (a crash, a restart mid-training)."""
    now = now or utcnow()
    stale = [
        model
        for model in session.scalars(
            select(TrainedModel).where(TrainedModel.status == Status.TRAINING)
        )
        if is_stale(model, now=now, stale_after=stale_after)
    ]
    for model in stale:
        _finish(session, model, Status.FAILED, error=texts.FAILED_STALE, now=now)
    return stale


def record_progress(*, session: Session, model_id: int, progress: str) -> None:
    """Show what the training is doing now."""
    model = session.get(TrainedModel, model_id)
    if model is not None:
        model.progress = progress[:200]


def record_log(*, session: Session, model_id: int, log: str) -> None:
    """Keep the tail of the training's output (the last LOG_LIMIT characters)."""
    model = session.get(TrainedModel, model_id)
    if model is not None:
        model.log = log[-LOG_LIMIT:]


def finish_training(
    *,
    session: Session,
    model_id: int,
    ok: bool,
    path: Path | None = None,
    fingerprint: str | None = None,
    figures: dict[str, Any] | None = None,
    error: str | None = None,
    now: datetime | None = None,
) -> TrainedModel:
    """Record the result: ready with the model's file and figures, or failed with `error`."""
    model = session.get(TrainedModel, model_id)
    if model is None:
        raise ModelNotFound(str(model_id))
    if path is not None:
        model.path = str(path)
    model.fingerprint = fingerprint or model.fingerprint
    if figures is not None:
        model.figures = dict(figures)
    _finish(session, model, Status.READY if ok else Status.FAILED, error=error, now=now)
    return model


def _finish(
    session: Session,
    model: TrainedModel,
    status: Status,
    *,
    error: str | None,
    now: datetime | None,
) -> None:
    model.figures = {k: v for k, v in (model.figures or {}).items() if k != "worker"}
    model.status = status
    model.error = error
    model.finished_at = now or utcnow()
    model.progress = texts.PROGRESS_DONE if status is Status.READY else texts.PROGRESS_FAILED
    accuracy = (model.figures.get(HELDOUT) or {}).get("accuracy")
    record(
        session=session,
        actor=SYSTEM,
        action="nlu_model.training_finished",
        target_type=TARGET,
        target_id=model.version,
        before={"status": Status.TRAINING.value},
        after={"status": status.value, "error": error, "accuracy": accuracy},
    )


# --- Activation, rollback, pruning ---


def confirmation_reasons(
    candidate: TrainedModel, active: TrainedModel | None, *, margin: float
) -> list[str]:
    """Why activating `candidate` instead of `active` needs a second confirmation."""
    if active is None or active.id == candidate.id:
        return []
    comparison: Comparison = compare(candidate.figures or {}, active.figures or {})
    accuracy = comparison.accuracy
    if accuracy.candidate is None and accuracy.active is not None:
        return [texts.REASON_NOT_EVALUATED]
    if comparison.exceeds(margin) and accuracy.delta is not None:
        return [
            texts.REASON_WORSE.format(
                drop=_points(-accuracy.delta),
                active=_percent(accuracy.active),
                candidate=_percent(accuracy.candidate),
                margin=_points(margin),
            )
        ]
    return []


def _points(value: float) -> str:
    return f"{100 * value:.1f}".replace(".", ",")


def _percent(value: float | None) -> str:
    return "—" if value is None else _points(value) + " %"


def request_activation(
    *,
    session: Session,
    actor: Actor,
    version: str,
    confirmed: bool,
    margin: float = DEFAULT_MARGIN,
) -> TrainedModel:
    """Ask the bot to serve `version` (a candidate, or an older one: rollback).

    Raises NotActivatable, or NeedsConfirmation when its held-out accuracy is worse than
    the active model's by more than `margin` and `confirmed` is false.
    """
    require_admin(actor)
    model = get_model(session=session, version=version)
    if model.status == Status.ACTIVE:
        raise NotActivatable("already_active")
    if model.status not in ACTIVATABLE:
        raise NotActivatable("status")
    if not file_exists(model):
        raise NotActivatable("missing_file")
    if activating_model(session=session) is not None:
        raise NotActivatable("busy")
    active = active_model(session=session)
    reasons = confirmation_reasons(model, active, margin=margin)
    if reasons and not confirmed:
        raise NeedsConfirmation(reasons)
    before = {"status": model.status, "active": active.version if active else None}
    model.status = Status.ACTIVATING
    model.error = None
    model.activated_by = actor.tag
    record(
        session=session,
        actor=actor.tag,
        action="nlu_model.activation_requested",
        target_type=TARGET,
        target_id=model.version,
        before=before,
        after={
            "status": model.status,
            "rollback": bool(active and model.id < active.id),
            "confirmed_reasons": reasons,
        },
    )
    return model

"""Reading the registry of trained NLU models: statuses, the errors of its services,
which model serves citizens, which one is the candidate."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.training.models import TrainedModel

SYSTEM = "system:trainer"  # the audit actor of what the background trainer does
TARGET = "nlu_model"  # the audit target type


class Status(StrEnum):
    """Where a model is in its life."""

    TRAINING = "training"
    FAILED = "failed"
    READY = "ready"
    ACTIVATING = "activating"
    ACTIVE = "active"
    RETIRED = "retired"


ACTIVATABLE = (Status.READY, Status.RETIRED)


class TrainingBusy(RuntimeError):
    """A training is already running (`version`)."""

    def __init__(self, version: str) -> None:
        super().__init__(version)
        self.version = version


class ModelNotFound(LookupError):
    """No model has this version."""


class NotActivatable(ValueError):
    """The model cannot be activated now; `reason` is a key of texts.NOT_ACTIVATABLE."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class NeedsConfirmation(Exception):
    """Activating this model needs a second confirmation, for these `reasons`."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons


# --- Reading ---


def list_models(*, session: Session) -> list[TrainedModel]:
    """Every model, newest first."""
    return list(session.scalars(select(TrainedModel).order_by(TrainedModel.id.desc())))


def get_model(*, session: Session, version: str) -> TrainedModel:
    """The model of `version` (raises ModelNotFound)."""
    model = session.scalars(select(TrainedModel).where(TrainedModel.version == version)).first()
    if model is None:
        raise ModelNotFound(version)
    return model


def _newest(session: Session, *statuses: Status, after: int = 0) -> TrainedModel | None:
    stmt = (
        select(TrainedModel)
        .where(TrainedModel.status.in_(statuses), TrainedModel.id > after)
        .order_by(TrainedModel.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def active_model(*, session: Session) -> TrainedModel | None:
    """The model serving citizens."""
    return _newest(session, Status.ACTIVE)


def candidate_model(*, session: Session) -> TrainedModel | None:
    """The newest ready model trained after the active one (the one to try or activate)."""
    active = active_model(session=session)
    return _newest(session, Status.READY, after=active.id if active else 0)


def running_model(*, session: Session) -> TrainedModel | None:
    """The training in progress, if any."""
    return _newest(session, Status.TRAINING)


def activating_model(*, session: Session) -> TrainedModel | None:
    """The model the bot is switching to, if any."""
    return _newest(session, Status.ACTIVATING)


def file_exists(model: TrainedModel) -> bool:
    """True when the model's file is still on disk."""
    return bool(model.path) and Path(str(model.path)).is_file()


def activatable(model: TrainedModel) -> bool:
    """True when the model may be activated (or rolled back to)."""
    return model.status in ACTIVATABLE and file_exists(model)

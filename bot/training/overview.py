"""What the models page shows: every version, the training or activation in progress,
and the candidate's figures beside the active model's (admins only)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.staff.permissions import require_admin
from bot.staff.roles import Actor
from bot.training.figures import CROSSVAL, HELDOUT, Comparison, compare
from bot.training.models import TrainedModel
from bot.training.registry import (
    Status,
    activatable,
    activating_model,
    active_model,
    candidate_model,
    file_exists,
    list_models,
    running_model,
)


@dataclass(frozen=True)
class ModelRow:
    """One version in the list."""

    model: TrainedModel
    file_exists: bool
    activatable: bool
    accuracy: float | None  # held-out top-1
    crossval: float | None

    @property
    def active(self) -> bool:
        """True for the model serving citizens."""
        return self.model.status == Status.ACTIVE


@dataclass(frozen=True)
class ModelsOverview:
    """The models page's data."""

    rows: list[ModelRow]
    active: TrainedModel | None
    candidate: TrainedModel | None
    running: TrainedModel | None
    activating: TrainedModel | None
    last_failed: TrainedModel | None  # the newest training, when it failed
    comparison: Comparison | None  # candidate beside active

    @property
    def busy(self) -> bool:
        """True while a training or an activation is under way (the page refreshes)."""
        return self.running is not None or self.activating is not None


def models_overview(*, session: Session, actor: Actor) -> ModelsOverview:
    """Everything the models page shows."""
    require_admin(actor)
    models = list_models(session=session)
    active = active_model(session=session)
    candidate = candidate_model(session=session)
    newest = models[0] if models else None
    return ModelsOverview(
        rows=[_row(model) for model in models],
        active=active,
        candidate=candidate,
        running=running_model(session=session),
        activating=activating_model(session=session),
        last_failed=newest if newest and newest.status == Status.FAILED else None,
        comparison=(
            compare(candidate.figures or {}, active.figures if active else None)
            if candidate
            else None
        ),
    )


def _row(model: TrainedModel) -> ModelRow:
    figures = model.figures or {}
    return ModelRow(
        model=model,
        file_exists=file_exists(model),
        activatable=activatable(model),
        accuracy=(figures.get(HELDOUT) or {}).get("accuracy"),
        crossval=(figures.get(CROSSVAL) or {}).get("accuracy"),
    )

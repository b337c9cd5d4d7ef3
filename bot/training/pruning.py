"""Bounding the model files kept on disk (for rollback): older ones are deleted and
their rows marked retired; the active model and the one being activated are never touched."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.training.models import TrainedModel
from bot.training.registry import ACTIVATABLE, SYSTEM, TARGET, Status, file_exists


def prune_models(*, session: Session, keep: int) -> list[TrainedModel]:
    """Keep the `keep` newest model files (the active and activating ones always); delete
    the other files and mark their rows retired. Returns the rows retired now."""
    protected = (Status.ACTIVE, Status.ACTIVATING)
    rows = list(
        session.scalars(
            select(TrainedModel)
            .where(TrainedModel.status.in_((*protected, *ACTIVATABLE)))
            .order_by(TrainedModel.id.desc())
        )
    )
    slots = keep - sum(row.status in protected for row in rows)
    retired: list[TrainedModel] = []
    for row in rows:
        if row.status in protected:
            continue
        if file_exists(row) and slots > 0:
            slots -= 1
            continue
        if row.status == Status.RETIRED and not file_exists(row):
            continue
        _delete_files(row.path)
        row.status = Status.RETIRED
        retired.append(row)
    if retired:
        record(
            session=session,
            actor=SYSTEM,
            action="nlu_model.pruned",
            target_type=TARGET,
            after={"retired": [row.version for row in retired], "keep": keep},
        )
    return retired


def _delete_files(path: str | None) -> None:
    if not path:
        return
    model = Path(path)
    stats = model.with_name(model.name.removesuffix(".tar.gz") + ".json")
    for file in (model, stats):
        file.unlink(missing_ok=True)

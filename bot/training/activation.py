"""The bot process's side of activating a model: which model to serve at start, and
carrying out an activation requested in the registry (status "activating").

The console and `tiepdan nlu activate` only mark a row "activating"
(bot.training.service.request_activation); the process that serves citizens notices it
within a second or two, switches with no downtime (nlu.switch), and records the outcome:
the row "active" and the previous one "ready", or on failure the row back to "ready"
with the reason while the old model keeps serving.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.cases.clock import utcnow
from bot.db import session_scope
from bot.settings import Settings
from bot.texts import activation as activation_texts
from bot.training.models import TrainedModel
from bot.training.registry import Status, active_model, file_exists, get_model
from nlu.supervisor import wait_stop
from nlu.switch import ModelSwitch, SwitchFailed

log = logging.getLogger(__name__)

SYSTEM = "system"
POLL_INTERVAL = 1.0
_FINGERPRINT = re.compile(r"^nlu-([0-9a-f]{16})")


@dataclass(frozen=True)
class Pending:
    """An activation the bot process is about to carry out."""

    version: str
    path: Path


def version_of(model: Path) -> str:
    """A model file's version: its name without .tar.gz."""
    return model.name.removesuffix(".tar.gz")


def model_to_serve(*, session: Session) -> Path | None:
    """The active model's file, if there is an active model and its file exists."""
    row = active_model(session=session)
    return Path(str(row.path)) if row is not None and file_exists(row) else None


def register_serving(
    *, session: Session, model: Path, actor: str = SYSTEM, now: datetime | None = None
) -> TrainedModel:
    """Record that `model` serves citizens (the start-up model): its row becomes the
    only active one, created if the registry does not know it yet."""
    now = now or utcnow()
    version = version_of(model)
    row = session.scalar(select(TrainedModel).where(TrainedModel.version == version))
    if row is None:
        found = _FINGERPRINT.match(version)
        row = TrainedModel(
            version=version,
            path=str(model),
            fingerprint=found.group(1) if found else None,
            status=Status.ACTIVE,
            trained_by=actor,
            finished_at=now,
            figures={},
        )
        session.add(row)
    if row.status != Status.ACTIVE:
        row.activated_at, row.activated_by = now, actor
    row.status, row.path, row.error, row.progress = Status.ACTIVE, str(model), None, None
    session.flush()
    for other in _rows(session, Status.ACTIVE):
        if other.id != row.id:
            gone = not file_exists(other)
            other.status = Status.RETIRED if gone else Status.READY
            other.error = activation_texts.FILE_GONE if gone else other.error
    return row


def claim_activation(*, session: Session) -> Pending | None:
    """The newest "activating" row, noted as being switched to; older requests are
    superseded (back to "ready")."""
    rows = _rows(session, Status.ACTIVATING)
    if not rows:
        return None
    newest, *older = rows
    for row in older:
        row.status, row.progress = Status.READY, None
    newest.progress, newest.error = activation_texts.SWITCHING, None
    return Pending(version=newest.version, path=Path(newest.path or ""))


def complete_activation(*, session: Session, version: str, now: datetime | None = None) -> None:
    """`version` serves citizens now; the model that did before is "ready" again."""
    row = get_model(session=session, version=version)
    before = _state(row)
    previous = [r for r in _rows(session, Status.ACTIVE) if r.id != row.id]
    for other in previous:
        other.status = Status.READY
    row.status, row.progress, row.error = Status.ACTIVE, None, None
    row.activated_at = now or utcnow()
    row.activated_by = row.activated_by or SYSTEM
    _audit(session, row, "nlu_model.activated", before, previous=[r.version for r in previous])


def fail_activation(*, session: Session, version: str, detail: str) -> None:
    """The switch to `version` failed: back to "ready" with the reason."""
    row = get_model(session=session, version=version)
    before = _state(row)
    row.status, row.progress = Status.READY, None
    row.error = activation_texts.FAILED.format(detail=detail)
    _audit(session, row, "nlu_model.activation_failed", before)


def _rows(session: Session, status: Status) -> list[TrainedModel]:
    stmt = select(TrainedModel).where(TrainedModel.status == status)
    return list(session.scalars(stmt.order_by(TrainedModel.id.desc())))


def _state(row: TrainedModel) -> dict[str, Any]:
    return {"status": row.status, "error": row.error}


def _audit(
    session: Session, row: TrainedModel, action: str, before: dict[str, Any], **extra: Any
) -> None:
    record(
        session=session,
        actor=row.activated_by or SYSTEM,
        action=action,
        target_type="nlu_model",
        target_id=row.version,
        before=before,
        after={**_state(row), **extra},
    )


# --- In the bot process -------------------------------------------------------------


def startup_model(settings: Settings, train: Callable[[Settings], Path]) -> Path:
    """The model to serve at start: the active one when its file exists, else the one
    `train` gives (trained from the current data if needed), registered as active."""
    with session_scope(settings.database_url) as session:
        active = model_to_serve(session=session)
    if active is not None:
        return active
    model = train(settings)
    with session_scope(settings.database_url) as session:
        register_serving(session=session, model=model)
    return model


async def watch_activations(
    settings: Settings,
    switch: ModelSwitch,
    stop: asyncio.Event,
    *,
    interval: float = POLL_INTERVAL,
) -> None:
    """Until `stop` is set: carry out every activation requested in the registry.
    Cancelled mid-switch, the row stays "activating" and the next start does it."""
    while not await wait_stop(stop, interval):
        try:
            pending = await asyncio.to_thread(_claim, settings)
        except Exception:
            log.exception("Could not read the model registry; trying again")
            continue
        if pending is not None:
            await _activate(settings, switch, pending)


async def _activate(settings: Settings, switch: ModelSwitch, pending: Pending) -> None:
    log.info("Activating NLU model %s", pending.version)
    try:
        if not pending.path.is_file():
            raise SwitchFailed(activation_texts.MISSING_FILE.format(path=pending.path))
        if switch.model is None or pending.path.resolve() != switch.model.resolve():
            await switch.switch(pending.path)
    except Exception as exc:
        log.error("Activation of %s failed; the old model keeps serving: %s", pending.version, exc)
        await asyncio.to_thread(_fail, settings, pending.version, str(exc))
        return
    await asyncio.to_thread(_complete, settings, pending.version)
    log.info("NLU model %s is active", pending.version)


def _claim(settings: Settings) -> Pending | None:
    with session_scope(settings.database_url) as session:
        return claim_activation(session=session)


def _complete(settings: Settings, version: str) -> None:
    with session_scope(settings.database_url) as session:
        complete_activation(session=session, version=version)


def _fail(settings: Settings, version: str, detail: str) -> None:
    with session_scope(settings.database_url) as session:
        fail_activation(session=session, version=version, detail=detail)

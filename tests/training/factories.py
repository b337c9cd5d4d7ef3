"""Model rows for tests: registered directly, with a model file and figures when asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.staff.roles import Actor, Role
from bot.training.models import TrainedModel

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
OFFICER = Actor(id=2, username="canbo.qh", role=Role.OFFICER, unit_code="QH")
LEADER = Actor(id=3, username="lanhdao.all", role=Role.LEADER, unit_code=None)


def figures(accuracy: float, intents: dict[str, float] | None = None) -> dict[str, Any]:
    """Held-out figures with `accuracy` overall and per intent (10 examples each)."""
    return {
        "heldout": {
            "examples": 10 * len(intents or {}),
            "accuracy": accuracy,
            "macro_f1": accuracy,
            "accuracy_no_diacritics": accuracy,
            "oos_recall": 0.9,
            "false_fallback": 0.05,
            "intents": {
                name: {"n": 10, "accuracy": value, "f1": value}
                for name, value in (intents or {}).items()
            },
        }
    }


def add_model(
    session: Session,
    version: str,
    status: str,
    *,
    directory: Path | None = None,
    accuracy: float | None = None,
    intents: dict[str, float] | None = None,
    age: timedelta = timedelta(0),
    started_at: datetime | None = None,
) -> TrainedModel:
    """A model row; with `directory`, its file exists there."""
    path = None
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{version}.tar.gz"
        path.write_bytes(b"model")
    model = TrainedModel(
        version=version,
        path=str(path) if path else None,
        fingerprint="0123456789abcdef",
        status=status,
        trained_by="staff:quantri",
        started_at=started_at or utcnow() - age,
        figures=figures(accuracy, intents) if accuracy is not None else {},
    )
    session.add(model)
    session.flush()
    return model

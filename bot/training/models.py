"""The registry of trained NLU models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class TrainedModel(Base):
    """One training run and the model file it produced (kept on disk for rollback)."""

    __tablename__ = "nlu_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The model file's name without .tar.gz, e.g. nlu-5bf3fc3160fd865d-20261203T1200.
    version: Mapped[str] = mapped_column(String(100), unique=True)
    path: Mapped[str | None] = mapped_column(String(500))
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    # training | failed | ready | active | retired
    status: Mapped[str] = mapped_column(String(16), index=True)
    trained_by: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Held-out and cross-validation figures, per intent too ({"heldout": {...}, ...}).
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    progress: Mapped[str | None] = mapped_column(String(200))
    log: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    activated_by: Mapped[str | None] = mapped_column(String(64))

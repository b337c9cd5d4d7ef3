"""Updates already handled, so one delivered twice (a webhook retry after an instance died
before answering) is not handled again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class ProcessedUpdate(Base):
    """One Telegram update this bot (any of its processes) has handled."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

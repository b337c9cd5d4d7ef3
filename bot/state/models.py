"""Conversation state and per-user data kept across restarts (PTB persistence)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class StoredState(Base):
    """One persisted value: a user's data, a chat's data, or one conversation's state."""

    __tablename__ = "bot_state"

    # "user_data", "chat_data" or "conversation:<name>".
    namespace: Mapped[str] = mapped_column(String(100), primary_key=True)
    # The user / chat id, or the conversation key as JSON ("[chat_id, user_id]").
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

"""Every message a citizen sends, with what the NLU made of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Float, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class InboundMessage(Base):
    """One incoming citizen text and its NLU result (admins mine these for examples)."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Telegram's update id makes a redelivered update land on the same row.
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(64), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    # [{"name": intent, "confidence": float}, ...] as Rasa ranked them.
    ranking: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    action: Mapped[str] = mapped_column(String(32))
    nlu_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    # An admin's decision in "Câu hỏi chưa trả lời được": assigned | dismissed.
    review_state: Mapped[str | None] = mapped_column(String(16))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))

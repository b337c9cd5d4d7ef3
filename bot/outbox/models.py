"""Messages waiting to be sent to citizens, delivered by the bot process with retries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base


class OutboxMessage(Base):
    """One message for one chat: pending until sent, failed for good, or uncertain (an
    attempt that may have reached Telegram, left for staff to check and send again)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    text: Mapped[str] = mapped_column(Text)
    parse_mode: Mapped[str | None] = mapped_column(String(16))
    # An InlineKeyboardMarkup as Bot API JSON ({"inline_keyboard": [[...]]}).
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    # citizen (news of their case) | staff_alert | staff_digest (to a unit's staff group).
    purpose: Mapped[str] = mapped_column(String(16), default="citizen", server_default="citizen")
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Which sender process holds the message, until when (bot.outbox.claims).
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set, and committed, just before a send; cleared with its outcome. Still set after
    # the lease ran out: the sender died mid-send, and the message may have gone out.
    sending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        # Each chat's pending messages in order: finds a chat's head (migration 0010).
        Index(
            "ix_outbox_pending_chat_id",
            "chat_id",
            "id",
            postgresql_where=sql("status = 'pending'"),
            sqlite_where=sql("status = 'pending'"),
        ),
    )

"""FAQ answers, keyed by the NLU intent that asks for them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db import Base

# Re-exported: importing the FAQ models turns on the revision's Session events.
from bot.faq.revision import KnowledgeRevision as KnowledgeRevision

PROCEDURE = "procedure"
REFERRAL = "referral"


class FaqAnswer(Base):
    """The answer the bot gives for one intent; editing a row is live at once."""

    __tablename__ = "faq_answers"

    intent: Mapped[str] = mapped_column(String(64), primary_key=True)
    # "procedure" (one of ours) | "referral" (another body's: bot/faq/referrals.py)
    kind: Mapped[str] = mapped_column(String(16), default=PROCEDURE, server_default=PROCEDURE)
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str | None] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    # Ordered [{"label": ..., "text": ...}] blocks of plain text; rendering escapes them.
    sections: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    source_url: Mapped[str | None] = mapped_column(String(500))
    checked_on: Mapped[date | None] = mapped_column(Date)
    # An inactive intent is not answered (nor trained) but keeps its data.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class FaqExample(Base):
    """One training example of an intent (the database is the source of truth at run time;
    `nlu/data/train/*.yml` seeds a new database and is the import/export format)."""

    __tablename__ = "faq_examples"
    __table_args__ = (UniqueConstraint("intent", "text"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intent: Mapped[str] = mapped_column(String(64), index=True)
    text: Mapped[str] = mapped_column(Text)
    # seed (from the repository's files) | admin (typed in the console) | citizen (a
    # citizen's question an admin assigned to the intent)
    source: Mapped[str] = mapped_column(String(16), default="seed")
    created_by: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FaqTopic(Base):
    """A group of procedures shown as one menu button."""

    __tablename__ = "faq_topics"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    intents: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Accent-folded field names that stand for the whole topic (bot/faq/topic_match.py).
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)


class AnswerFeedback(Base):
    """A citizen's "Hữu ích" / "Chưa đúng" on an answer the bot gave."""

    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    intent: Mapped[str] = mapped_column(String(64), index=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    # The question that led to the answer, when it came from free text.
    inbound_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_messages.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # An admin's decision in "Câu hỏi chưa trả lời được": assigned | dismissed.
    review_state: Mapped[str | None] = mapped_column(String(16))
    reviewed_by: Mapped[str | None] = mapped_column(String(64))

"""Cases, their attachments and their append-only event log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.cases.search import identity_text, search_text
from bot.cases.status import OPEN
from bot.db import Base
from bot.staff.models import StaffUser
from bot.units.models import Unit

# Open cases as the inbox asks for them by default (sorted as bot.cases.inbox sorts them).
OPEN_CASES_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(OPEN)))


class Case(Base):
    """One kiến nghị – phản ánh, khiếu nại or tố cáo lodged by a citizen."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    # The conversation's draft id: a redelivered confirmation finds this case again.
    draft_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    unit_code: Mapped[str] = mapped_column(ForeignKey(Unit.code), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # An anonymous tố cáo is handled as information (tin báo), not under the Law on Denunciations.
    as_information: Mapped[bool] = mapped_column(Boolean, default=False)
    # The denouncer's identity is confidential (Luật Tố cáo art. 9, 47).
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    citizen_name: Mapped[str | None] = mapped_column(String(100))
    citizen_phone: Mapped[str | None] = mapped_column(String(20))
    citizen_id_number: Mapped[str | None] = mapped_column(String(12))
    citizen_address: Mapped[str | None] = mapped_column(String(300))
    address_detail: Mapped[str] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # The kind's content fields as the citizen gave them ({"content": ..., "request": ...}).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    consent_handling: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_notify: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    personal_data_erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    # --- Follow-up by staff (the console) ---
    # Optimistic locking: two officers acting at once, the second is told to reload.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    assigned_to_id: Mapped[int | None] = mapped_column(
        ForeignKey(StaffUser.id, ondelete="SET NULL"), index=True
    )
    # What `due_on` is the deadline of (bot.cases.deadlines.DueKind).
    due_kind: Mapped[str] = mapped_column(String(16), default="inform", server_default="inform")
    extensions: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Where a case was guided or transferred to; why it was not accepted.
    routed_to: Mapped[str | None] = mapped_column(String(300))
    status_reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="SET NULL"))
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Accent-folded, lower-case text for search: code, content, the incident address.
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The citizen's identity, folded likewise; searched only where the searcher may see it.
    search_identity: Mapped[str | None] = mapped_column(Text)

    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="case", order_by="Attachment.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(back_populates="case", order_by="CaseEvent.id")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_cases_status_due_on", "status", "due_on"),
        Index("ix_cases_unit_code_status_due_on", "unit_code", "status", "due_on"),
        Index("ix_cases_received_at", "received_at"),
        Index(
            "ix_cases_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
        ),
        # The inbox (migration 0007): identity search; open cases soonest due first, of
        # all units or of one, read in index order (the status IN list is the inbox's).
        Index(
            "ix_cases_search_identity",
            "search_identity",
            postgresql_using="gin",
            postgresql_ops={"search_identity": "gin_trgm_ops"},
        ),
        Index(
            "ix_cases_open_due_on",
            "due_on",
            "id",
            postgresql_where=text(OPEN_CASES_SQL),
            sqlite_where=text(OPEN_CASES_SQL),
        ),
        Index(
            "ix_cases_open_unit_code_due_on",
            "unit_code",
            "due_on",
            "id",
            postgresql_where=text(OPEN_CASES_SQL),
            sqlite_where=text(OPEN_CASES_SQL),
        ),
    )


@event.listens_for(Case, "before_insert")
@event.listens_for(Case, "before_update")
def _refresh_search(_mapper: object, _connection: object, case: Case) -> None:
    """Keep the folded search columns in step with what they are made of, on every write."""
    case.search_text = search_text(case.code, case.details or {}, case.address_detail)
    case.search_identity = identity_text(
        case.citizen_name, case.citizen_phone, case.citizen_id_number, case.citizen_address
    )


class Attachment(Base):
    """A file the citizen sent with a case, stored by content hash under var/attachments."""

    __tablename__ = "case_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    mime_type: Mapped[str] = mapped_column(String(100))
    original_name: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(String(16))  # photo | document
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    case: Mapped[Case] = relationship(back_populates="attachments")


class CaseEvent(Base):
    """One entry of a case's append-only log: a message in or out, a status change, a note."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))  # citizen | system | staff:<login>
    status_from: Mapped[str | None] = mapped_column(String(16))
    status_to: Mapped[str | None] = mapped_column(String(16))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    case: Mapped[Case] = relationship(back_populates="events")


class CaseCodeCounter(Base):
    """The last number given out for one tracking-code prefix (unit and month)."""

    __tablename__ = "case_code_counters"

    prefix: Mapped[str] = mapped_column(String(16), primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class CannedReply(Base):
    """A ready-made reply staff can insert, for a case kind and status (None = any)."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

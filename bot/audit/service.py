"""Writing to and reading the audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    target_type: str,
    target_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """Append one entry (in the caller's transaction, so it commits with the change)."""
    entry = AuditEntry(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        before=before,
        after=after,
        ip=ip,
    )
    session.add(entry)
    session.flush()
    return entry


def recent(
    *, session: Session, limit: int = 100, action: str | None = None, target_id: str | None = None
) -> list[AuditEntry]:
    """The newest entries, optionally of one action or one target."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if action is not None:
        stmt = stmt.where(AuditEntry.action == action)
    if target_id is not None:
        stmt = stmt.where(AuditEntry.target_id == target_id)
    return list(session.scalars(stmt))

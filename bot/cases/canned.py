"""Ready-made replies staff insert into an answer; admins keep them (audited)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.cases.locking import WorkflowError
from bot.cases.models import CannedReply
from bot.cases.status import CaseKind, CaseStatus
from bot.staff.permissions import Action, Forbidden
from bot.staff.roles import Actor, Role

CANNED_FILE = Path(__file__).resolve().parent / "data" / "canned_replies.yml"
TITLE_MAX = 100
_KINDS = {k.value for k in CaseKind}
_STATUSES = {s.value for s in CaseStatus}


def list_canned(
    *, session: Session, kind: str | None = None, status: str | None = None
) -> list[CannedReply]:
    """Active replies for this kind and status, and the generic ones (specific first)."""
    stmt = (
        select(CannedReply)
        .where(
            CannedReply.active.is_(True),
            or_(CannedReply.kind.is_(None), CannedReply.kind == kind),
            or_(CannedReply.status.is_(None), CannedReply.status == status),
        )
        .order_by(CannedReply.kind.is_(None), CannedReply.status.is_(None), CannedReply.title)
    )
    return list(session.scalars(stmt))


def all_canned(*, session: Session) -> list[CannedReply]:
    """Every reply, active or not, for the admin's list."""
    return list(session.scalars(select(CannedReply).order_by(CannedReply.title)))


def _snapshot(row: CannedReply) -> dict[str, Any]:
    return {
        "title": row.title,
        "text": row.text,
        "kind": row.kind,
        "status": row.status,
        "active": row.active,
    }


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    row: CannedReply,
    *,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record(
        session=session,
        actor=actor.tag,
        action=action,
        target_type="canned_reply",
        target_id=row.id,
        before=before,
        after=after,
    )


def _admin_only(actor: Actor) -> None:
    if actor.role is not Role.ADMIN:
        raise Forbidden(Action.VIEW)


def _get(session: Session, canned_id: int) -> CannedReply:
    row = session.get(CannedReply, canned_id)
    if row is None:
        raise WorkflowError("canned_not_found")
    return row


def save_canned(
    *,
    session: Session,
    actor: Actor,
    canned_id: int | None,
    title: str,
    text: str,
    kind: str | None,
    status: str | None,
    active: bool,
) -> CannedReply:
    """Create (`canned_id` None) or update a reply; admins only, audited."""
    _admin_only(actor)
    title, text = title.strip(), text.strip()
    kind, status = kind or None, status or None
    if not title or len(title) > TITLE_MAX or not text:
        raise WorkflowError("canned_invalid")
    if (kind is not None and kind not in _KINDS) or (
        status is not None and status not in _STATUSES
    ):
        raise WorkflowError("canned_invalid")
    row = CannedReply() if canned_id is None else _get(session, canned_id)
    before = None if canned_id is None else _snapshot(row)
    row.title, row.text, row.kind, row.status, row.active = title, text, kind, status, active
    row.updated_by = actor.tag
    session.add(row)
    session.flush()
    _audit(session, actor, "save_canned", row, before=before, after=_snapshot(row))
    return row


def delete_canned(*, session: Session, actor: Actor, canned_id: int) -> None:
    """Delete a reply; admins only, audited."""
    _admin_only(actor)
    row = _get(session, canned_id)
    _audit(session, actor, "delete_canned", row, before=_snapshot(row), after=None)
    session.delete(row)
    session.flush()


def read_canned_file(path: Path = CANNED_FILE) -> list[dict[str, Any]]:
    """The shipped replies."""
    rows: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return rows


def seed_canned(*, session: Session, rows: list[dict[str, Any]]) -> int:
    """Add the shipped replies when there are none yet (admins' edits are never overwritten)."""
    if session.scalar(select(func.count()).select_from(CannedReply)):
        return 0
    for raw in rows:
        session.add(
            CannedReply(
                title=raw["title"],
                text=raw["text"].strip(),
                kind=raw.get("kind"),
                status=raw.get("status"),
                active=True,
                updated_by="system",
            )
        )
    session.flush()
    return len(rows)

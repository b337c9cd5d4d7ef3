"""The periodic purge: old questions, and attachment files that nothing refers to any more.

Questions are kept to improve the assistant (the review queue) and are deleted after the
retention period. An attachment file is referenced by a case or by a draft still being
written (persisted bot state); files that neither refers to — a draft cancelled, erased
or replaced — are deleted once they are older than a grace period, so that a file stored
seconds before its draft is persisted is never taken.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.files import attachments_dir
from bot.cases.models import Attachment
from bot.messages.models import InboundMessage
from bot.state.models import StoredState

FILE_GRACE = timedelta(days=1)
_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class Purge:
    """What a purge removed (or, on a dry run, would remove)."""

    questions: int
    files: int
    bytes: int


def purge(
    *,
    session: Session,
    var_dir: Path,
    question_days: int,
    now: datetime | None = None,
    file_grace: timedelta = FILE_GRACE,
    dry_run: bool = False,
) -> Purge:
    """Delete questions older than `question_days` and unreferenced attachment files."""
    moment = now or utcnow()
    old = InboundMessage.created_at < moment - timedelta(days=question_days)
    if dry_run:
        questions = session.scalar(select(func.count()).select_from(InboundMessage).where(old))
    else:
        questions = getattr(session.execute(delete(InboundMessage).where(old)), "rowcount", 0)
    orphans = unreferenced_files(session=session, var_dir=var_dir)
    cutoff = moment.timestamp() - file_grace.total_seconds()
    stale = {path: info.st_size for path in orphans if (info := path.stat()).st_mtime < cutoff}
    if not dry_run:
        for path in stale:
            path.unlink(missing_ok=True)
    return Purge(questions=int(questions or 0), files=len(stale), bytes=sum(stale.values()))


def unreferenced_files(*, session: Session, var_dir: Path) -> list[Path]:
    """Files under var/attachments that no case and no persisted draft refers to
    (half-written `.incoming-` files included)."""
    folder = attachments_dir(var_dir)
    if not folder.is_dir():
        return []
    # Drafts first, cases second: a case is committed before its draft leaves the bot
    # state, so a file that moves from a draft to a case is seen in one or the other.
    referenced: set[str] = set()
    for value in session.scalars(select(StoredState.value)):
        referenced.update(_SHA256.findall(json.dumps(value)))
    referenced.update(session.scalars(select(Attachment.sha256).distinct()))
    return sorted(
        path for path in folder.iterdir() if path.is_file() and path.name not in referenced
    )

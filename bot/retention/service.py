"""The periodic purge: old questions, forgotten drafts, and attachment files that nothing
refers to any more.

Questions are kept to improve the assistant (the review queue) and are deleted after the
retention period. An attachment file is referenced by a case or by a draft still being
written (persisted bot state); files that neither refers to — a draft cancelled, erased
or replaced — are deleted once they are older than a grace period, so that a file stored
seconds before its draft is persisted is never taken. A draft, supplement or rating
comment left untouched for the draft retention period is deleted with its conversation
state, so its personal data goes and the files only it held become unreferenced.
A case closed longer than the case retention period is anonymised the way an erasure
does it (bot.privacy.anonymise): the register keeps its row, its files become
unreferenced.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.events import SYSTEM
from bot.cases.files import attachments_dir
from bot.cases.models import Attachment, Case
from bot.cases.status import CaseStatus
from bot.messages.models import InboundMessage
from bot.privacy.anonymise import anonymise_case
from bot.state import pending
from bot.state.models import StoredState
from bot.state.service import USER_DATA, conversation_namespace, remove, save
from bot.texts import cases as texts

FILE_GRACE = timedelta(days=1)
# A case has ended once closed or withdrawn (a withdrawn one has no closing time).
ENDED = (CaseStatus.CLOSED.value, CaseStatus.WITHDRAWN.value)
_SHA256 = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class Purge:
    """What a purge removed (or, on a dry run, would remove)."""

    questions: int
    files: int
    bytes: int
    # Forgotten drafts, supplements and ratings, as (user id, user_data key).
    pending: tuple[tuple[int, str], ...] = ()
    # Cases closed longer than the retention period, anonymised.
    cases: int = 0


def purge(
    *,
    session: Session,
    var_dir: Path,
    question_days: int,
    now: datetime | None = None,
    file_grace: timedelta = FILE_GRACE,
    draft_days: int | None = None,
    case_years: int | None = None,
    dry_run: bool = False,
) -> Purge:
    """Delete questions older than `question_days`, drafts (and other pending input)
    untouched for `draft_days` (kept when None), the personal data of cases closed
    more than `case_years` ago (kept when None) and unreferenced attachment files."""
    moment = now or utcnow()
    expired: list[Case] = []
    if case_years is not None:
        expired = expired_cases(session=session, cutoff=years_before(moment, case_years))
        note = texts.PRIVACY_RETENTION_NOTE.format(years=case_years)
        for case in [] if dry_run else expired:
            anonymise_case(session, case, now=moment, actor=SYSTEM, note=note)
    forgotten: list[tuple[int, str]] = []
    if draft_days is not None:
        cutoff_drafts = moment - timedelta(days=draft_days)
        forgotten = purge_pending(session=session, cutoff=cutoff_drafts, dry_run=dry_run)
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
    return Purge(
        questions=int(questions or 0),
        files=len(stale),
        bytes=sum(stale.values()),
        pending=tuple(forgotten),
        cases=len(expired),
    )


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` years earlier (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def expired_cases(*, session: Session, cutoff: datetime) -> list[Case]:
    """Cases closed (or withdrawn) before `cutoff` whose personal data is still kept."""
    ended = or_(
        and_(Case.status == CaseStatus.CLOSED.value, Case.closed_at < cutoff),
        and_(Case.status.in_(ENDED), Case.closed_at.is_(None), Case.updated_at < cutoff),
    )
    stmt = select(Case).where(Case.personal_data_erased_at.is_(None), ended).order_by(Case.id)
    return list(session.scalars(stmt))


def purge_pending(
    *, session: Session, cutoff: datetime, dry_run: bool = False
) -> list[tuple[int, str]]:
    """Delete pending input last touched before `cutoff` from the persisted user data,
    and the state of the conversation it belonged to; returns (user id, key) pairs."""
    rows = session.scalars(select(StoredState).where(StoredState.namespace == USER_DATA))
    forgotten: list[tuple[int, str]] = []
    for row in list(rows):
        if not isinstance(row.value, dict) or not row.key.lstrip("-").isdigit():
            continue
        data = dict(row.value)
        keys = pending.expired(data, cutoff, unstamped=row.updated_at)
        if not keys:
            continue
        user_id = int(row.key)
        forgotten += [(user_id, key) for key in keys]
        if dry_run:
            continue
        pending.drop(data, keys)
        save(session=session, namespace=USER_DATA, key=row.key, value=data)
        for key in keys:
            _end_conversations(session, pending.CONVERSATIONS[key], user_id)
    return forgotten


def _end_conversations(session: Session, name: str, user_id: int) -> None:
    """Forget the persisted states of conversation `name` that `user_id` is in."""
    namespace = conversation_namespace(name)
    keys = session.scalars(select(StoredState.key).where(StoredState.namespace == namespace))
    for key in list(keys):
        if json.loads(key)[-1] == user_id:
            remove(session=session, namespace=namespace, key=key)


def hashes_in(value: object) -> set[str]:
    """The attachment hashes a stored value (a draft, user data) refers to."""
    return set(_SHA256.findall(json.dumps(value)))


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
        referenced |= hashes_in(value)
    referenced.update(session.scalars(select(Attachment.sha256).distinct()))
    return sorted(
        path for path in folder.iterdir() if path.is_file() and path.name not in referenced
    )

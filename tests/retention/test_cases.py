"""Cases closed longer than the retention period lose their personal data in the daily
purge (the same anonymisation as an erasure); the register keeps their rows."""

from __future__ import annotations

import dataclasses
import os
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.cases.clock import as_utc, utcnow
from bot.cases.models import Case
from bot.cases.status import CaseStatus, EventKind
from bot.retention.service import purge, years_before
from bot.texts import cases as texts
from tests.factories_cases import add_case, case_draft
from tests.privacy.seed import CONTENT, attachment_file

NOW = utcnow()


def ended(db: Session, var_dir: Path, status: CaseStatus, ago: timedelta | None) -> Case:
    """A case with a file, `status` since `ago` (closed_at for a closed case; only the
    last update for a withdrawn one)."""
    attachment = attachment_file(var_dir, CONTENT, f"{status}-{ago}.pdf")
    old = (NOW - ago).timestamp() if ago else NOW.timestamp()
    os.utime(var_dir / "attachments" / attachment.sha256, (old, old))
    draft = case_draft(content=f"Nội dung {CONTENT}")
    case = add_case(db, draft=dataclasses.replace(draft, attachments=[attachment]))
    moment: datetime | None = NOW - ago if ago else None
    values = {"status": status.value, "closed_at": moment if status is CaseStatus.CLOSED else None}
    if moment is not None:
        values["updated_at"] = moment
    db.execute(update(Case).where(Case.id == case.id).values(**values))
    db.expire(case)
    return case


def test_cases_past_the_period_are_anonymised_and_stay_in_the_register(
    db: Session, tmp_path: Path
) -> None:
    year = timedelta(days=366)
    expired = ended(db, tmp_path, CaseStatus.CLOSED, 5 * year + timedelta(days=2))
    withdrawn = ended(db, tmp_path, CaseStatus.WITHDRAWN, 6 * year)
    recent = ended(db, tmp_path, CaseStatus.CLOSED, 4 * year)
    still_open = ended(db, tmp_path, CaseStatus.IN_PROGRESS, None)
    db.flush()

    dry = purge(
        session=db, var_dir=tmp_path, question_days=365, case_years=5, now=NOW, dry_run=True
    )
    assert dry.cases == 2 and expired.citizen_phone is not None
    done = purge(session=db, var_dir=tmp_path, question_days=365, case_years=5, now=NOW)
    assert done.cases == 2 and done.files == 2  # their files, no longer referenced

    for case in (expired, withdrawn):
        db.refresh(case)
        assert case.personal_data_erased_at is not None and case.citizen_phone is None
        assert as_utc(case.personal_data_erased_at) == NOW
        assert case.details == {} and not case.attachments and case.status_reason is None
        assert case.code and case.kind and case.unit_code and case.received_at  # the register row
        last = case.events[-1]
        assert (last.kind, last.actor) == (EventKind.PERSONAL_DATA_ERASED, "system")
        assert last.text == texts.PRIVACY_RETENTION_NOTE.format(years=5)
    assert expired.status == CaseStatus.CLOSED and withdrawn.status == CaseStatus.WITHDRAWN
    for case in (recent, still_open):
        db.refresh(case)
        assert case.personal_data_erased_at is None and CONTENT in case.details["content"]
        assert len(case.attachments) == 1
    # Already anonymised: not again.
    assert purge(session=db, var_dir=tmp_path, question_days=365, case_years=5, now=NOW).cases == 0


def test_years_before_a_leap_day() -> None:
    leap = datetime(2028, 2, 29, 10, 30)
    assert years_before(leap, 5) == datetime(2023, 2, 28, 10, 30)
    assert years_before(datetime(2031, 3, 1), 5) == datetime(2026, 3, 1)

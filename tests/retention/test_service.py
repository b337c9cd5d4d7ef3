"""The purge on SQLite and PostgreSQL: old questions go, referenced files stay."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.files import attachments_dir
from bot.messages.models import InboundMessage
from bot.retention.service import Purge, purge, unreferenced_files
from bot.state.service import load_namespace, save
from tests.factories_cases import add_case, case_draft

NOW = utcnow()
DAY = 24 * 3600


def question(session: Session, text: str, age_days: int) -> None:
    session.add(
        InboundMessage(
            chat_id=1, text=text, action="faq", created_at=NOW - timedelta(days=age_days)
        )
    )


def attachment(var_dir: Path, name: str, age_days: float, size: int = 10) -> Path:
    path = attachments_dir(var_dir) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    moment = NOW.timestamp() - age_days * DAY
    os.utime(path, (moment, moment))
    return path


def questions(session: Session) -> list[str]:
    return sorted(session.scalars(select(InboundMessage.text)))


def test_questions_past_the_retention_period_are_deleted(db: Session, tmp_path: Path) -> None:
    question(db, "cũ", age_days=400)
    question(db, "vừa quá hạn", age_days=31)
    question(db, "mới", age_days=29)
    db.flush()
    dry = purge(session=db, var_dir=tmp_path, question_days=30, now=NOW, dry_run=True)
    assert dry == Purge(questions=2, files=0, bytes=0)
    assert db.scalar(select(func.count()).select_from(InboundMessage)) == 3
    assert purge(session=db, var_dir=tmp_path, question_days=30, now=NOW).questions == 2
    assert questions(db) == ["mới"]


def test_only_old_files_that_no_case_or_draft_refers_to_are_deleted(
    db: Session, tmp_path: Path
) -> None:
    draft = case_draft()
    of_case = attachment(tmp_path, draft.attachments[0].sha256, age_days=30)
    add_case(db, draft=draft)
    of_draft = attachment(tmp_path, "cd" * 32, age_days=30)
    save(
        session=db,
        namespace="user_data",
        key="7001",
        value={"case_draft": {"attachments": [{"sha256": "cd" * 32, "size": 10}]}},
    )
    cancelled = attachment(tmp_path, "ef" * 32, age_days=2, size=25)
    half_written = attachment(tmp_path, ".incoming-abc", age_days=3, size=5)
    just_stored = attachment(tmp_path, "12" * 32, age_days=0.1)
    db.flush()

    assert unreferenced_files(session=db, var_dir=tmp_path) == sorted(
        [cancelled, half_written, just_stored]
    )
    dry = purge(session=db, var_dir=tmp_path, question_days=365, now=NOW, dry_run=True)
    assert dry == Purge(questions=0, files=2, bytes=30) and cancelled.exists()
    done = purge(session=db, var_dir=tmp_path, question_days=365, now=NOW)
    assert done == Purge(questions=0, files=2, bytes=30)
    assert of_case.exists() and of_draft.exists() and just_stored.exists()
    assert not cancelled.exists() and not half_written.exists()


def test_no_attachment_folder_is_nothing_to_do(db: Session, tmp_path: Path) -> None:
    assert purge(session=db, var_dir=tmp_path, question_days=365, now=NOW) == Purge(0, 0, 0)


def test_drafts_untouched_past_the_retention_period_go_with_their_state_and_files(
    db: Session, tmp_path: Path
) -> None:
    old, fresh = (NOW - timedelta(days=8)).isoformat(), (NOW - timedelta(days=1)).isoformat()
    photo = attachment(tmp_path, "cd" * 32, age_days=8)
    kept_photo = attachment(tmp_path, "ef" * 32, age_days=8)
    forgotten = {
        "case_draft": {"fields": {"name": "Lê Văn Cường"}, "attachments": [{"sha256": "cd" * 32}]},
        "case_rating": "QH-2611-0001",
        "touched_at": {"case_draft": old, "case_rating": fresh},
        "other": 1,
    }
    save(session=db, namespace="user_data", key="7001", value=forgotten)
    save(session=db, namespace="conversation:case_intake", key="[7001, 7001]", value="field")
    save(session=db, namespace="conversation:case_rating", key="[7001, 7001]", value="x")
    recent = {
        "case_draft": {"attachments": [{"sha256": "ef" * 32}]},
        "touched_at": {"case_draft": fresh},
    }
    save(session=db, namespace="user_data", key="7002", value=recent)
    save(session=db, namespace="conversation:case_intake", key="[7002, 7002]", value="unit")
    db.flush()

    dry = purge(
        session=db, var_dir=tmp_path, question_days=365, now=NOW, draft_days=7, dry_run=True
    )
    assert (
        dry.pending == ((7001, "case_draft"),)
        and load_namespace(session=db, namespace="user_data")["7001"] == forgotten
    )
    done = purge(session=db, var_dir=tmp_path, question_days=365, now=NOW, draft_days=7)
    assert done.pending == ((7001, "case_draft"),) and done.files == 1
    users = load_namespace(session=db, namespace="user_data")
    assert users["7001"] == {
        "case_rating": "QH-2611-0001",
        "touched_at": {"case_rating": fresh},
        "other": 1,
    }
    assert users["7002"] == recent
    assert load_namespace(session=db, namespace="conversation:case_intake") == {
        "[7002, 7002]": "unit"
    }
    assert load_namespace(session=db, namespace="conversation:case_rating") == {"[7001, 7001]": "x"}
    assert not photo.exists() and kept_photo.exists()

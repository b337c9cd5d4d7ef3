"""Erasure on request, on SQLite and PostgreSQL: nothing of the citizen is left in any
table, in the attachments folder or in the raw SQLite files; the register keeps its rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, MetaData, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cases.clock import local, utcnow
from bot.cases.models import Case, CaseEvent
from bot.cases.status import CaseStatus, EventKind
from bot.db import session_factory, sqlite_path
from bot.outbox.models import OutboxMessage
from bot.outbox.service import due_ids
from bot.privacy.anonymise import ERASED
from bot.privacy.models import PrivacyRequest
from bot.privacy.scrub import scrub
from bot.privacy.service import erase_own_data
from bot.reports.register import register_table
from bot.reports.service import ReportFilter
from bot.staff.roles import Actor, Role
from bot.texts import cases as texts
from bot.texts import reports as report_texts
from bot.units.service import import_units, read_units_file
from tests.privacy.seed import (
    CHAT,
    CONTENT,
    OTHER_CONTENT,
    OTHER_PHONE,
    SECRETS,
    Lodged,
    lodge_everything,
)

LEADER = Actor(id=1, username="lanhdao", role=Role.LEADER, unit_code=None)


def tables_containing(engine: Engine, needles: tuple[str, ...]) -> dict[str, set[str]]:
    """needle → the tables (of every table the database has, all columns) holding it."""
    metadata = MetaData()
    metadata.reflect(engine)
    found: dict[str, set[str]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(select(table)):
                values = " ".join(str(value) for value in row).lower()
                for needle in needles:
                    if needle.lower() in values:
                        found.setdefault(needle, set()).add(table.name)
    return found


def raw_sqlite(engine: Engine) -> bytes:
    """The database file and its -wal and -shm files, as bytes (lower case)."""
    path = sqlite_path(str(engine.url))
    assert path is not None
    parts = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists()).lower()


def files_containing(folder: Path, needle: str) -> list[Path]:
    return [p for p in folder.iterdir() if needle.encode() in p.read_bytes()]


def lodge(sessions: sessionmaker[Session], var_dir: Path) -> Lodged:
    with sessions() as session, session.begin():
        import_units(session=session, rows=read_units_file())
        return lodge_everything(session, var_dir)


def test_erasure_leaves_nothing_personal_anywhere(db_url: str, tmp_path: Path) -> None:
    sessions = session_factory(db_url)
    engine = sessions.kw["bind"]
    var_dir = tmp_path / "var"
    lodged = lodge(sessions, var_dir)
    # The searches find what is there (else "nothing found" would prove nothing).
    everywhere = (*SECRETS, OTHER_PHONE, OTHER_CONTENT)
    before = tables_containing(engine, everywhere)
    assert set(before) == set(everywhere)
    holding = set().union(*(before[secret] for secret in SECRETS))
    assert {"cases", "case_events", "case_attachments", "outbox", "inbound_messages"} <= holding
    assert "bot_state" in holding
    if engine.dialect.name == "sqlite":
        raw = raw_sqlite(engine)
        assert all(secret.lower().encode() in raw for secret in SECRETS)

    with sessions() as session, session.begin():
        erasure = erase_own_data(session=session, chat_id=CHAT)
    removed = scrub(sessions, var_dir=var_dir, files=erasure.files)

    assert (erasure.cases_erased, erasure.cases_withdrawn, erasure.questions_deleted) == (2, 1, 1)
    assert tables_containing(engine, everywhere) == {
        OTHER_PHONE: {"cases"},
        OTHER_CONTENT: {"cases", "case_attachments", "inbound_messages"},
    }
    folder = var_dir / "attachments"
    assert removed == 3 and not any(path.exists() for path in lodged.files)
    assert files_containing(folder, CONTENT) == [] and lodged.other_file.exists()
    if engine.dialect.name == "sqlite":
        raw = raw_sqlite(engine)
        assert [s for s in SECRETS if s.lower().encode() in raw] == []
        assert OTHER_PHONE.encode() in raw  # still readable where it was not erased

    with sessions() as session:
        check_register_and_timeline(session, lodged)


def check_register_and_timeline(session: Session, lodged: Lodged) -> None:
    """The register keeps anonymised rows; staff see why; nothing pending is delivered."""
    today = local(utcnow()).date()
    period = ReportFilter(date_from=today - timedelta(days=1), date_to=today + timedelta(days=1))
    table = register_table(session=session, actor=LEADER, report_filter=period, today=today)
    listed = " ".join(str(cell) for row in table.rows for cell in row)
    assert all(c.code in listed for c in (lodged.petition, lodged.complaint, lodged.other))
    assert report_texts.ERASED in listed  # not an empty identity column
    petition = session.get(Case, lodged.petition.id)
    complaint = session.get(Case, lodged.complaint.id)
    assert petition is not None and complaint is not None
    assert petition.status == CaseStatus.WITHDRAWN and complaint.status == CaseStatus.CLOSED
    assert petition.personal_data_erased_at is not None and petition.chat_id is None
    assert (petition.kind, petition.unit_code, petition.code) == (
        lodged.petition.kind,
        lodged.petition.unit_code,
        lodged.petition.code,
    )
    assert not petition.attachments and petition.details == {} and petition.latitude is None
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.case_id == petition.id).order_by(CaseEvent.id)
    ).all()
    request = session.scalars(select(PrivacyRequest)).one()
    note = texts.PRIVACY_CASE_NOTE.format(request=request.id)
    withdrawn, erased = events[-2:]
    assert (withdrawn.kind, withdrawn.status_to, withdrawn.text) == (
        EventKind.STATUS_CHANGED,
        CaseStatus.WITHDRAWN,
        note,
    )
    assert (erased.kind, erased.text) == (EventKind.PERSONAL_DATA_ERASED, note)
    assert all(e.text is None for e in events[:-2])
    assert request.outcome == {"questions_deleted": 1, "cases_erased": 2, "cases_withdrawn": 1}
    ours = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.case_id.in_([petition.id, complaint.id]) | (OutboxMessage.chat_id == CHAT)
        )
    ).all()
    assert ours and all(m.status == "failed" and m.text == "" for m in ours)
    assert any(m.last_error == ERASED for m in ours)
    assert not set(due_ids(session=session, now=utcnow() + timedelta(days=1))) & {
        m.id for m in ours
    }

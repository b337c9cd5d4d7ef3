"""Building a source to back up, and comparing databases and attachment folders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.backup.contents import schema_revision
from bot.cases.draft import AttachmentData
from bot.cases.files import attachments_dir, store
from bot.cases.followup import record_message_out
from bot.cases.models import Attachment, Case, CaseEvent
from bot.cases.status import CaseKind
from bot.console_bench import temporary_database
from bot.db import session_factory
from tests.conftest import POSTGRES_ADMIN_URL
from tests.factories_cases import add_case, case_draft

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
PDF = b"%PDF-1.4\n% complaint annex\n" + bytes(300)
DRAFT_PHOTO = b"\xff\xd8\xff\xe0 a photo in a draft not yet confirmed"
ORPHAN = b"a file no case and no draft refers to"


@dataclass(frozen=True)
class Source:
    """A database with cases, attachments and events, and its var folder."""

    url: str
    var_dir: Path
    draft_file: str  # SHA-256 of the file only a persisted draft refers to
    orphan_file: str


def attach(var_dir: Path, data: bytes, name: str) -> AttachmentData:
    return store(
        var_dir=var_dir, data=data, mime_type="image/png", original_name=name, source="photo"
    )


def add_cases(session: Session, var_dir: Path, chat_id: int, *files: bytes) -> Case:
    """A complaint with `files` attached and an outgoing message logged, committed."""
    attachments = [attach(var_dir, data, f"tệp {i}.png") for i, data in enumerate(files)]
    draft = replace(case_draft(CaseKind.COMPLAINT), attachments=attachments)
    case = add_case(session, chat_id=chat_id, draft=draft)
    record_message_out(session=session, case_id=case.id, text=f"Đã nhận đơn của ông/bà {chat_id}")
    session.commit()
    return case


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """The register's rows, comparable between two databases."""
    with session_factory(url)() as session:
        cases = session.scalars(select(Case).order_by(Case.code))
        attachments = session.scalars(select(Attachment).order_by(Attachment.id))
        events = session.scalars(select(CaseEvent).order_by(CaseEvent.id))
        return {
            "cases": [(c.code, c.kind, c.chat_id, c.citizen_id_number, c.details) for c in cases],
            "attachments": [(a.case_id, a.sha256, a.size, a.original_name) for a in attachments],
            "events": [(e.case_id, e.kind, e.actor, e.text) for e in events],
        }


def files_of(var_dir: Path) -> dict[str, bytes]:
    folder = attachments_dir(var_dir)
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


@contextmanager
def empty_database(like: str, path: Path) -> Iterator[str]:
    """A database with no schema of the kind of `like`: the new SQLite file `path`, or a
    new PostgreSQL database (dropped afterwards)."""
    if like.startswith("sqlite"):
        yield f"sqlite:///{path}"
        return
    with temporary_database(POSTGRES_ADMIN_URL) as url:
        yield url


def revision_of(url: str) -> str | None:
    """The schema revision of a database, through a connection closed afterwards."""
    engine = create_engine(url)
    with engine.connect() as connection:
        revision = schema_revision(connection)
    engine.dispose()
    return revision

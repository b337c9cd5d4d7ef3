"""The console's ZIP export and import of what the bot knows."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy.orm import Session

from bot.audit.service import recent
from bot.faq.archive import ArchiveInvalid, export_archive, import_archive
from bot.faq.models import FaqAnswer
from bot.faq.portable import seed_knowledge
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
LEADER = Actor(id=2, username="lanhdao", role=Role.LEADER, unit_code="QH")


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_an_exported_zip_imports_into_an_empty_database_and_exports_the_same(
    session: Session, fresh: Session
) -> None:
    seed_knowledge(session=session)
    answer = session.get(FaqAnswer, "khai_sinh")
    assert answer is not None
    answer.summary = "Tóm tắt do quản trị viên sửa <b>"
    data = export_archive(session=session, actor=ADMIN)
    counts = import_archive(session=fresh, actor=ADMIN, data=data, overwrite=True)
    assert counts
    again = export_archive(session=fresh, actor=ADMIN)
    with zipfile.ZipFile(io.BytesIO(data)) as first, zipfile.ZipFile(io.BytesIO(again)) as second:
        assert first.namelist() == second.namelist()
        assert all(first.read(n) == second.read(n) for n in first.namelist())
    stored = fresh.get(FaqAnswer, "khai_sinh")
    assert stored is not None and stored.summary == "Tóm tắt do quản trị viên sửa <b>"
    actions = [e.action for e in recent(session=fresh, limit=5)]
    assert actions == ["export_knowledge", "import_knowledge"]  # newest first


def test_a_zip_in_one_top_folder_is_understood(session: Session, fresh: Session) -> None:
    seed_knowledge(session=session)
    data = export_archive(session=session, actor=ADMIN)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        nested = _zip({f"kien-thuc/{n}": archive.read(n).decode() for n in archive.namelist()})
    import_archive(session=fresh, actor=ADMIN, data=nested, overwrite=False)
    assert fresh.get(FaqAnswer, "khai_sinh") is not None


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not a zip at all", "not_zip"),
        (_zip({"readme.txt": "hello"}), "no_yaml"),
        (_zip({"../../etc/evil.yml": "x: 1"}), "bad_path"),
        (_zip({"answers/khai_sinh.yml": "intent: [unclosed"}), "bad_yaml"),
    ],
)
def test_a_bad_archive_is_refused_and_changes_nothing(
    session: Session, data: bytes, code: str
) -> None:
    with pytest.raises(ArchiveInvalid) as raised:
        import_archive(session=session, actor=ADMIN, data=data, overwrite=True)
    assert raised.value.code == code
    assert session.get(FaqAnswer, "khai_sinh") is None


def test_only_admins_export_and_import(session: Session) -> None:
    with pytest.raises(Forbidden):
        export_archive(session=session, actor=LEADER)
    with pytest.raises(Forbidden):
        import_archive(session=session, actor=LEADER, data=_zip({"a.yml": "x: 1"}), overwrite=False)

"""Backup and restore through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from bot import migrate
from bot.backup import manifest
from bot.backup.contents import known_revisions
from bot.backup.errors import BackupError
from bot.backup.service import backup, restore
from bot.cases.files import attachments_dir
from bot.db import session_factory
from tests.backup.helpers import (
    PDF,
    PNG,
    Source,
    add_cases,
    empty_database,
    files_of,
    revision_of,
    snapshot,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_round_trip_restores_every_case_attachment_event_and_file(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    made = backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    assert (made.counts.cases, made.counts.attachments, made.counts.events) == (
        2,
        3,
        len(snapshot(source.url)["events"]),
    )
    assert made.missing == [] and made.dialect in ("sqlite", "postgresql")
    restored_var = tmp_path / "restored-var"
    done = restore(database_url=target_url, var_dir=restored_var, directory=tmp_path / "b")

    assert snapshot(target_url) == snapshot(source.url)
    assert snapshot(target_url)["events"]  # the comparison is not between empty lists
    wanted = files_of(source.var_dir)
    del wanted[source.orphan_file]  # nothing refers to it: not kept
    assert files_of(restored_var) == wanted
    assert source.draft_file in wanted and PNG in wanted.values() and PDF in wanted.values()
    assert (done.files, done.bytes, done.migrated_to) == (3, sum(map(len, wanted.values())), None)


def test_backup_and_restored_files_are_owner_only(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "b"
    backup(database_url=source.url, var_dir=source.var_dir, directory=folder)
    written = [folder, *folder.rglob("*")]
    assert len(written) == 2 + 1 + 1 + 3  # folder, manifest, database, attachments/, files
    assert {p.name: mode(p) for p in written if p.is_dir()} == {"b": 0o700, "attachments": 0o700}
    assert {mode(p) for p in written if p.is_file()} == {0o600}
    restore(database_url=target_url, var_dir=tmp_path / "new", directory=folder)
    assert mode(attachments_dir(tmp_path / "new")) == 0o700
    assert {mode(p) for p in attachments_dir(tmp_path / "new").iterdir()} == {0o600}


def test_restore_creates_a_missing_sqlite_database_owner_only(tmp_path: Path) -> None:
    from bot import migrate

    source = f"sqlite:///{tmp_path / 'source.db'}"
    migrate.upgrade(source)
    backup(database_url=source, var_dir=tmp_path / "var", directory=tmp_path / "b")
    target = tmp_path / "new" / "tiepdan.db"  # neither the file nor its folder exist
    restore(database_url=f"sqlite:///{target}", var_dir=tmp_path / "new", directory=tmp_path / "b")
    assert mode(target) == 0o600
    assert snapshot(f"sqlite:///{target}") == snapshot(source)


def test_backup_refuses_a_folder_that_is_not_empty(source: Source, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    with pytest.raises(BackupError, match="not an empty folder"):
        backup(database_url=source.url, var_dir=source.var_dir, directory=folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("damage", ["database", "attachment", "truncated", "manifest", "gone"])
def test_a_damaged_backup_is_refused_before_anything_is_touched(
    source: Source, target_url: str, tmp_path: Path, damage: str
) -> None:
    folder = tmp_path / "b"
    made = backup(database_url=source.url, var_dir=source.var_dir, directory=folder)
    attachment = folder / made.files[1].path
    if damage == "database":
        flip_one_byte(folder / made.database, at=(folder / made.database).stat().st_size // 2)
    elif damage == "attachment":
        flip_one_byte(attachment, at=10)
    elif damage == "truncated":
        attachment.write_bytes(attachment.read_bytes()[:-1])
    elif damage == "manifest":
        (folder / manifest.MANIFEST).write_text('{"format": 1, "files": "x"}')
    else:
        attachment.unlink()
    restored_var = tmp_path / "restored-var"
    with pytest.raises(BackupError, match=r"damaged|missing") as refused:
        restore(database_url=target_url, var_dir=restored_var, directory=folder)
    if damage in ("database", "attachment"):
        assert "SHA-256" in str(refused.value)
    assert not restored_var.exists()
    assert snapshot(target_url)["cases"] == []


def flip_one_byte(path: Path, *, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def test_restore_refuses_a_database_with_cases_unless_forced(
    source: Source, target_url: str, tmp_path: Path, db_url: str
) -> None:
    folder = tmp_path / "b"
    backup(database_url=source.url, var_dir=source.var_dir, directory=folder)
    restore(database_url=target_url, var_dir=tmp_path / "v", directory=folder)
    with session_factory(target_url)() as session:
        add_cases(session, tmp_path / "v", 7009)  # lodged after the backup
    session_factory(target_url).kw["bind"].dispose()  # no session of ours left connected
    with pytest.raises(BackupError, match="already holds 3 case"):
        restore(database_url=target_url, var_dir=tmp_path / "v", directory=folder)
    assert len(snapshot(target_url)["cases"]) == 3
    session_factory(target_url).kw["bind"].dispose()
    restore(database_url=target_url, var_dir=tmp_path / "v", directory=folder, force=True)
    assert snapshot(target_url) == snapshot(source.url)


def test_backup_reports_files_the_database_needs_but_the_folder_lost(
    source: Source, tmp_path: Path
) -> None:
    lost = next(name for name, data in files_of(source.var_dir).items() if data == PDF)
    (attachments_dir(source.var_dir) / lost).unlink()
    damaged = next(name for name, data in files_of(source.var_dir).items() if data == PNG)
    (attachments_dir(source.var_dir) / damaged).write_bytes(b"overwritten")
    made = backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    assert made.missing == sorted([lost, damaged])
    assert [f.path for f in made.files] == [made.database, f"attachments/{source.draft_file}"]


def test_restore_upgrades_a_backup_of_an_older_schema(db_url: str, tmp_path: Path) -> None:
    with (
        empty_database(db_url, tmp_path / "old.db") as old,
        empty_database(db_url, tmp_path / "new.db") as new,
    ):
        migrate.upgrade(old, "0007")
        made = backup(database_url=old, var_dir=tmp_path / "var", directory=tmp_path / "b")
        assert made.revision == "0007"
        done = restore(database_url=new, var_dir=tmp_path / "v", directory=tmp_path / "b")
        _, head = known_revisions(new)
        assert head != "0007" and done.migrated_to == head
        assert revision_of(new) == head


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_restore_refuses_a_postgres_database_of_another_schema_revision(
    target_url: str, tmp_path: Path
) -> None:
    with empty_database(target_url, tmp_path / "unused") as old:
        migrate.upgrade(old, "0007")
        backup(database_url=old, var_dir=tmp_path / "var", directory=tmp_path / "b")
    _, head = known_revisions(target_url)
    with pytest.raises(BackupError, match=f"has schema revision {head}, the backup 0007"):
        restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert not (tmp_path / "v").exists()
    assert revision_of(target_url) == head


def test_restore_refuses_a_backup_from_a_newer_tiepdan(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    with session_factory(source.url)() as session:
        session.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        session.commit()
    backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    with pytest.raises(BackupError, match="revision 9999 is unknown"):
        restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert snapshot(target_url)["cases"] == []

"""What the bot knows as one ZIP of the repository's YAML folder: the console's export and
import buttons (the CLI's `faq export|import DIR` write and read the folder itself)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

import yaml
from sqlalchemy.orm import Session

from bot.audit.service import record
from bot.faq.portable import IMPORT_ACTION, KNOWLEDGE_TARGET, export_knowledge, import_knowledge
from bot.staff.permissions import require_admin
from bot.staff.roles import Actor

MAX_FILES = 2000
MAX_UNPACKED = 20 * 1024 * 1024


class ArchiveInvalid(ValueError):
    """The uploaded file is not a knowledge archive; `code` keys the Vietnamese message."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def export_archive(*, session: Session, actor: Actor) -> bytes:
    """A ZIP of `faq export`'s folder (answers/, train/, topics.yml, units.yml …)."""
    require_admin(actor)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = export_knowledge(session=session, directory=root)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(files):
                archive.write(path, path.relative_to(root).as_posix())
    record(session=session, actor=actor.tag, action="export_knowledge", target_type=KNOWLEDGE_TARGET,
           after={"files": len(files)})  # fmt: skip
    return buffer.getvalue()


def import_archive(
    *, session: Session, actor: Actor, data: bytes, overwrite: bool
) -> dict[str, int]:
    """Load an uploaded ZIP made by `export_archive` (or by zipping `faq export`'s folder)."""
    require_admin(actor)
    with tempfile.TemporaryDirectory() as tmp:
        root = _unpack(data, Path(tmp))
        try:
            counts = import_knowledge(session=session, directory=root, overwrite=overwrite)
        except (yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
            raise ArchiveInvalid("bad_yaml") from exc
    record(session=session, actor=actor.tag, action=IMPORT_ACTION, target_type=KNOWLEDGE_TARGET,
           after={"overwrite": overwrite, **counts})  # fmt: skip
    return counts


def _unpack(data: bytes, root: Path) -> Path:
    """Extract only YAML files, only inside `root`, within the size and count limits; the
    folder holding the knowledge (the archive's one top folder, if it has one)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ArchiveInvalid("not_zip") from exc
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_FILES or sum(m.file_size for m in members) > MAX_UNPACKED:
            raise ArchiveInvalid("too_big")
        wanted = [m for m in members if m.filename.endswith(".yml")]
        if not wanted:
            raise ArchiveInvalid("no_yaml")
        for member in wanted:
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts:
                raise ArchiveInvalid("bad_path")
            target = root.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(member))
    entries = list(root.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and entries[0].name not in ("answers", "train"):
        return entries[0]
    return root

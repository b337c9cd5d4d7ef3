"""A backup taken while cases keep arriving is consistent: every file the snapshot refers
to is in it, and the restored counts are the manifest's."""

from __future__ import annotations

import threading
from pathlib import Path

from bot.backup.service import backup, restore
from bot.db import session_factory
from tests.backup.helpers import Source, add_cases, files_of, snapshot


def test_backup_while_cases_with_files_are_being_lodged(
    source: Source, target_url: str, tmp_path: Path
) -> None:
    stop = threading.Event()
    lodged: list[int] = []

    def lodge() -> None:
        with session_factory(source.url)() as session:
            while True:  # at least one more case after the backup: it must not be in it
                after_backup = stop.is_set()
                n = len(lodged)
                add_cases(session, source.var_dir, 8000 + n, f"ảnh số {n}".encode() * 50)
                lodged.append(n)
                if after_backup and n >= 5:
                    return

    writer = threading.Thread(target=lodge)
    writer.start()
    try:
        while len(lodged) < 2:  # traffic is flowing before the backup starts
            stop.wait(0.01)
        made = backup(database_url=source.url, var_dir=source.var_dir, directory=tmp_path / "b")
    finally:
        stop.set()
        writer.join(30)
    assert made.missing == []
    assert 2 + 2 <= made.counts.cases < 2 + len(lodged)  # a snapshot amid the traffic
    done = restore(database_url=target_url, var_dir=tmp_path / "v", directory=tmp_path / "b")
    assert done.counts == made.counts  # (restore also checks this itself)
    restored = snapshot(target_url)
    assert {a[1] for a in restored["attachments"]} <= set(files_of(tmp_path / "v"))

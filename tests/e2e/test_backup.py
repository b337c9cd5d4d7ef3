"""Backing up a running `tiepdan run` while citizens lodge cases with files, and restoring
into a fresh folder and database: every case, event and attachment file comes back."""

from __future__ import annotations

import base64
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cases.files import attachments_dir
from tests.backup.helpers import files_of, snapshot
from tests.e2e.intake import answer, last, press, summary_confirm
from tests.e2e.stack import TIEPDAN, Citizen, Stack

pytestmark = pytest.mark.e2e

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02" + bytes(64)
PNG2 = PNG[:-8] + b"\x01" * 8
PDF = b"%PDF-1.4\n%backup e2e\n" + bytes(100)


@pytest.fixture
def live(hung_rasa: int, tmp_path: Path) -> Iterator[Stack]:
    """The bot and sandbox without NLU: lodging a case needs no understanding."""
    stack = Stack(workdir=tmp_path / "live", args=["--no-rasa"], rasa_port=hung_rasa)
    with stack.running(ready_timeout=60) as running:
        yield running


def lodge(citizen: Citizen, content: str, kind: str, data: bytes, name: str) -> str:
    """A petition with one file, from /phananh to the receipt; returns the receipt."""
    consent = press(citizen, answer(citizen, "/phananh"), "case:kind:phan_anh")
    unit = press(
        citizen, press(citizen, consent, "case:consent:handling:yes"), "case:consent:notify:yes"
    )
    press(citizen, unit, "case:unit:MD")
    identity = press(citizen, answer(citizen, "khu 5, đường 3/2"), "case:skip")
    press(citizen, identity, "case:anon:yes")
    press(citizen, answer(citizen, content), "case:done")
    citizen.post(kind, content_base64=base64.b64encode(data).decode(), file_name=name)
    summary = press(citizen, last(citizen), "case:done")
    assert "1 tệp" in summary["text"], summary
    return str(summary_confirm(citizen, summary)["text"])


def tiepdan(stack: Stack, *argv: str, workdir: Path | None = None) -> str:
    """Run a `tiepdan` command against the stack's database, or a fresh one in `workdir`."""
    env = stack.env()
    if workdir is not None:
        env |= {"DATABASE_URL": f"sqlite:///{workdir / 'tiepdan.db'}", "VAR_DIR": str(workdir)}
    done = subprocess.run([TIEPDAN, *argv], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_backup_of_a_running_bot_restores_every_case_file_and_event(
    live: Stack, tmp_path: Path
) -> None:
    lodge(Citizen(live, chat_id=4101), "Bụi than bay vào nhà", "photo", PNG, "bui.png")
    failures: list[BaseException] = []

    def two_more() -> None:
        try:
            lodge(Citizen(live, chat_id=4102), "Xe chở than chạy đêm", "document", PDF, "d.pdf")
            lodge(Citizen(live, chat_id=4103), "Cống thoát nước tắc", "photo", PNG2, "c.png")
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)

    traffic = threading.Thread(target=two_more)
    traffic.start()
    during: list[Path] = []
    try:  # backups, one after the other, while the two citizens are lodging theirs
        while traffic.is_alive() or not during:
            during.append(tmp_path / f"during-{len(during)}")
            assert "Backed up" in tiepdan(live, "backup", str(during[-1]))
    finally:
        traffic.join(60)
    assert not failures, failures
    before = snapshot(live.database_url)
    after_output = tiepdan(live, "backup", str(tmp_path / "after"))
    assert snapshot(live.database_url) == before  # the bot was quiet: the backup is exact
    assert f"Backed up {len(before['cases'])} case(s)" in after_output
    assert len(before["cases"]) == 3 and len(before["attachments"]) == 3
    live_files = files_of(live.workdir / "var")

    restored = tmp_path / "restored"
    out = tiepdan(live, "restore", str(tmp_path / "after"), workdir=restored)
    assert "Restored 3 case(s), 3 attachment(s)" in out
    again = snapshot(f"sqlite:///{restored / 'tiepdan.db'}")
    assert again == before  # every case, attachment row and event
    assert {sha for _, sha, _, _ in again["attachments"]} == set(files_of(restored))
    assert files_of(restored) == {sha: live_files[sha] for sha in files_of(restored)}
    assert {PNG, PDF, PNG2} == set(files_of(restored).values())

    # The backups taken amid the traffic are consistent too: whatever cases each caught
    # come back whole, the first one always, with every file they refer to.
    for number, folder in enumerate(during):
        mid = tmp_path / f"restored-{number}"
        tiepdan(live, "restore", str(folder), workdir=mid)
        partial = snapshot(f"sqlite:///{mid / 'tiepdan.db'}")
        assert partial["cases"][0] == before["cases"][0]
        for table, rows in partial.items():
            assert all(row in before[table] for row in rows), table
        for row in partial["attachments"]:
            sha = str(row[1])
            assert (attachments_dir(mid) / sha).read_bytes() == live_files[sha]

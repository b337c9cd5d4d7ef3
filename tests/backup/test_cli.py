"""`tiepdan backup` and `tiepdan restore` as an operator runs them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.cases.files import attachments_dir
from bot.cli import build_parser, main
from bot.settings import get_settings
from tests.backup.helpers import Source, snapshot


@pytest.fixture
def configure(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str, Path], None]]:
    """Point the settings at a database and var folder, as the environment would."""

    def use(database_url: str, var_dir: Path) -> None:
        monkeypatch.setenv("DATABASE_URL", database_url)
        monkeypatch.setenv("VAR_DIR", str(var_dir))
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_backup_then_restore_from_the_command_line(
    source: Source,
    target_url: str,
    tmp_path: Path,
    configure: Callable[[str, Path], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure(source.url, source.var_dir)
    assert main(["backup", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "Backed up 2 case(s), 3 attachment(s)" in out and "3 attachment file(s)" in out
    assert main(["backup", str(tmp_path / "b")]) == 2
    assert "not an empty folder" in capsys.readouterr().err

    configure(target_url, tmp_path / "v")
    assert main(["restore", str(tmp_path / "b")]) == 0
    assert "Restored 2 case(s), 3 attachment(s)" in capsys.readouterr().out
    assert main(["restore", str(tmp_path / "b")]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["restore", "--force", str(tmp_path / "b")]) == 0
    assert snapshot(target_url) == snapshot(source.url)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_backup_missing_files_warns_loudly_and_fails(
    source: Source,
    tmp_path: Path,
    configure: Callable[[str, Path], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    for path in attachments_dir(source.var_dir).iterdir():
        path.unlink()
    configure(source.url, source.var_dir)
    assert main(["backup", str(tmp_path / "b")]) == 1
    err = capsys.readouterr().err
    assert "WARNING: 2 attachment file(s)" in err and "NOT in this backup" in err


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_help_says_what_a_backup_holds_and_to_stop_the_bot(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "DIR" in out
    assert ("encrypted or offline" if command == "backup" else "Stop the bot") in out

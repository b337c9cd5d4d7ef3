from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import build_parser

SUBCOMMANDS = [
    ["run"], ["bot"], ["sandbox"], ["db", "upgrade"], ["nlu", "train"], ["nlu", "serve"], ["nlu", "evaluate"], ["nlu", "review"],
    ["nlu", "crossval"], ["ask"], ["faq", "import"], ["purge"], ["bench"], ["backup"], ["restore"],
    ["staff", "add"], ["staff", "list"], ["staff", "disable"], ["staff", "password"],
]  # fmt: skip


@pytest.mark.parametrize("argv", SUBCOMMANDS, ids=" ".join)
def test_every_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([*argv, "--help"])
    assert exit_info.value.code == 0
    assert "usage: tiepdan" in capsys.readouterr().out


def test_ask_without_a_running_nlu_says_how_to_start_one(tmp_path: object) -> None:
    env = {
        "RASA_URL": "http://127.0.0.1:9",
        "RASA_TOKEN": "t",
        "DATABASE_URL": f"sqlite:///{tmp_path}/ask.db",
        "VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "khai sinh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 3
    assert "make run" in result.stderr and "tiepdan nlu serve" in result.stderr
    assert result.stdout == ""


def test_purge_migrates_and_reports_what_it_deleted(tmp_path: object) -> None:
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/purge.db",
        "VAR_DIR": str(tmp_path),
        "QUESTION_RETENTION_DAYS": "30",
        "PATH": "/usr/bin:/bin",
    }
    for argv, verb in ((["--dry-run"], "would delete"), ([], "deleted")):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "purge", *argv],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"{verb} 0 question(s) older than 30 days")

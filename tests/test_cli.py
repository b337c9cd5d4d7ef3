from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.cli import build_parser, cmd_ask
from bot.settings import Settings
from nlu.normalize import model_text
from tests.fake_nlu import fake_nlu

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


def ask_env(tmp_path: object, nlu_url: str) -> dict[str, str]:
    """The environment of a `tiepdan ask` on a fresh database in `tmp_path`."""
    return {
        "RASA_URL": nlu_url,
        "RASA_TOKEN": "t",
        "DATABASE_URL": f"sqlite:///{tmp_path}/ask.db",
        "VAR_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }


def test_ask_without_a_running_nlu_says_how_to_start_one(tmp_path: object) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "khai sinh"],
        capture_output=True,
        text=True,
        env=ask_env(tmp_path, "http://127.0.0.1:9"),
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


def test_ask_takes_a_previous_intent_and_checks_it(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser().parse_args(["ask", "--previous", "can_cuoc", "còn", "lệ", "phí?"])
    assert (args.previous, args.text, args.conversation) == (
        "can_cuoc",
        ["còn", "lệ", "phí?"],
        False,
    )
    assert build_parser().parse_args(["ask", "x"]).previous is None
    for argv in (["--previous", "Căn cước", "x"], ["--conversation", "x"]):
        assert cmd_ask(build_parser().parse_args(["ask", *argv]), Settings()) == 2
    assert "--previous" in capsys.readouterr().err


def run_ask(tmp_path: Path, nlu_url: str, *argv: str, stdin: str = "") -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=ask_env(tmp_path, nlu_url),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_ask_answers_a_follow_up_for_the_previous_intent(tmp_path: Path) -> None:
    known = {model_text("làm căn cước cần gì"): [("can_cuoc", 0.95), ("tam_tru", 0.02)]}
    with fake_nlu(known) as url:
        [alone] = run_ask(tmp_path, url, "còn lệ phí thì sao?")
        [followed] = run_ask(tmp_path, url, "--previous", "can_cuoc", "còn lệ phí thì sao?")
        lines = "làm căn cước cần gì\ncòn lệ phí thì sao?\ncảm ơn\ncòn lệ phí thì sao?\n"
        talk = run_ask(tmp_path, url, "--jsonl", "--conversation", stdin=lines)
        apart = run_ask(tmp_path, url, "--jsonl", stdin=lines)
    # Every key of before, and the aspect and whether it followed up.
    assert set(alone) == {
        "text", "intent", "confidence", "action", "reply", "suggestions", "aspect", "followup",
    }  # fmt: skip
    assert (alone["action"], alone["followup"]) == ("fallback", False)
    assert (followed["action"], followed["intent"], followed["aspect"]) == (
        "faq",
        "can_cuoc",
        "fee",
    )
    assert followed["followup"] is True
    # A conversation: the first answer is followed up; the "thanks" (out of scope for this
    # fake NLU) answers nothing and keeps the subject, so the last question is followed up.
    assert [(r["intent"], r["aspect"], r["followup"]) for r in talk] == [
        ("can_cuoc", "documents", False),
        ("can_cuoc", "fee", True),
        ("out_of_scope", None, False),
        ("can_cuoc", "fee", True),
    ]
    # Without --conversation every line stands alone.
    assert [r["followup"] for r in apart] == [False, False, False, False]

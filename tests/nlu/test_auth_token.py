"""The generated Rasa token never starts with "-" (`--auth-token -xyz` breaks Rasa's
command line; one token_urlsafe value in 64 does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from nlu import auth_token
from nlu.auth_token import new_token, rasa_token


def test_a_leading_dash_is_drawn_again(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: Iterator[str] = iter(["-abc", "-", "ok-token_1"])
    monkeypatch.setattr(auth_token.secrets, "token_urlsafe", lambda _n: next(drawn))
    assert new_token() == "ok-token_1"


def test_many_generated_tokens_never_start_with_a_dash() -> None:
    # 2,000 draws: a generator that let 1 in 64 through would pass with odds of e^-31.
    tokens = [new_token() for _ in range(2000)]
    assert not any(token.startswith("-") for token in tokens)
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)


def test_the_token_file_is_private_and_a_bad_old_one_is_replaced(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, rasa_token=None)
    (tmp_path / "rasa-token").write_text("-old\n", encoding="utf-8")
    token = rasa_token(settings)
    assert not token.startswith("-") and rasa_token(settings) == token
    assert (tmp_path / "rasa-token").stat().st_mode & 0o777 == 0o600

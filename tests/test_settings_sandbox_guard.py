"""A database that has served the real bot refuses sandbox mode unless told explicitly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot import migrate
from bot.bootstrap import SandboxOnRealDatabase, check_bot_database
from bot.settings import PROJECT_ROOT, Settings


def settings_for(db_url: str, *, token: str | None = None, allow: bool = False) -> Settings:
    return Settings(
        database_url=db_url,
        telegram_bot_token=SecretStr(token) if token else None,
        allow_sandbox_on_real_database=allow,
    )


def test_sandbox_is_refused_once_a_real_bot_used_the_database(db_url: str) -> None:
    check_bot_database(settings_for(db_url))  # a new database: the sandbox is fine
    check_bot_database(settings_for(db_url, token="123:real"))  # recorded
    check_bot_database(settings_for(db_url, token="123:real"))  # and again
    with pytest.raises(SandboxOnRealDatabase, match="ALLOW_SANDBOX_ON_REAL_DATABASE=true"):
        check_bot_database(settings_for(db_url))
    check_bot_database(settings_for(db_url, allow=True))


def test_tiepdan_bot_exits_with_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    migrate.upgrade(url)
    check_bot_database(settings_for(url, token="123:real"))
    (tmp_path / "empty.env").write_text("", encoding="utf-8")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("TELEGRAM_BOT_TOKEN", "ALLOW_SANDBOX_ON_REAL_DATABASE")
    }
    env.update(
        DATABASE_URL=url,
        VAR_DIR=str(tmp_path / "var"),
        TIEPDAN_ENV_FILE=str(tmp_path / "empty.env"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bot"],
        cwd=tmp_path,  # not the project root
        env={**env, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "refusing to start" in done.stderr and "Traceback" not in done.stderr
    assert "has served the real Telegram bot" in done.stderr

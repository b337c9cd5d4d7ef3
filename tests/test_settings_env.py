"""Settings come from the project's .env (or TIEPDAN_ENV_FILE), never from the current
directory's: starting from another folder must not silently drop the token."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, env_file, get_settings

TOKEN = "123456:from-the-env-file"


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The current directory is a folder with its own .env; no setting in the environment."""
    for name in ("TIEPDAN_ENV_FILE", "TELEGRAM_BOT_TOKEN", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_the_current_directory_env_is_not_read(elsewhere: Path) -> None:
    assert env_file() == PROJECT_ROOT / ".env"
    assert Path(str(Settings.model_config["env_file"])).is_absolute()
    for settings in (get_settings(), Settings()):
        token = settings.telegram_bot_token
        assert token is None or token.get_secret_value() != TOKEN


def test_tiepdan_env_file_is_read_from_anywhere(
    elsewhere: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path_factory.mktemp("config") / "tiepdan.env"
    config.write_text(
        f"TELEGRAM_BOT_TOKEN={TOKEN}\nDATABASE_URL=sqlite:///{config.parent / 'x.db'}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("TIEPDAN_ENV_FILE", str(config))
    settings = get_settings()
    assert settings.telegram_bot_token is not None
    assert settings.telegram_bot_token.get_secret_value() == TOKEN and not settings.sandbox_mode
    assert settings.database_url.endswith("/x.db")
    assert get_settings() is settings  # still read once

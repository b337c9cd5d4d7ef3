"""Typed settings, loaded once from the environment (and an optional .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The token the sandbox Bot API accepts and the bot uses when no real token is set.
SANDBOX_BOT_TOKEN = "1000000001:sandbox-token"


class Settings(BaseSettings):
    """Everything configurable, with the defaults a fresh clone runs on."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None

    database_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'var' / 'tiepdan.db'}")
    var_dir: Path = PROJECT_ROOT / "var"
    models_dir: Path = PROJECT_ROOT / "models"

    sandbox_host: str = "127.0.0.1"
    sandbox_port: int = 8081
    console_host: str = "127.0.0.1"
    console_port: int = 8080

    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: SecretStr | None = None
    rasa_timeout: float = 1.0
    rasa_venv: Path = PROJECT_ROOT / ".venv-rasa"

    nlu_confident: float = 0.5
    nlu_ratio: float = 2.0
    log_level: str = "INFO"

    # Cases: attachments a citizen may send with one case, outbox and persistence cadence.
    attachment_max_count: int = 10
    attachment_max_mb: int = 10
    outbox_interval: float = 2.0
    persistence_interval: float = 1.0
    # Retention: citizens' questions are deleted after this many days (the daily purge).
    question_retention_days: int = Field(default=365, ge=1)

    @property
    def sandbox_mode(self) -> bool:
        """True when no Telegram token is set and the bot talks to the local sandbox."""
        return self.telegram_bot_token is None or not self.telegram_bot_token.get_secret_value()

    @property
    def bot_token(self) -> str:
        """The token the bot authenticates with (the sandbox's when none is set)."""
        if self.sandbox_mode or self.telegram_bot_token is None:
            return SANDBOX_BOT_TOKEN
        return self.telegram_bot_token.get_secret_value()

    @property
    def sandbox_url(self) -> str:
        """Base URL of the sandbox server (Bot API, control API and chat page)."""
        return f"http://{self.sandbox_host}:{self.sandbox_port}"

    @property
    def bot_api_base_url(self) -> str:
        """Base URL PTB puts before `<token>/<method>`."""
        if self.telegram_api_base_url:
            return self.telegram_api_base_url.rstrip("/")
        if self.sandbox_mode:
            return f"{self.sandbox_url}/bot"
        return "https://api.telegram.org/bot"

    @property
    def bot_file_base_url(self) -> str:
        """Base URL PTB uses to download files."""
        base = self.bot_api_base_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.replace("/bot", "/file/bot", 1)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()

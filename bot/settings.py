"""Typed settings, loaded once from the environment (and an optional .env file)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The token the sandbox Bot API accepts and the bot uses when no real token is set.
SANDBOX_BOT_TOKEN = "1000000001:sandbox-token"


def env_file() -> Path:
    """The .env file settings are read from: TIEPDAN_ENV_FILE if set, else the project
    root's (whatever the current directory)."""
    return Path(os.environ.get("TIEPDAN_ENV_FILE") or PROJECT_ROOT / ".env")


class Settings(BaseSettings):
    """Everything configurable, with the defaults a fresh clone runs on."""

    # The project's .env (or TIEPDAN_ENV_FILE), never one in the current directory.
    model_config = SettingsConfigDict(env_file=env_file(), extra="ignore")

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
    # A busy Rasa queues parses: under load a right answer a moment later beats "try again";
    # a Rasa that is down must still get the citizen the polite fallback within 2 s.
    rasa_timeout: float = 1.5
    # Parses sent to Rasa at once; the others wait their turn (within RASA_TIMEOUT).
    rasa_parallel: int = Field(default=8, ge=1)
    rasa_venv: Path = PROJECT_ROOT / ".venv-rasa"

    nlu_confident: float = 0.5
    nlu_ratio: float = 2.0
    nlu_off_topic: float = 0.0
    # The answer gate's threshold (nlu/gate.py; 0: no gate).
    nlu_gate: float = Field(default=0.5, ge=0, lt=1)
    # Models trained from the console: model files kept for rollback, the drop in held-out
    # accuracy that needs a second confirmation to activate, cross-validation folds of
    # each evaluation (0: none), and the age after which a "training" row counts as dead.
    nlu_models_keep: int = Field(default=5, ge=1)
    nlu_activation_margin: float = Field(default=0.01, ge=0)
    nlu_crossval_folds: int = Field(default=3, ge=0)
    nlu_training_timeout_minutes: int = Field(default=60, ge=1)
    log_level: str = "INFO"

    # Cases: attachments a citizen may send with one case, outbox and persistence cadence.
    attachment_max_count: int = 10
    attachment_max_mb: int = 10
    outbox_interval: float = 2.0
    persistence_interval: float = 1.0
    # A conversation quiet this long lets the citizen's next text go to the questions.
    conversation_timeout_hours: float = Field(default=2.0, gt=0)
    # Unfinished drafts, supplements and ratings untouched this long are purged daily.
    draft_retention_days: int = Field(default=7, ge=1)
    # Retention: citizens' questions are deleted after this many days (the daily purge).
    question_retention_days: int = Field(default=365, ge=1)

    # Staff console: sessions, log-in lockout, the URL staff open (in alerts), HTTPS.
    console_secret_key: SecretStr | None = None  # unset: generated once into VAR_DIR
    console_public_url: str | None = None  # default http://CONSOLE_HOST:CONSOLE_PORT
    console_https: bool = False  # Secure cookies; set when served behind HTTPS
    console_session_hours: float = Field(default=8.0, gt=0)
    console_login_max_failures: int = Field(default=5, ge=1)
    console_lockout_minutes: int = Field(default=15, ge=1)
    console_max_upload_mb: int = Field(default=10, ge=1)
    # Alerts: each unit's staff Telegram group, e.g. STAFF_CHAT_IDS='{"QH": -1001234567890}'.
    staff_chat_ids: dict[str, int] = Field(default_factory=dict)
    digest_hour: int = Field(default=7, ge=0, le=23)  # local time, working days
    # A question naming no procedure is a follow-up to the last one within this quiet gap.
    followup_minutes: int = Field(default=30, ge=1)
    # How often a bot process asks the database whether the FAQ knowledge (answers, topics,
    # units) changed, and reloads its snapshot if so (seconds; its own edits are live at once).
    knowledge_recheck_seconds: float = Field(default=1.0, ge=0)

    # Abuse: a chat sending faster than this gets a polite slow-down (messages per minute);
    # new cases one chat may lodge a day; the longest supplement text.
    chat_messages_per_minute: int = Field(default=30, ge=1)
    cases_per_chat_per_day: int = Field(default=5, ge=1)
    supplement_max_chars: int = Field(default=4000, ge=1)

    # Personal data of cases closed longer than this is purged daily (the register keeps an
    # anonymised row). Five years is an assumption the office has to confirm.
    case_personal_data_years: int = Field(default=5, ge=1)
    # A database that has served a real bot refuses to start in sandbox mode unless set.
    allow_sandbox_on_real_database: bool = False

    # The outbox retries a message that fails for a transient reason (network, 5xx, 429)
    # until it is this old; a blocked chat or a malformed message fails at once.
    outbox_retry_hours: float = Field(default=72.0, gt=0)

    # -- load (issue 10): helper LOAD adds fields here
    # -- operations (issue 10): helper OPS adds fields here
    # GET /metrics from another host than loopback needs "Authorization: Bearer <this>".
    metrics_token: SecretStr | None = None
    # Log lines as text, or "json": one JSON object per line (both one line per event).
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # -- ordering (issue 10): helper ORDER adds fields here
    # Updates handled at once (different chats; one chat's updates always run in order).
    max_concurrent_updates: int = Field(default=256, ge=1)
    # Long polling: seconds between two getUpdates calls. A waiting long poll returns as
    # soon as a message comes, so a lone citizen never waits for this; under load, the
    # updates that arrive meanwhile come in one call instead of one call each.
    poll_interval: float = Field(default=0.03, ge=0)
    # Several bot processes share conversation state through the database: a per-chat
    # lock and a re-read of the chat's state around each update (unset: on with PostgreSQL).
    shared_state: bool | None = None
    # How long an update waits for another process to finish with its chat before it runs
    # anyway (seconds; a live process holds a chat for one update only).
    chat_lock_wait: float = Field(default=30.0, gt=0)
    # -- outbox coordination and limits (issue 10): helper OUTBOX adds fields here
    # A sender's hold on the outbox messages it claimed; after it, another bot process
    # takes them over (a message whose send had begun becomes "uncertain").
    outbox_lease_seconds: float = Field(default=60.0, gt=0)
    # A send that may have reached Telegram (read timeout, lost answer) is left for staff
    # as "uncertain"; true sends it again by itself (a citizen may then read it twice).
    outbox_resend_uncertain: bool = False
    # Outbox messages a second from this process, all chats together (Telegram allows
    # about 30 a bot; with several bot processes, share it out, e.g. 14 each for two).
    outbox_per_second: float = Field(default=28.0, gt=0)
    # -- webhook (issue 10): helper HOOK adds fields here
    # The public HTTPS URL Telegram posts updates to (unset: long polling); its path is
    # the path this instance serves. See docs/webhook.md.
    telegram_webhook_url: str | None = None
    # The X-Telegram-Bot-Api-Secret-Token every delivery must carry (unset: derived from
    # the bot token, so every instance agrees).
    telegram_webhook_secret: SecretStr | None = None
    # Where this instance listens for the webhook (behind a reverse proxy).
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8443

    @property
    def console_url(self) -> str:
        """The console's address as staff open it (links in alerts)."""
        if self.console_public_url:
            return self.console_public_url.rstrip("/")
        return f"http://{self.console_host}:{self.console_port}"

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
    """The process-wide settings, read once (TIEPDAN_ENV_FILE as it is now)."""
    # pydantic-settings' init argument, which its typing does not declare to mypy.
    return Settings(_env_file=env_file())  # type: ignore[call-arg]

"""What every process does before serving: logging, schema upgrade, seed data."""

from __future__ import annotations

import logging

from sqlalchemy import make_url

from bot import migrate
from bot.cases.clock import utcnow
from bot.db import session_scope
from bot.faq.portable import seed_knowledge
from bot.ops.logs import formatter, quiet_loggers
from bot.settings import Settings, env_file
from bot.state.models import StoredState
from bot.state.service import save

# Where the bot state table remembers that a real Telegram bot used this database.
DEPLOYMENT = "deployment"
REAL_BOT = "real_telegram_bot_since"


def configure_logging(settings: Settings) -> None:
    """One log format for all processes (LOG_FORMAT: text or json), one line per event;
    never log URLs that carry secrets nor payloads that carry citizens' data."""
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(settings.log_format))
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    quiet_loggers()


def prepare_database(settings: Settings) -> int:
    """Upgrade the schema and add from the repository's data files what the database lacks
    (units, topics, canned replies, answers, training examples; admins' edits and deletions
    stay: `tiepdan faq import --overwrite` resets). Returns the number of answers added."""
    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        return seed_knowledge(session=session)["answers"]


class SandboxOnRealDatabase(RuntimeError):
    """Sandbox mode was asked for on a database that has served the real Telegram bot."""


def check_bot_database(settings: Settings) -> None:
    """Remember that this database serves the real bot; refuse sandbox mode on such a
    database (its citizens' pending news would fail for good, the sandbox would show
    their cases) unless ALLOW_SANDBOX_ON_REAL_DATABASE is set."""
    key = (DEPLOYMENT, REAL_BOT)
    with session_scope(settings.database_url) as session:
        served = session.get(StoredState, key)
        if not settings.sandbox_mode:
            if served is None:
                save(session=session, namespace=key[0], key=key[1], value=utcnow().isoformat())
            return
        if served is None or settings.allow_sandbox_on_real_database:
            return
        since = served.value
    raise SandboxOnRealDatabase(
        f"the database {_shown(settings.database_url)} has served the real Telegram bot "
        f"(since {since}), but no TELEGRAM_BOT_TOKEN is set, so the bot would start in "
        "sandbox mode on real citizens' data. Set TELEGRAM_BOT_TOKEN (settings are read "
        f"from {env_file()} and the environment), or use another DATABASE_URL, or set "
        "ALLOW_SANDBOX_ON_REAL_DATABASE=true if this is really wanted."
    )


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)

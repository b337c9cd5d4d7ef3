"""What every process does before serving: logging, schema upgrade, seed data."""

from __future__ import annotations

import logging

from bot import migrate
from bot.db import session_scope
from bot.faq.portable import seed_knowledge
from bot.settings import Settings

# Loggers that would print request URLs, and with them the bot token or the Rasa token.
_URL_LOGGERS = ("httpx", "httpcore", "uvicorn.access")


def configure_logging(settings: Settings) -> None:
    """One log format for all processes; never log URLs that carry secrets."""
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    )
    for name in _URL_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def prepare_database(settings: Settings) -> int:
    """Upgrade the schema and add from the repository's data files what the database lacks
    (units, topics, canned replies, answers, training examples; admins' edits and deletions
    stay: `tiepdan faq import --overwrite` resets). Returns the number of answers added."""
    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        return seed_knowledge(session=session)["answers"]

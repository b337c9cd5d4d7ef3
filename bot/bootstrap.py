"""What every process does before serving: logging, schema upgrade, seed data."""

from __future__ import annotations

import logging

from bot import migrate
from bot.cases.canned import read_canned_file, seed_canned
from bot.db import session_scope
from bot.faq.service import import_answers, read_answer_files
from bot.faq.topics import import_topics, read_topics_file
from bot.settings import Settings
from bot.units.service import import_units, read_units_file

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
    """Upgrade the schema, load units and topics, seed canned replies, add answers for intents
    the database lacks."""
    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        import_units(session=session, rows=read_units_file())
        import_topics(session=session, rows=read_topics_file())
        seed_canned(session=session, rows=read_canned_file())
        return import_answers(session=session, answers=read_answer_files())

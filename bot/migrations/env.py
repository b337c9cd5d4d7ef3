"""Alembic environment: runs migrations on the URL handed over by bot.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.db import make_engine
from bot.models import Base

config = context.config
target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    """Run the migrations on an open connection."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        run_with(conn)
    engine.dispose()

"""The typed callback context handlers receive, carrying the app's long-lived services."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.answering.service import Thresholds
from bot.settings import Settings
from nlu.client import NluClient

T = TypeVar("T")


class BotData:
    """Services shared by all handlers; filled in once by the composition root."""

    settings: Settings
    nlu: NluClient
    sessions: sessionmaker[Session]
    thresholds: Thresholds

    async def db(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a committed transaction on a worker thread."""

        def run() -> T:
            with self.sessions() as session, session.begin():
                return work(session)

        return await asyncio.to_thread(run)


class Context(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to the services."""

    @property
    def services(self) -> BotData:
        """The application's shared services."""
        return self.bot_data


TiepdanApp = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, Any]

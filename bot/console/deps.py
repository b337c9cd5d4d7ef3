"""What every console view needs: the database on a worker thread, the signed-in person."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker
from starlette.requests import Request

from bot.settings import Settings
from bot.staff.roles import Actor

T = TypeVar("T")


def settings_of(request: Request) -> Settings:
    """The console's settings."""
    settings: Settings = request.app.state.settings
    return settings


async def run_db(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one committed transaction on a worker thread."""
    sessions: sessionmaker[Session] = request.app.state.sessions

    def run() -> T:
        with sessions() as session, session.begin():
            return work(session)

    return await asyncio.to_thread(run)


def actor_of(request: Request) -> Actor:
    """The person signed in (set by `login_required`)."""
    actor: Actor = request.state.actor
    return actor


def client_ip(request: Request) -> str:
    """The caller's address (for the audit log and log-in throttling)."""
    return request.client.host if request.client else "-"

"""Fixtures: the in-process sandbox (a Bot API that answers getMe) and console clients."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.console.app import create_app
from bot.settings import Settings
from tests.handlers.harness import sandbox_server


@pytest.fixture
async def sandbox_url() -> AsyncIterator[str]:
    async with sandbox_server() as url:
        yield url


def console_client(settings: Settings, client: str = "127.0.0.1") -> httpx.AsyncClient:
    """An HTTP client for a console app in process, calling from the address `client`."""
    transport = httpx.ASGITransport(app=create_app(settings), client=(client, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")

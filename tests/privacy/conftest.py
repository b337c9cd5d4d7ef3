"""The in-process sandbox and real bot of tests/handlers, for the erasure through the chat."""

from tests.handlers.conftest import bot, citizen, sandbox_url, settings

__all__ = ["bot", "citizen", "sandbox_url", "settings"]

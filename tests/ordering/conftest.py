"""The handler tests' fixtures: the sandbox in process and the real bot polling it."""

from tests.handlers.conftest import bot, citizen, sandbox_url, settings

__all__ = ["bot", "citizen", "sandbox_url", "settings"]

"""The sandbox: a local Telegram Bot API server, a control API and a chat page."""

from bot.sandbox.server import create_app, serve

__all__ = ["create_app", "serve"]

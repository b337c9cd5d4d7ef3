"""How the bot receives updates: long polling, or (TELEGRAM_WEBHOOK_URL set) its own webhook
server registered with setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.ordering.processor import ChatOrderedProcessor
from bot.serving import quiet_server
from bot.settings import Settings
from bot.webhook.completion import Completions
from bot.webhook.config import MAX_CONNECTIONS, WebhookConfig, webhook_config
from bot.webhook.endpoint import create_webhook_app
from bot.webhook.refusals import RefusalLog

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@contextlib.asynccontextmanager
async def receive_updates(app: AnyApplication, settings: Settings) -> AsyncIterator[None]:
    """Feed updates to a started `app` until the block ends: by webhook when
    TELEGRAM_WEBHOOK_URL is set, else by long polling."""
    config = webhook_config(settings)
    if config is not None:
        async with serve_webhook(app, config):
            yield
        return
    assert app.updater is not None
    await app.updater.start_polling(
        allowed_updates=Update.ALL_TYPES, poll_interval=settings.poll_interval
    )
    try:
        yield
    finally:
        await app.updater.stop()


@contextlib.asynccontextmanager
async def serve_webhook(app: AnyApplication, config: WebhookConfig) -> AsyncIterator[None]:
    """Listen on the configured host and port, register the webhook, and serve it until the
    block ends. The webhook is not deleted on the way out: another instance may serve it,
    and Telegram keeps updates for a while if none does."""
    refusals = RefusalLog(log)
    completions: Completions | None = None
    processor = app.update_processor
    if isinstance(processor, ChatOrderedProcessor):
        completions = Completions()
        processor.on_done = completions.done  # answer each delivery once it is handled
    endpoint = create_webhook_app(
        path=config.path,
        secret=config.secret,
        bot=app.bot,
        queue=app.update_queue,
        refusals=refusals,
        completions=completions,
    )
    listener = _listen(config.host, config.port)
    server = quiet_server(endpoint)
    serving = asyncio.create_task(server.serve(sockets=[listener]))
    try:
        await app.bot.set_webhook(
            url=config.url,
            secret_token=config.secret,
            allowed_updates=Update.ALL_TYPES,
            max_connections=MAX_CONNECTIONS,
        )
        log.info("Webhook set; serving it on %s:%d%s", config.host, config.port, config.path)
        yield
    finally:
        server.should_exit = True
        await serving
        listener.close()
        refusals.flush()


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, so connections queue up before uvicorn accepts them."""
    try:
        listener = socket.create_server((host, port), backlog=128)
    except OSError as error:
        message = f"the webhook cannot listen on {host}:{port}: {error.strerror}"
        raise OSError(error.errno, message) from error
    listener.setblocking(False)
    return listener

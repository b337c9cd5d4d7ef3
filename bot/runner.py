"""`tiepdan run`: the sandbox (without a token), the Rasa server and the bot, stopped together."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from telegram.ext import Application

from bot.app import build_application
from bot.bootstrap import SandboxOnRealDatabase, check_bot_database, prepare_database
from bot.console.app import serve as serve_console
from bot.db import session_scope
from bot.sandbox.server import serve as serve_sandbox
from bot.settings import Settings
from bot.staff.service import count_staff
from bot.training.activation import startup_model, watch_activations
from bot.webhook.config import WebhookConfigError, webhook_config
from bot.webhook.receiver import receive_updates
from nlu.server import RasaServer
from nlu.supervisor import RasaSupervisor
from nlu.switch import ModelSwitch, candidate_server, parse_probe, publish_url
from nlu.train import train

log = logging.getLogger(__name__)


async def run(
    settings: Settings,
    *,
    start_rasa: bool = True,
    start_sandbox: bool = True,
    start_console: bool = True,
) -> None:
    """Start everything, print the URLs, and stop it all cleanly on Ctrl-C or SIGTERM."""
    stop = _stop_event()
    try:
        webhook_config(settings)  # a bad TELEGRAM_WEBHOOK_URL fails now, not after Rasa
    except WebhookConfigError as error:
        raise SystemExit(f"tiepdan: refusing to start: {error}") from None
    await asyncio.to_thread(prepare_database, settings)
    try:
        await asyncio.to_thread(check_bot_database, settings)
    except SandboxOnRealDatabase as refused:
        raise SystemExit(f"tiepdan: refusing to start: {refused}") from None
    sandbox: asyncio.Task[None] | None = None
    console: asyncio.Task[None] | None = None
    rasa: RasaServer | None = None
    try:
        if start_console:
            console = asyncio.create_task(serve_console(settings))
            await _wait_for_port(settings.console_host, settings.console_port, console)
        if start_sandbox and settings.sandbox_mode:
            sandbox = asyncio.create_task(
                serve_sandbox(
                    host=settings.sandbox_host, port=settings.sandbox_port, token=settings.bot_token
                )
            )
            await _wait_for_port(settings.sandbox_host, settings.sandbox_port, sandbox)
        if start_rasa:
            rasa = await _start_rasa(settings)
        if not stop.is_set():
            await _run_bot(settings, stop, rasa, console=start_console)
    finally:
        if rasa is not None:
            await asyncio.to_thread(rasa.stop)
        for task in (sandbox, console):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        log.info("Stopped.")


async def run_console(settings: Settings) -> None:
    """Only the staff console (`tiepdan console`), until Ctrl-C or SIGTERM."""
    stop = _stop_event()
    await asyncio.to_thread(prepare_database, settings)
    console = asyncio.create_task(serve_console(settings))
    await _wait_for_port(settings.console_host, settings.console_port, console)
    print(f"Staff console: {settings.console_url}  (Ctrl-C to stop)", flush=True)
    await _print_first_admin_hint(settings)
    await stop.wait()
    console.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await console


async def _start_rasa(settings: Settings) -> RasaServer:
    """The active model of the registry, or (none, or its file gone) the model of the
    current data, trained if needed; the server itself is started by its supervisor."""
    model = await asyncio.to_thread(startup_model, settings, train)
    rasa = RasaServer.for_model(settings, model)
    log.info("Starting the Rasa NLU server (model %s); its log: %s", model.name, rasa.log_path)
    return rasa


async def _run_bot(
    settings: Settings, stop: asyncio.Event, rasa: RasaServer | None, *, console: bool
) -> None:
    """Poll for updates until `stop` is set, keeping the Rasa server up meanwhile and
    switching it to the model an admin activates."""
    app = build_application(settings)
    tasks: list[asyncio.Task[None]] = []
    supervisor: RasaSupervisor | None = None
    if rasa is not None:
        supervisor = RasaSupervisor(rasa, app.bot_data.nlu.ready)
        await supervisor.start(stop)
        publish_url(settings.var_dir, rasa.url)
        switch = ModelSwitch(
            supervisor,
            app.bot_data.nlu,
            make_server=candidate_server(settings),
            probe=parse_probe(settings),
            on_switched=lambda url: publish_url(settings.var_dir, url),
        )
        tasks.append(asyncio.create_task(watch_activations(settings, switch, stop)))
        tasks.append(asyncio.create_task(supervisor.watch(stop)))
    try:
        await _poll_until(app, stop, settings, rasa_managed=rasa is not None, console=console)
    finally:
        for task in tasks:  # a switch under way first: it stops its new server
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if supervisor is not None:
            publish_url(settings.var_dir, None)
            await asyncio.to_thread(supervisor.server.stop)


async def _poll_until(
    app: Application[Any, Any, Any, Any, Any, Any],
    stop: asyncio.Event,
    settings: Settings,
    *,
    rasa_managed: bool,
    console: bool,
) -> None:
    async with app:
        if app.post_init is not None:
            await app.post_init(app)
        await app.start()
        # Long polling, or the webhook (TELEGRAM_WEBHOOK_URL; left set on stop, see
        # docs/webhook.md).
        async with receive_updates(app, settings):
            _print_urls(settings, rasa_managed=rasa_managed, console=console)
            if console:
                await _print_first_admin_hint(settings)
            await stop.wait()
        await app.stop()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def _wait_for_port(host: str, port: int, server: asyncio.Task[None]) -> None:
    """Wait until a server of ours accepts connections (or fail if it crashed)."""
    for _ in range(200):
        if server.done():
            server.result()
            raise RuntimeError(f"the server for {host}:{port} stopped during start-up")
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise RuntimeError(f"nothing opened {host}:{port}")


def _stop_event() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _print_first_admin_hint(settings: Settings) -> None:
    """With no staff account yet, say the one command that creates the first admin."""
    count = await asyncio.to_thread(_staff_count, settings)
    if count == 0:
        print(
            "No staff account yet. Create the first administrator with:\n"
            "  .venv/bin/tiepdan staff add admin --role admin",
            flush=True,
        )


def _staff_count(settings: Settings) -> int:
    with session_scope(settings.database_url) as session:
        return count_staff(session=session)


def _print_urls(settings: Settings, *, rasa_managed: bool, console: bool) -> None:
    """Tell the person at the terminal where everything is."""
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    lines = ["", "tiepdan is running."]
    if console:
        lines.append(f"  Staff console:      {settings.console_url}")
    if settings.sandbox_mode:
        lines.append(f"  Sandbox chat page:  {settings.sandbox_url}/sandbox")
        lines.append(f"  Sandbox Bot API:    {settings.sandbox_url}/bot<token>/<method>")
    else:
        lines.append(f"  Telegram Bot API:   {settings.bot_api_base_url}")
    if settings.telegram_webhook_url:
        listening = f"{settings.webhook_host}:{settings.webhook_port}"
        lines.append(f"  Webhook:            {settings.telegram_webhook_url} (on {listening})")
    else:
        lines.append("  Updates:            long polling")
    nlu_state = "started here" if rasa_managed else "external"
    lines.append(f"  Rasa NLU server:    {settings.rasa_url} ({nlu_state})")
    lines.append(f"  Database:           {database}")
    lines.append(f"  Logs:               {Path(settings.var_dir) / 'log'}")
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), flush=True)

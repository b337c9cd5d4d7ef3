"""`tiepdan nlu models`, `tiepdan nlu activate VERSION` and `tiepdan bench activate`.

`nlu activate` only asks (the row becomes "activating", audited with the actor
"staff:cli"); the running `tiepdan run` switches within a second or two and the command
waits for the outcome. With no bot running, nobody picks the request up: the command
says so and the next `tiepdan run` switches to the model right after it starts.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from bot import migrate
from bot.cases.clock import local
from bot.db import session_scope
from bot.settings import Settings
from bot.staff.roles import Actor, Role
from bot.texts import activation as activation_texts
from bot.training.models import TrainedModel
from bot.training.registry import NotActivatable, Status, get_model, list_models

Command = Callable[[argparse.Namespace, Settings], int]
AddCommand = Callable[[Any, str, Command], argparse.ArgumentParser]

CLI_ACTOR = Actor(id=0, username="cli", role=Role.ADMIN, unit_code=None, display_name="cli")
# Without a running bot, nobody notes the request as being switched to within this time.
PICKUP_SECONDS = 6.0
NOT_ACTIVATABLE = {
    "already_active": "{version} already serves citizens",
    "status": "{version} cannot be activated (status {status}): only ready or retired models",
    "missing_file": "the file of {version} is no longer on disk",
    "busy": "another model is being activated; wait until it is done",
}


def cmd_nlu_models(args: argparse.Namespace, settings: Settings) -> int:
    """List the trained models: version, status, who trained it, when, accuracy."""
    migrate.upgrade(settings.database_url)
    with session_scope(settings.database_url) as session:
        rows = [_model_line(model) for model in list_models(session=session)]
    print(f"{'version':<32} {'status':<10} {'trained by':<20} {'finished':<16} heldout")
    for line in rows:
        print(line)
    return 0


def _model_line(model: TrainedModel) -> str:
    finished = f"{local(model.finished_at):%Y-%m-%d %H:%M}" if model.finished_at else "-"
    accuracy = ((model.figures or {}).get("heldout") or {}).get("accuracy")
    shown = f"{100 * accuracy:.1f} %" if isinstance(accuracy, int | float) else "-"
    line = f"{model.version:<32} {model.status:<10} {model.trained_by:<20} {finished:<16} {shown}"
    if model.error:
        line += f"\n{'':<32} error: {model.error.splitlines()[0]}"
    return line


def cmd_nlu_activate(args: argparse.Namespace, settings: Settings) -> int:
    """Serve citizens with model VERSION (also an older one: rollback), without downtime."""
    from bot.training.service import request_activation

    migrate.upgrade(settings.database_url)
    version = args.version
    try:
        with session_scope(settings.database_url) as session:
            request_activation(session=session, actor=CLI_ACTOR, version=version, confirmed=True)
    except LookupError:
        print(f"error: no model {version}; see `tiepdan nlu models`", file=sys.stderr)
        return 2
    except NotActivatable as exc:
        status = _status(settings, version)
        message = NOT_ACTIVATABLE[exc.reason].format(version=version, status=status)
        print(f"error: {message}", file=sys.stderr)
        return 0 if exc.reason == "already_active" else 2
    print(f"Asked the bot to serve {version}.", flush=True)
    if args.no_wait:
        return 0
    return _await_switch(settings, version, timeout=args.wait)


def _await_switch(settings: Settings, version: str, *, timeout: float) -> int:
    """Follow the request: picked up by a running bot, then active or failed."""
    started = time.monotonic()
    picked_up = False
    while time.monotonic() - started < timeout:
        with session_scope(settings.database_url) as session:
            model = get_model(session=session, version=version)
            status, progress, error = model.status, model.progress, model.error
        if status == Status.ACTIVE:
            print(f"{version} serves citizens now ({time.monotonic() - started:.0f} s).")
            return 0
        if status != Status.ACTIVATING:
            print(
                f"error: the switch failed; the previous model keeps serving.\n{error or ''}",
                file=sys.stderr,
            )
            return 1
        if not picked_up and progress == activation_texts.SWITCHING:
            picked_up = True
            print("The running bot is starting a server on it (about 20-30 s)…", flush=True)
        if not picked_up and time.monotonic() - started > PICKUP_SECONDS:
            print(
                "No running bot picked the request up: the next `tiepdan run` serves it "
                "(it switches to it right after it starts)."
            )
            return 0
        time.sleep(0.5)
    print(
        f"error: still switching after {timeout:.0f} s; see `tiepdan nlu models`", file=sys.stderr
    )
    return 1


def _status(settings: Settings, version: str) -> str:
    with session_scope(settings.database_url) as session:
        return str(get_model(session=session, version=version).status)


def add_activation_commands(nlu: Any, bench: Any, add: AddCommand) -> None:
    """Register `nlu models`, `nlu activate` and `bench activate`."""
    from bot.bench_activate import cmd_bench_activate

    add(nlu, "models", cmd_nlu_models)
    activate = add(nlu, "activate", cmd_nlu_activate)
    activate.add_argument("version", help="the model's version (see `tiepdan nlu models`)")
    activate.add_argument(
        "--wait", type=float, default=300.0, help="seconds to wait for the switch (default 300)"
    )
    activate.add_argument(
        "--no-wait", action="store_true", help="only ask; do not wait for the running bot"
    )
    bench_activate = add(bench, "activate", cmd_bench_activate)
    bench_activate.add_argument(
        "--interval", type=float, default=0.3, help="seconds between citizen messages"
    )
    bench_activate.add_argument("--write", metavar="PATH", help="put the figures into PATH")

"""`tiepdan bench activate`: retraining and activating a model while citizens keep asking.

It starts its own `tiepdan run` in a temporary directory (free ports, a fresh SQLite
database seeded with the full knowledge base, the shared MODELS_DIR), so the office's
data and registry are never touched. An admin logs in to the console, presses "Train",
and activates the new model once it is ready, exactly as in the browser; meanwhile a
citizen asks a question every `interval` seconds through the sandbox, each from a chat
of its own. Reported: the time from "Train" to the new model answering, reply latency
during training and during the switch, lost / duplicated / failed messages, and the
peak resident memory of the Rasa servers together.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bot.bench_stream import CitizenStream, MemoryPeak
from bot.db import session_scope
from bot.settings import Settings
from bot.training.registry import Status, get_model
from nlu.switch import free_port

SECTION = "# Activation benchmark"
TIEPDAN = str(Path(sys.executable).parent / "tiepdan")
ADMIN, PASSWORD = "bench.admin", "bench-Activate-2026"
START_TIMEOUT = 300.0
TRAIN_TIMEOUT = 600.0


class BenchStack:
    """A `tiepdan run` of its own in `workdir`."""

    def __init__(self, workdir: Path, settings: Settings) -> None:
        self.workdir = workdir
        self.sandbox, self.console, self.rasa = free_port(), free_port(), free_port()
        self.database_url = f"sqlite:///{workdir / 'tiepdan.db'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_"))},
            "SANDBOX_PORT": str(self.sandbox),
            "CONSOLE_PORT": str(self.console),
            "RASA_URL": f"http://127.0.0.1:{self.rasa}",
            "DATABASE_URL": self.database_url,
            "VAR_DIR": str(workdir / "var"),
            "MODELS_DIR": str(settings.models_dir),
        }
        self.log = workdir / "tiepdan.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        subprocess.run(
            [TIEPDAN, "staff", "add", ADMIN, "--role", "admin", "--password-stdin"],
            input=f"{PASSWORD}\n".encode(),
            env=self.env,
            check=True,
            capture_output=True,
        )
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [TIEPDAN, "run"], env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_TIMEOUT
        while "tiepdan is running" not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("tiepdan run did not start:\n" + self.tail())
            time.sleep(0.5)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])

    def status(self, version: str) -> tuple[str, str | None]:
        with session_scope(self.database_url) as session:
            model = get_model(session=session, version=version)
            return str(model.status), model.error


async def console_admin(base: str) -> httpx.AsyncClient:
    """An HTTP client logged in to the console as the bench's admin."""
    http = httpx.AsyncClient(base_url=base, timeout=30)
    await post_form(http, "/login", "/login", {"username": ADMIN, "password": PASSWORD})
    return http


async def post_form(
    http: httpx.AsyncClient, page: str, action: str, data: dict[str, str]
) -> httpx.Response:
    """Submit a console form the way a browser does (with its CSRF token)."""
    found = re.search(r'name="csrftoken" value="([^"]+)"', (await http.get(page)).text)
    if found is None:
        raise RuntimeError(f"no form on {page}")
    response = await http.post(action, data={**data, "csrftoken": found.group(1)})
    if response.status_code != 303:
        raise RuntimeError(f"{action}: HTTP {response.status_code}")
    return response


async def wait_status(stack: BenchStack, version: str, wanted: set[str], within: float) -> str:
    """Poll the registry until `version` reaches one of `wanted`."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        status, error = await asyncio.to_thread(stack.status, version)
        if status in wanted:
            return status
        if status == Status.FAILED:
            raise RuntimeError(f"{version} failed: {error}")
        await asyncio.sleep(0.1)
    raise TimeoutError(f"{version} did not reach {wanted} in {within:.0f} s")


async def measure(stack: BenchStack, interval: float) -> dict[str, Any]:
    """Train and activate through the console while citizens ask; the figures."""
    assert stack.process is not None
    admin = await console_admin(f"http://127.0.0.1:{stack.console}")
    stop = asyncio.Event()
    stream = CitizenStream(f"http://127.0.0.1:{stack.sandbox}/sandbox/api", interval=interval)
    memory = MemoryPeak(stack.process.pid)
    tasks = [asyncio.create_task(stream.run(stop)), asyncio.create_task(memory.run(stop))]
    try:
        await asyncio.sleep(3.0)
        t_train = time.monotonic()
        response = await post_form(admin, "/admin/models", "/admin/models/train", {})
        version = response.headers["location"].split("started=")[1]
        await wait_status(stack, version, {Status.READY}, TRAIN_TIMEOUT)
        t_ready = time.monotonic()
        await post_form(admin, "/admin/models", f"/admin/models/{version}/activate", {})
        await wait_status(stack, version, {Status.ACTIVE, Status.READY}, START_TIMEOUT)
        t_live = time.monotonic()
        status, error = await asyncio.to_thread(stack.status, version)
        if status != Status.ACTIVE:
            raise RuntimeError(f"the switch to {version} failed: {error}")
        await asyncio.sleep(3.0)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await admin.aclose()
    return {
        "version": version,
        "train_to_live_s": round(t_live - t_train, 1),
        "training_s": round(t_ready - t_train, 1),
        "switch_s": round(t_live - t_ready, 1),
        "interval_s": interval,
        "during_training": stream.report(t_train, t_ready),
        "during_switch": stream.report(t_ready, t_live + 1.0),
        "all": stream.report(),
        "rasa_peak_mb": round(memory.peak_bytes / 2**20),
        "rasa_servers_at_peak": memory.peak_servers,
    }


def run_activation_bench(settings: Settings, *, interval: float) -> dict[str, Any]:
    """Start a stack of its own, measure, stop it."""
    with tempfile.TemporaryDirectory(prefix="tiepdan-bench-activate-") as tmp:
        stack = BenchStack(Path(tmp), settings)
        try:
            stack.start()
            return asyncio.run(measure(stack, interval))
        except Exception:
            print(stack.tail(), file=sys.stderr)
            raise
        finally:
            stack.stop()


def markdown(report: dict[str, Any], command: str) -> str:
    """The section of docs/benchmarks.md."""

    def row(name: str, part: dict[str, Any]) -> str:
        lat = part["latency"] or {"median_ms": "-", "p95_ms": "-", "max_ms": "-"}
        return (
            f"| {name} | {part['messages']} | {lat['median_ms']} | {lat['p95_ms']} | "
            f"{lat['max_ms']} | {part['lost']} | {part['duplicated']} | {part['failed']} |"
        )

    return (
        f"{SECTION}\n\n"
        f"Measured {datetime.date.today():%Y-%m-%d} on this project's machine "
        f"({os.cpu_count()} cores) with `{command}`: a `tiepdan run` of its own (fresh "
        'database with the full knowledge base), an admin presses "Train" in the console '
        "(export, `rasa train nlu`, held-out evaluation, cross-validation) and activates the "
        "new model when it is ready; the bot starts a second Rasa server on it, switches "
        "its NLU client and stops the old server. Meanwhile a citizen asks a question "
        f"every {report['interval_s']} s through the sandbox, each from a new chat.\n\n"
        f'- From "Train" to the new model answering citizens: **{report["train_to_live_s"]} s** '
        f"(training and evaluation {report['training_s']} s, switch {report['switch_s']} s; "
        "target: within 3 minutes).\n"
        f"- Peak resident memory of the Rasa servers together: **{report['rasa_peak_mb']} MB** "
        f"({report['rasa_servers_at_peak']} server(s) at that moment).\n\n"
        "| messages sent | n | p50 ms | p95 ms | max ms | lost | answered twice | failed |\n"
        "|---|---|---|---|---|---|---|---|\n"
        f"{row('during training', report['during_training'])}\n"
        f"{row('during the switch', report['during_switch'])}\n"
        f"{row('whole run', report['all'])}\n\n"
        'Targets: no message lost, answered twice or failed ("understanding unavailable"); '
        "maximum reply latency during the switch under 2 s.\n"
    )


def cmd_bench_activate(args: argparse.Namespace, settings: Settings) -> int:
    """Time "Train" → new model live, with citizen reply latency meanwhile (own stack)."""
    from bot.markdown_sections import write_section

    report = run_activation_bench(settings, interval=args.interval)
    command = "tiepdan bench activate" + (
        f" --interval {args.interval}" if args.interval != 0.3 else ""
    )
    print(json.dumps(report, ensure_ascii=False, indent=2))
    if args.write:
        write_section(Path(args.write), SECTION, markdown(report, command))
    switch = report["during_switch"]
    ok = report["all"]["lost"] == report["all"]["duplicated"] == report["all"]["failed"] == 0
    return 0 if ok and switch["latency"] and switch["latency"]["max_ms"] < 2000 else 1

"""`tiepdan bench load`: N simulated citizens against the bot, and the NLU alone.

The sandbox and the bot run as processes of their own (`bot.bench_load_stack`), so the
bot's CPU and memory are its own. Each citizen sends a question from the held-out set,
waits for the first reply with the control API's long poll, thinks, and asks again;
after a warm-up, `seconds` of this are measured. Then as many callers in this process
call Rasa's `/model/parse` with the bot's NLU client, driven by the same loop (texts,
start offsets, think time) for as long: what Rasa alone delivers to the same callers,
which the bot's replies/s is compared with; this process's CPU time over that phase is
what the NLU call costs its caller. Last, the same callers without think time: Rasa's
capacity (skipped with think 0, when the previous phase was already that).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import shutil
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import psutil

from bot import texts
from bot.bench_load_stats import (
    Exchange,
    ParseRun,
    load_figures,
    measured,
    table_row,
    text_report,
)
from bot.settings import Settings
from nlu.client import NluClient, NluUnavailable

if TYPE_CHECKING:
    from bot.bench_load_stack import LoadStack

FIRST_CHAT = 770_000_000
REPLY_TIMEOUT = 10.0
WARMUP = 2.0
PARSE_WARMUP = 0.5  # Rasa is warm after the citizens: only the client's connections open
CAPACITY_SECONDS = 10.0  # at most, for Rasa saturated
SAMPLE_INTERVAL = 0.2  # seconds between two readings of the bot's memory


def questions() -> list[str]:
    """The citizens' questions: every text of the held-out set, in a fixed shuffled order."""
    from nlu.evaluate import load_test_set

    texts_ = [example.text for example in load_test_set()]
    random.Random(10).shuffle(texts_)
    return texts_


@dataclass
class Window:
    """The measured part of a phase (monotonic clock)."""

    start: float
    end: float

    @classmethod
    def after(cls, warmup: float, seconds: float) -> Window:
        start = time.monotonic() + warmup
        return cls(start, start + seconds)

    def wall(self) -> tuple[float, float]:
        """The window in time.time() (what other processes' clocks read)."""
        offset = time.time() - time.monotonic()
        return self.start + offset, self.end + offset


@dataclass
class Recorder:
    """What the citizens saw."""

    exchanges: list[Exchange] = field(default_factory=list)
    errors: int = 0
    asked: int = 0  # questions sent, warm-up included
    bot_messages: int = 0  # messages the bot sent to the citizens' chats in all


async def wait_reply(
    http: httpx.AsyncClient, api: str, chat_id: int, after: int, patience: float
) -> list[dict[str, Any]]:
    """The bot's messages after message `after` as soon as there are any ([] once
    `patience` seconds have passed)."""
    deadline = time.monotonic() + patience
    while (remaining := deadline - time.monotonic()) > 0:
        response = await http.get(
            f"{api}/messages",
            params={"chat_id": chat_id, "after": after, "wait": round(remaining, 3)},
            timeout=remaining + 5,
        )
        response.raise_for_status()
        found: list[dict[str, Any]] = response.json()
        if found:
            return found
    return []


Ask = Callable[[int, str], Awaitable[None]]


async def closed_loop(
    number: int, ask: Ask, *, questions: list[str], window: Window, think: float
) -> None:
    """Caller `number` of a phase, timed as a citizen: from a random start offset (no
    lockstep), ask the next question and wait for the answer (`ask`, which records it),
    think, and again until the window closes."""
    index = number * 7
    await asyncio.sleep(random.Random(number).uniform(0, max(think, 0.05)))
    while time.monotonic() < window.end:
        await ask(number, questions[index % len(questions)])
        index += 1
        await asyncio.sleep(think)


async def callers(
    count: int, ask: Ask, *, questions: list[str], window: Window, think: float
) -> None:
    """`count` closed-loop callers until the window closes."""
    await asyncio.gather(
        *(
            closed_loop(n, ask, questions=questions, window=window, think=think)
            for n in range(count)
        )
    )


def citizen(
    *, http: httpx.AsyncClient, api: str, window: Window, patience: float, record: Recorder
) -> Ask:
    """A citizen's question through the sandbox: sent, its first reply awaited, recorded."""

    async def ask(number: int, text: str) -> None:
        chat_id = FIRST_CHAT + number
        sent_at = time.monotonic()
        record.asked += 1
        try:
            sent = await http.post(f"{api}/send", json={"chat_id": chat_id, "text": text})
            sent.raise_for_status()
            replies = await wait_reply(http, api, chat_id, sent.json()["message_id"], patience)
        except httpx.HTTPError:
            if sent_at >= window.start:
                record.errors += 1
            return
        latency = time.monotonic() - sent_at if replies else None
        down = any(texts.NLU_DOWN in str(m.get("text", "")) for m in replies)
        record.exchanges.append(Exchange(sent_at, latency, down))

    return ask


@dataclass
class ProcessSampler:
    """A process's CPU time over the measured window and its peak resident memory."""

    process: psutil.Process
    peak_rss: int = 0
    cpu_at_start: float | None = None
    cpu_at_end: float | None = None

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)

    async def run(self, window: Window, done: asyncio.Event) -> None:
        while not done.is_set():
            now = time.monotonic()
            self.peak_rss = max(self.peak_rss, self.process.memory_info().rss)
            if self.cpu_at_start is None and now >= window.start:
                self.cpu_at_start = self.cpu()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), SAMPLE_INTERVAL)
        self.cpu_at_end = self.cpu()
        self.peak_rss = max(self.peak_rss, self.process.memory_info().rss)

    @property
    def cpu_seconds(self) -> float:
        if self.cpu_at_start is None or self.cpu_at_end is None:
            return 0.0
        return self.cpu_at_end - self.cpu_at_start


async def citizens_phase(
    stack: LoadStack, *, chats: int, seconds: float, think: float, texts_: list[str]
) -> tuple[Recorder, Window, ProcessSampler, ProcessSampler]:
    """The citizens, warm-up then `seconds` measured, with the bot and the sandbox sampled
    meanwhile."""
    record = Recorder()
    window = Window.after(WARMUP + think, seconds)
    sampler = ProcessSampler(psutil.Process(stack.bot_pid))
    sandbox = ProcessSampler(psutil.Process(stack.sandbox_pid))
    done = asyncio.Event()
    limits = httpx.Limits(max_connections=2 * chats + 10, max_keepalive_connections=2 * chats)
    async with httpx.AsyncClient(timeout=REPLY_TIMEOUT + 5, limits=limits) as http:
        sampling = asyncio.gather(sampler.run(window, done), sandbox.run(window, done))
        api = f"{stack.sandbox_url}/sandbox/api"
        ask = citizen(http=http, api=api, window=window, patience=REPLY_TIMEOUT, record=record)
        await callers(chats, ask, questions=texts_, window=window, think=think)
        done.set()
        await sampling
        for n in range(chats):  # an answer in several messages shows here
            sent = await http.get(f"{api}/messages", params={"chat_id": FIRST_CHAT + n})
            record.bot_messages += len(sent.json())
    return record, window, sampler, sandbox


async def parse_phase(
    stack: LoadStack, *, clients: int, seconds: float, think: float, texts_: list[str]
) -> ParseRun:
    """`clients` callers of Rasa's `/model/parse` with the bot's client, driven as the
    citizens are (`closed_loop`), `seconds` measured after a short warm-up; with this
    process's CPU time over the phase, when nothing else runs in it (the citizens' HTTP
    client is closed, the bot's sampler stopped)."""
    nlu = NluClient(base_url=stack.rasa_url, token=stack.rasa_token, timeout=REPLY_TIMEOUT)
    calls: list[Exchange] = []

    async def ask(_number: int, text: str) -> None:
        sent_at = time.monotonic()
        try:
            await nlu.parse(text)
        except NluUnavailable:
            calls.append(Exchange(sent_at, None))
            return
        calls.append(Exchange(sent_at, time.monotonic() - sent_at))

    window = Window.after(PARSE_WARMUP + think, seconds)
    try:
        cpu = time.process_time()  # the client is built outside: its SSL context is not a call
        await callers(clients, ask, questions=texts_, window=window, think=think)
        cpu = time.process_time() - cpu
    finally:
        await nlu.aclose()
    return ParseRun(calls=calls, start=window.start, seconds=seconds, cpu_seconds=cpu)


async def measure(
    stack: LoadStack, *, chats: int, seconds: float, think: float
) -> tuple[dict[str, Any], Window]:
    """The phases on a running stack: the figures, and the citizens' measured window."""
    texts_ = questions()
    record, window, sampler, sandbox = await citizens_phase(
        stack, chats=chats, seconds=seconds, think=think, texts_=texts_
    )
    parse = await parse_phase(stack, clients=chats, seconds=seconds, think=think, texts_=texts_)
    capacity = None
    if think > 0:  # else `parse` was Rasa saturated already
        capacity = await parse_phase(
            stack,
            clients=chats,
            seconds=min(seconds, CAPACITY_SECONDS),
            think=0.0,
            texts_=texts_,
        )
    figures = {
        **load_figures(
            chats=chats,
            seconds=seconds,
            think=think,
            exchanges=measured(record.exchanges, window.start),
            errors=record.errors,
            parse=parse,
            capacity=capacity,
            bot_cpu_seconds=sampler.cpu_seconds,
            bot_peak_rss_bytes=sampler.peak_rss,
            sandbox_cpu_seconds=sandbox.cpu_seconds,
        ),
        "bot_messages_per_question": round(record.bot_messages / max(record.asked, 1), 2),
        "database": stack.database,
        "rasa": "started for the run" if stack.rasa_started else f"reused {stack.rasa_url}",
        "bot_pid": stack.bot_pid,
        "sandbox_pid": stack.sandbox_pid,
    }
    return figures, window


def run_load_bench(
    settings: Settings,
    *,
    chats: int,
    seconds: float,
    think: float,
    database_url: str | None = None,
    profile: Path | None = None,
) -> dict[str, Any]:
    """Start the stack, measure, stop it all; with `profile`, write the bot's profile
    over the citizens' measured window there (and its session beside it)."""
    from bot.bench_load_stack import load_stack

    raw = profile.with_name(profile.name + ".threads") if profile else None
    try:
        with load_stack(settings, database_url=database_url, profile=raw) as stack:
            figures, window = asyncio.run(measure(stack, chats=chats, seconds=seconds, think=think))
        if profile is not None and raw is not None:
            figures["profile"] = write_profile(profile, raw, *window.wall())
    finally:
        if raw is not None:
            shutil.rmtree(raw, ignore_errors=True)
    return figures


def write_profile(path: Path, raw: Path, start: float, end: float) -> dict[str, Any]:
    """The bot's profile between `start` and `end` as text at `path` (session: beside it,
    `.pyisession`); its top hot spots for the report."""
    from bot.bench_load_profile import hot_spots, is_ours, report, windowed

    session = windowed(raw, start, end)
    session_path = path.with_name(path.name + ".pyisession")
    session.save(session_path)
    path.write_text(report(session), encoding="utf-8")
    by_own, by_cumulative, busy = hot_spots(session)
    _, ours, _ = hot_spots(session, only=is_ours)

    def rows(spots: list[Any]) -> list[dict[str, Any]]:
        return [
            {
                "function": s.function,
                "own_s": round(s.own, 3),
                "cumulative_s": round(s.cumulative, 3),
            }
            for s in spots
        ]

    return {
        "path": str(path),
        "session": str(session_path),
        "busy_s": round(busy, 2),
        "by_own": rows(by_own),
        "by_cumulative": rows(by_cumulative),
        "ours_by_cumulative": rows(ours),
    }


def command_line(args: argparse.Namespace) -> str:
    """The command as it can be run again (for docs/benchmarks.md)."""
    parts = ["tiepdan bench load", f"--chats {args.chats}", f"--seconds {args.seconds:g}"]
    if args.think != 0.3:
        parts.append(f"--think {args.think:g}")
    if args.database_url:
        parts.append("--database-url postgresql+psycopg://…")
    return " ".join(parts)


def cmd_bench_load(args: argparse.Namespace, settings: Settings) -> int:
    """N simulated citizens through the sandbox against the bot (own processes, real Rasa,
    fresh database), then Rasa's /model/parse alone under the same callers and saturated."""
    if args.chats < 1 or args.seconds <= 0 or args.think < 0:
        print("error: --chats ≥ 1, --seconds > 0 and --think ≥ 0", file=sys.stderr)
        return 2
    profile = Path(args.profile).resolve() if args.profile else None
    figures = run_load_bench(
        settings,
        chats=args.chats,
        seconds=args.seconds,
        think=args.think,
        database_url=args.database_url,
        profile=profile,
    )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(text_report(figures))
        if profile is not None:
            print(f"bot profile           {profile} (session {figures['profile']['session']})")
    if args.write:
        from bot.bench_load_stats import write_row

        label = args.label + (" (profiled)" if profile else "")
        write_row(Path(args.write), table_row(figures, label=label, command=command_line(args)))
    return 0 if figures["errors"] == figures["timeouts"] == 0 else 1


AddCommand = Callable[[Any, str, Callable[[argparse.Namespace, Settings], int]], Any]


def add_load_command(bench: Any, add: AddCommand) -> None:
    """Register `tiepdan bench load`."""
    load = add(bench, "load", cmd_bench_load)
    load.add_argument("--chats", type=int, default=20, help="simulated citizens (default 20)")
    load.add_argument(
        "--seconds",
        type=float,
        default=30.0,
        help="measured seconds per phase (default 30; Rasa saturated: at most 10)",
    )
    load.add_argument(
        "--think",
        type=float,
        default=0.3,
        help="seconds a citizen waits after a reply before the next question (default 0.3)",
    )
    load.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server (postgresql+psycopg://user@host:port/db): the run uses a "
        "temporary database there, dropped afterwards (default: a temporary SQLite file)",
    )
    load.add_argument(
        "--write",
        metavar="PATH",
        help="put the figures as a row of the load section of PATH (docs/benchmarks.md); "
        "the row of the same --label and command is replaced, the others kept",
    )
    load.add_argument(
        "--label",
        default="current",
        help="the name of the run in that table, e.g. 'before optimisation' (default current)",
    )
    load.add_argument(
        "--profile",
        metavar="PATH",
        help="run the bot under pyinstrument (all threads) and write its hot spots and call "
        "tree to PATH, the session to PATH.pyisession (`pyinstrument --load` opens it); "
        "the profiler slows the bot, so its figures are not comparable",
    )
    load.add_argument("--json", action="store_true", help="print the figures as JSON")

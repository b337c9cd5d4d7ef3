"""Profile a `tiepdan` command with pyinstrument, worker threads included, for
`tiepdan bench load --profile`.

The bot does its database work on asyncio's worker threads (`BotData.db`), which a
profiler started in the main thread never sees, so every thread is sampled by a profiler
of its own and saved as one session file per thread. `windowed` keeps the samples of a
span of wall-clock time (the measured part of a benchmark, not start-up) and joins the
threads under one root per kind; idle time (the event loop waiting in epoll, a worker
waiting for work) is kept out of the hot-spot tables.

    python -m bot.bench_load_profile DIR bot   # stop it with SIGINT; DIR/*.pyisession
"""

from __future__ import annotations

import itertools
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyinstrument import Profiler
from pyinstrument.frame_info import IDENTIFIER_SEP, frame_info_get_identifier
from pyinstrument.renderers import ConsoleRenderer
from pyinstrument.session import Session

from bot.settings import PROJECT_ROOT

INTERVAL = 0.001
MAIN_FILE = "main.pyisession"
MAIN_ROOT = f"[main thread]{IDENTIFIER_SEP}<event loop>{IDENTIFIER_SEP}0"
WORKER_ROOT = f"[worker threads]{IDENTIFIER_SEP}<threads>{IDENTIFIER_SEP}0"
# Functions where a thread waits rather than works, when they are the innermost frame.
IDLE_LEAVES = frozenset({"epoll.poll", "select.select", "SimpleQueue.get", "lock.acquire"})
# Frames on nearly every stack (interpreter, event loop, thread start, this wrapper): left
# out of the cumulative ranking, where they would only push the useful lines down.
PLUMBING_FILES = (
    "<thread>",
    "<frozen runpy>",
    "asyncio/runners.py",
    "asyncio/base_events.py",
    "asyncio/events.py",
    "python3.11/threading.py",
    "concurrent/futures/thread.py",
    "bot/bench_load_profile.py",
    "bot/cli.py",
)


@dataclass(frozen=True)
class HotSpot:
    """One function: seconds with it innermost (own) or anywhere on the stack."""

    function: str
    own: float
    cumulative: float


def _parts(identifier: str) -> tuple[str, str, str]:
    function, path, line = [*identifier.split(IDENTIFIER_SEP), "", ""][:3]
    return function, path, line


def _name(identifier: str) -> str:
    function, path, line = _parts(identifier)
    if "site-packages/" in path:
        short = path.split("site-packages/", 1)[1]
    elif path.startswith(str(PROJECT_ROOT)):
        short = str(Path(path).relative_to(PROJECT_ROOT))
    else:
        short = "/".join(Path(path).parts[-2:]) if path else "?"
    return f"{function} ({short}:{line})"


def is_idle(identifier: str) -> bool:
    """True for an innermost frame where the thread only waits."""
    return _parts(identifier)[0] in IDLE_LEAVES


def is_plumbing(identifier: str) -> bool:
    """True for a frame that is on nearly every stack (see PLUMBING_FILES)."""
    return _parts(identifier)[1].endswith(PLUMBING_FILES) or identifier.startswith("[")


def is_ours(identifier: str) -> bool:
    """True for the project's own code (not libraries, not this profiler)."""
    path = _parts(identifier)[1]
    return (
        path.startswith(str(PROJECT_ROOT))
        and "/.venv" not in path
        and not path.endswith("bench_load_profile.py")
    )


def hot_spots(
    session: Session, top: int = 15, only: Callable[[str], bool] | None = None
) -> tuple[list[HotSpot], list[HotSpot], float]:
    """The `top` functions by own and by cumulative time (idle samples left out, a
    recursive function counted once per sample, plumbing not ranked; `only`: the
    functions to rank), and the busy seconds in all."""
    own: dict[str, float] = defaultdict(float)
    cumulative: dict[str, float] = defaultdict(float)
    busy = 0.0
    for stack, seconds in session.frame_records:
        frames = [frame_info_get_identifier(f) for f in stack]
        if not frames or is_idle(frames[-1]):
            continue
        busy += seconds
        own[frames[-1]] += seconds
        for identifier in set(frames):
            cumulative[identifier] += seconds

    def spots(by: dict[str, float]) -> list[HotSpot]:
        chosen = [i for i in by if (only is None or only(i)) and not is_plumbing(i)]
        ranked = sorted(chosen, key=by.__getitem__, reverse=True)[:top]
        return [HotSpot(_name(i), own.get(i, 0.0), cumulative[i]) for i in ranked]

    return spots(own), spots(cumulative), busy


def hot_spot_table(spots: Sequence[HotSpot], busy: float) -> str:
    """A Markdown table of hot spots with their share of the busy time."""
    lines = ["| function | own s | own % | cumulative s | cumulative % |", "|---|---|---|---|---|"]
    for spot in spots:
        lines.append(
            f"| `{spot.function}` | {spot.own:.2f} | {100 * spot.own / busy:.1f} | "
            f"{spot.cumulative:.2f} | {100 * spot.cumulative / busy:.1f} |"
        )
    return "\n".join(lines)


def report(session: Session, top: int = 15) -> str:
    """Hot-spot tables (all code, then the project's own functions), then the call tree."""
    by_own, by_cumulative, busy = hot_spots(session, top)
    _, ours, _ = hot_spots(session, top, only=is_ours)
    tree = ConsoleRenderer(unicode=True, color=False).render(session)
    return (
        f"Busy (not idle) sampled time: {busy:.2f} s in {session.duration:.2f} s of wall "
        "time (main thread and worker threads summed; a sample is wall time, so a thread "
        "waiting for the GIL or a lock counts as busy where it waits).\n\n"
        f"Top {top} by own time:\n\n{hot_spot_table(by_own, busy)}\n\n"
        f"Top {top} by cumulative time:\n\n{hot_spot_table(by_cumulative, busy)}\n\n"
        f"Top {top} of the project's own functions by cumulative time:\n\n"
        f"{hot_spot_table(ours, busy)}\n\n"
        f"Call tree (pyinstrument, library frames condensed):\n\n{tree}"
    )


def window(session: Session, start: float, end: float) -> Session:
    """The samples of `session` taken between `start` and `end` (time.time())."""
    kept, at = [], session.start_time
    for stack, seconds in session.frame_records:
        at += seconds  # a record's time runs from the previous sample to this one
        if start <= at <= end:
            kept.append((stack, seconds))
    session.frame_records = kept
    session.sample_count = len(kept)
    session.start_time = max(session.start_time, start)
    session.duration = end - start
    return session


def _rooted(session: Session, root: str) -> Session:
    session.frame_records = [([root, *stack], seconds) for stack, seconds in session.frame_records]
    session.start_call_stack = [root, *session.start_call_stack]
    return session


def windowed(directory: Path, start: float, end: float) -> Session:
    """Every thread's samples between `start` and `end`, joined under two roots."""
    main = _rooted(window(Session.load(directory / MAIN_FILE), start, end), MAIN_ROOT)
    combined = main
    for path in sorted(directory.glob("thread-*.pyisession")):
        thread = window(Session.load(path), start, end)
        combined = Session.combine(combined, _rooted(thread, WORKER_ROOT))
    combined.duration = end - start  # wall time, not a sum over threads
    return combined


class ThreadProfiles:
    """Samples every thread started from now on with a profiler of its own; each
    thread's session is saved into `directory` when the thread ends."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._numbers = itertools.count(1)
        self._run: Callable[[threading.Thread], None] | None = None

    def install(self) -> None:
        original = self._run = threading.Thread.run
        directory, numbers = self.directory, self._numbers

        def run(thread: threading.Thread) -> None:
            profiler = Profiler(interval=INTERVAL, async_mode="disabled")
            profiler.start()
            try:
                original(thread)
            finally:
                profiler.stop().save(directory / f"thread-{next(numbers)}.pyisession")

        setattr(threading.Thread, "run", run)  # noqa: B010 (a method replaced for a while)

    def uninstall(self) -> None:
        if self._run is not None:
            setattr(threading.Thread, "run", self._run)  # noqa: B010


def profile(directory: Path, argv: list[str]) -> int:
    """Run `tiepdan ARGV` with every thread profiled; the sessions go into `directory`."""
    from bot.cli import main as tiepdan

    directory.mkdir(parents=True, exist_ok=True)
    threads = ThreadProfiles(directory)
    threads.install()
    profiler = Profiler(interval=INTERVAL, async_mode="disabled")
    profiler.start()
    try:
        return tiepdan(argv)
    finally:
        profiler.stop().save(directory / MAIN_FILE)
        threads.uninstall()


if __name__ == "__main__":
    sys.exit(profile(Path(sys.argv[1]), sys.argv[2:]))

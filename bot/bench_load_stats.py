"""The figures of `tiepdan bench load` and their rows in docs/benchmarks.md.

Pure functions over what the run recorded: no process, socket or clock here.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.bench import summary

SECTION = "# Load benchmark (issue 10)"
COLUMNS = (
    "run",
    "command",
    "db",
    "chats",
    "replies/s",
    "p50 ms",
    "p95 ms",
    "max ms",
    "parses/s",
    "replies ÷ parses",
    "NLU capacity/s",
    "replies ÷ capacity",
    "bot CPU ms/reply",
    "NLU client CPU ms/call",
    "bot CPU ms/reply beyond NLU",
    "bot peak RSS MB",
    "errors / timeouts / NLU down",
    "date",
)
# The columns of rows written before the parse phase had the citizens' think time: their
# parse phase was Rasa saturated, what NLU capacity is now.
_V1_COLUMNS = (
    *COLUMNS[:8],
    "NLU capacity/s",
    "replies ÷ capacity",
    "bot CPU ms/reply",
    *COLUMNS[15:],
)
_HEADER = "| " + " | ".join(COLUMNS) + " |\n" + "|---" * len(COLUMNS) + "|"


@dataclass(frozen=True)
class Exchange:
    """One question of a simulated citizen (or one call of `/model/parse`): when it was
    sent and how long the answer took (None: no reply within the timeout, a failed call)."""

    sent_at: float
    latency: float | None
    nlu_down: bool = False


@dataclass(frozen=True)
class ParseRun:
    """A phase of closed-loop callers of `/model/parse` in the bench process."""

    calls: list[Exchange]  # every call of the phase, warm-up included
    start: float  # the measured window: calls sent from `start` for `seconds`
    seconds: float
    cpu_seconds: float  # the bench process's own CPU time over the whole phase

    @property
    def parses(self) -> int:
        """Successful calls sent in the measured window."""
        return sum(e.latency is not None for e in measured(self.calls, self.start))

    @property
    def failures(self) -> int:
        """Failed calls sent in the measured window."""
        return sum(e.latency is None for e in measured(self.calls, self.start))

    @property
    def per_s(self) -> float:
        return self.parses / self.seconds

    @property
    def cpu_ms_per_call(self) -> float | None:
        """What one call cost its caller in CPU (every call of the phase, for its CPU)."""
        return 1000 * self.cpu_seconds / len(self.calls) if self.calls else None


def measured(exchanges: list[Exchange], start: float) -> list[Exchange]:
    """The exchanges sent once the warm-up was over."""
    return [e for e in exchanges if e.sent_at >= start]


def latency_ms(exchanges: list[Exchange]) -> dict[str, float | None]:
    """p50, p95 and max of the answered exchanges in milliseconds (None without any)."""
    latencies = [e.latency for e in exchanges if e.latency is not None]
    lat = summary(latencies) if latencies else None
    return {
        "p50": lat["median_ms"] if lat else None,
        "p95": lat["p95_ms"] if lat else None,
        "max": lat["max_ms"] if lat else None,
    }


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def load_figures(
    *,
    chats: int,
    seconds: float,
    think: float,
    exchanges: list[Exchange],
    errors: int,
    parse: ParseRun,
    capacity: ParseRun | None,
    bot_cpu_seconds: float,
    bot_peak_rss_bytes: int,
    sandbox_cpu_seconds: float | None = None,
) -> dict[str, Any]:
    """The report of one run: the citizens' `exchanges` over `seconds`, `parse` the same
    callers against Rasa alone, `capacity` Rasa saturated (None: `parse` is, think 0);
    the sandbox's CPU too when sampled (Telegram's stand-in: on the same cores as Rasa and
    the bot here, not in production)."""
    replies = sum(e.latency is not None for e in exchanges)
    replies_per_s = replies / seconds
    saturated = capacity or parse
    client_ms = parse.cpu_ms_per_call
    bot_ms = 1000 * bot_cpu_seconds / replies if replies else None
    sandbox_ms = (
        1000 * sandbox_cpu_seconds / replies
        if replies and sandbox_cpu_seconds is not None
        else None
    )
    return {
        "chats": chats,
        "seconds": seconds,
        "think": think,
        "replies": replies,
        "replies_per_s": round(replies_per_s, 1),
        "latency_ms": latency_ms(exchanges),
        "parses": parse.parses,
        "parses_per_s": round(parse.per_s, 1),
        "parse_latency_ms": latency_ms(measured(parse.calls, parse.start)),
        "replies_per_parse": _ratio(replies_per_s, parse.per_s),
        "nlu_capacity_seconds": saturated.seconds,
        "nlu_capacity_parses": saturated.parses,
        "nlu_capacity_per_s": round(saturated.per_s, 1),
        "replies_per_capacity": _ratio(replies_per_s, saturated.per_s),
        "bot_cpu_ms_per_reply": round(bot_ms, 1) if bot_ms is not None else None,
        "nlu_client_cpu_ms_per_call": round(client_ms, 2) if client_ms is not None else None,
        "bot_cpu_ms_beyond_nlu": (
            round(bot_ms - client_ms, 1) if bot_ms is not None and client_ms is not None else None
        ),
        "bot_peak_rss_mb": round(bot_peak_rss_bytes / 2**20, 1),
        "sandbox_cpu_ms_per_reply": round(sandbox_ms, 1) if sandbox_ms is not None else None,
        "errors": errors + parse.failures + (capacity.failures if capacity else 0),
        "timeouts": sum(e.latency is None for e in exchanges),
        "nlu_down": sum(e.nlu_down for e in exchanges),
    }


def text_report(figures: dict[str, Any]) -> str:
    """The figures for a person at the terminal."""
    lat, parse_lat = figures["latency_ms"], figures["parse_latency_ms"]
    lines = [
        f"chats                 {figures['chats']} (think {figures['think']} s)",
        f"seconds               {figures['seconds']}",
        f"database              {figures.get('database', '-')}",
        f"replies               {figures['replies']} ({figures['replies_per_s']}/s)",
        f"reply latency ms      p50 {lat['p50']}  p95 {lat['p95']}  max {lat['max']}",
        f"/model/parse          {figures['parses']} ({figures['parses_per_s']}/s), "
        "the same callers, texts and think time",
        f"parse latency ms      p50 {parse_lat['p50']}  p95 {parse_lat['p95']}  "
        f"max {parse_lat['max']}",
        f"replies/s ÷ parses/s  {figures['replies_per_parse']}",
        f"NLU capacity          {figures['nlu_capacity_parses']} "
        f"({figures['nlu_capacity_per_s']}/s), {figures['chats']} callers without think time "
        f"for {figures['nlu_capacity_seconds']:g} s",
        f"replies/s ÷ capacity  {figures['replies_per_capacity']}",
        f"bot CPU per reply     {figures['bot_cpu_ms_per_reply']} ms",
        f"NLU client CPU/call   {figures['nlu_client_cpu_ms_per_call']} ms "
        "(the bench process, the bot's client)",
        f"bot CPU beyond NLU    {figures['bot_cpu_ms_beyond_nlu']} ms per reply",
        f"bot peak RSS          {figures['bot_peak_rss_mb']} MB",
        f"sandbox CPU per reply {figures.get('sandbox_cpu_ms_per_reply', '-')} ms "
        "(Telegram's stand-in, on the same cores)",
        f"errors                {figures['errors']}",
        f"timeouts              {figures['timeouts']}",
        f"NLU down replies      {figures['nlu_down']}",
    ]
    return "\n".join(lines)


def table_row(figures: dict[str, Any], *, label: str, command: str) -> str:
    """One row of the section's table."""
    lat = figures["latency_ms"]
    cells = [
        label,
        f"`{command}`",
        figures.get("database", "-"),
        figures["chats"],
        figures["replies_per_s"],
        lat["p50"],
        lat["p95"],
        lat["max"],
        figures["parses_per_s"],
        figures["replies_per_parse"],
        figures["nlu_capacity_per_s"],
        figures["replies_per_capacity"],
        figures["bot_cpu_ms_per_reply"],
        figures["nlu_client_cpu_ms_per_call"],
        figures["bot_cpu_ms_beyond_nlu"],
        figures["bot_peak_rss_mb"],
        f"{figures['errors']} / {figures['timeouts']} / {figures['nlu_down']}",
        f"{datetime.date.today():%Y-%m-%d}",
    ]
    return _row(["-" if c is None else str(c) for c in cells])


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cells(row: str) -> list[str]:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def current_row(row: str) -> str:
    """`row` under today's columns: a row of the older table gets "-" where it measured
    nothing (its saturated parse rate moves to NLU capacity); others are kept as they are."""
    cells = _cells(row)
    if len(cells) != len(_V1_COLUMNS):
        return row
    old = dict(zip(_V1_COLUMNS, cells, strict=True))
    return _row([old.get(column, "-") for column in COLUMNS])


def _row_key(row: str) -> tuple[str, str]:
    cells = _cells(row)
    return cells[0], cells[1] if len(cells) > 1 else ""


def _body(markdown: str) -> list[str]:
    """The lines of the load section of a benchmarks file's text, heading excluded."""
    found = re.search(rf"^{re.escape(SECTION)}\n(.*?)(?=^# |\Z)", markdown, re.M | re.S)
    return found.group(1).splitlines() if found else []


def existing_rows(markdown: str) -> list[str]:
    """The table rows of the load section in a benchmarks file's text (header excluded)."""
    rows = [line for line in _body(markdown) if line.startswith("| ")]
    return [r for r in rows if not r.startswith(("| run |", "|---"))]


def notes(markdown: str) -> str:
    """What follows the table in the load section (a reading of the figures, written by
    hand): kept when a row is written."""
    lines = _body(markdown)
    table = [i for i, line in enumerate(lines) if line.startswith("|")]
    return "\n".join(lines[table[-1] + 1 :]).strip() if table else ""


def section(rows: list[str], notes: str = "") -> str:
    """The whole section of docs/benchmarks.md around the table `rows`, `notes` after it."""
    return (
        f"{SECTION}\n\n"
        f"Measured on this project's machine ({os.cpu_count()} cores) with "
        "`tiepdan bench load … --write docs/benchmarks.md`: the sandbox Bot API and the bot "
        "(`tiepdan bot`) each in a process of their own, the real Rasa server, a fresh "
        "database (a temporary SQLite file, or a temporary PostgreSQL database with "
        "`--database-url`). N simulated citizens each send a question from the held-out "
        "set (`nlu/data/test/heldout.yml`), wait for the first reply with the control "
        "API's long poll (`GET /sandbox/api/messages?wait=`), think `--think` seconds (0.3) "
        "and ask again, each from a random start offset; a short warm-up is not measured. "
        "Latency: question sent → reply visible in the sandbox. "
        "**parses/s**: then N callers in the benchmark's process call Rasa's `/model/parse` "
        "directly with the bot's client (`NluClient.parse`), driven by the citizens' own "
        "loop: the same texts, start offsets and think time (a shorter warm-up: Rasa is "
        "warm by then). **replies ÷ parses** answers “does the bot deliver what Rasa alone "
        "would under the same callers?”; N callers thinking t seconds cannot ask more than "
        "N ÷ t a second, whoever answers, which is why both sides get the same think time. "
        "**NLU capacity/s**: Rasa saturated, the N callers without think time for "
        "min(S, 10) s (with `--think 0` this is the parses/s phase itself, not run twice); "
        "**replies ÷ capacity** is the share of that capacity the bot's replies reach. "
        "**Bot CPU**: user + system time of the bot process over the measured part ÷ "
        "replies (the sandbox, Rasa and the simulated citizens run in other processes; all "
        "share the same cores). **NLU client CPU**: the benchmark process's own CPU time "
        "(`time.process_time()`) over the whole parses/s phase ÷ the calls it made, when "
        "nothing else runs in that process: what one call of the bot's NLU client costs "
        "its caller (text normalisation, httpx over kept-alive connections, JSON, metrics), "
        "plus the loop's sleep per call. **Beyond NLU** = bot CPU per reply − NLU client "
        "CPU per call (one NLU call per reply). It is an estimate by subtraction, not a "
        "measurement inside the bot: there the same call shares the event loop, caches and "
        "the GIL with PTB and the database threads and may cost somewhat more, so the "
        "figure is a slight overestimate of the rest of the bot's work; Rasa's own CPU is "
        "in neither figure. "
        "Rows written before parses/s had the citizens' think time measured only Rasa "
        "saturated: their parse rate and ratio stand under NLU capacity/s and replies ÷ "
        "capacity, with “-” for what they did not measure. "
        "Targets (issue 10): replies ÷ parses ≥ 0.8 at 20 and 50 chats, p95 ≤ 150 ms at 20, "
        "no reply over 2 s at 50, bot CPU ≤ 5 ms per message beyond the NLU call, RSS ≤ "
        "200 MB.\n\n"
        f"{_HEADER}\n" + "\n".join(rows) + "\n" + (f"\n{notes}\n" if notes else "")
    )


def write_row(path: Path, row: str | None = None) -> None:
    """Put `row` into the load section of `path`, replacing the row of the same run label
    and command and keeping the others (under today's columns), the notes after the table
    and every other section; without `row`, only bring the section up to date."""
    from bot.markdown_sections import write_section

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = [current_row(r) for r in existing_rows(old)]
    rows = [r for r in kept if row is None or _row_key(r) != _row_key(row)]
    write_section(path, SECTION, section([*rows, *([row] if row else [])], notes(old)))

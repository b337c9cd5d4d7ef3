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
_HEADER = (
    "| run | command | db | chats | replies/s | p50 ms | p95 ms | max ms | parses/s | "
    "replies ÷ parses | bot CPU ms/reply | bot peak RSS MB | errors / timeouts / NLU down |"
    " date |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)


@dataclass(frozen=True)
class Exchange:
    """One question of a simulated citizen: when it was sent and how long the first reply
    took (None: no reply within the timeout)."""

    sent_at: float
    latency: float | None
    nlu_down: bool = False


def measured(exchanges: list[Exchange], start: float) -> list[Exchange]:
    """The exchanges sent once the warm-up was over."""
    return [e for e in exchanges if e.sent_at >= start]


def load_figures(
    *,
    chats: int,
    seconds: float,
    think: float,
    exchanges: list[Exchange],
    errors: int,
    parses: int,
    parse_errors: int,
    bot_cpu_seconds: float,
    bot_peak_rss_bytes: int,
) -> dict[str, Any]:
    """The report of one run: `exchanges` and `parses` counted over `seconds` each."""
    latencies = [e.latency for e in exchanges if e.latency is not None]
    replies = len(latencies)
    replies_per_s = replies / seconds
    parses_per_s = parses / seconds
    lat = summary(latencies) if latencies else None
    return {
        "chats": chats,
        "seconds": seconds,
        "think": think,
        "replies": replies,
        "replies_per_s": round(replies_per_s, 1),
        "latency_ms": {
            "p50": lat["median_ms"] if lat else None,
            "p95": lat["p95_ms"] if lat else None,
            "max": lat["max_ms"] if lat else None,
        },
        "parses": parses,
        "parses_per_s": round(parses_per_s, 1),
        "replies_per_parse": round(replies_per_s / parses_per_s, 2) if parses else None,
        "bot_cpu_ms_per_reply": round(1000 * bot_cpu_seconds / replies, 1) if replies else None,
        "bot_peak_rss_mb": round(bot_peak_rss_bytes / 2**20, 1),
        "errors": errors + parse_errors,
        "timeouts": sum(e.latency is None for e in exchanges),
        "nlu_down": sum(e.nlu_down for e in exchanges),
    }


def text_report(figures: dict[str, Any]) -> str:
    """The figures for a person at the terminal."""
    lat = figures["latency_ms"]
    lines = [
        f"chats                 {figures['chats']} (think {figures['think']} s)",
        f"seconds               {figures['seconds']}",
        f"database              {figures.get('database', '-')}",
        f"replies               {figures['replies']} ({figures['replies_per_s']}/s)",
        f"reply latency ms      p50 {lat['p50']}  p95 {lat['p95']}  max {lat['max']}",
        f"/model/parse          {figures['parses']} ({figures['parses_per_s']}/s)",
        f"replies/s ÷ parses/s  {figures['replies_per_parse']}",
        f"bot CPU per reply     {figures['bot_cpu_ms_per_reply']} ms",
        f"bot peak RSS          {figures['bot_peak_rss_mb']} MB",
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
        figures["bot_cpu_ms_per_reply"],
        figures["bot_peak_rss_mb"],
        f"{figures['errors']} / {figures['timeouts']} / {figures['nlu_down']}",
        f"{datetime.date.today():%Y-%m-%d}",
    ]
    return "| " + " | ".join("-" if c is None else str(c) for c in cells) + " |"


def _row_key(row: str) -> tuple[str, str]:
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    return cells[0], cells[1] if len(cells) > 1 else ""


def existing_rows(markdown: str) -> list[str]:
    """The table rows of the load section in a benchmarks file's text (header excluded)."""
    found = re.search(rf"^{re.escape(SECTION)}\n(.*?)(?=^# |\Z)", markdown, re.M | re.S)
    if found is None:
        return []
    rows = [line for line in found.group(1).splitlines() if line.startswith("| ")]
    return [r for r in rows if not r.startswith(("| run |", "|---"))]


def section(rows: list[str]) -> str:
    """The whole section of docs/benchmarks.md around the table `rows`."""
    return (
        f"{SECTION}\n\n"
        f"Measured on this project's machine ({os.cpu_count()} cores) with "
        "`tiepdan bench load … --write docs/benchmarks.md`: the sandbox Bot API and the bot "
        "(`tiepdan bot`) each in a process of their own, the real Rasa server, a fresh "
        "database (a temporary SQLite file, or a temporary PostgreSQL database with "
        "`--database-url`). N simulated citizens each send a question from the held-out "
        "set (`nlu/data/test/heldout.yml`), wait for the first reply with the control "
        "API's long poll (`GET /sandbox/api/messages?wait=`), think `--think` seconds (0.3) "
        "and ask again; a short warm-up is not measured. Latency: question sent → reply "
        "visible in the sandbox. In the same run, N clients call Rasa's `/model/parse` "
        "directly with the same texts for as long (parses/s); replies ÷ parses is the "
        "share of the NLU's throughput the bot delivers. Bot CPU: user + system time of the "
        "bot process over the measured part ÷ replies (the sandbox, Rasa and the simulated "
        "citizens run in other processes; all share the same cores). "
        "Targets (issue 10): replies ÷ parses ≥ 0.8 at 20 and 50 chats, p95 ≤ 150 ms at 20, "
        "no reply over 2 s at 50, bot CPU ≤ 5 ms per message beyond the NLU call, RSS ≤ "
        "200 MB.\n\n"
        f"{_HEADER}\n" + "\n".join(rows) + "\n"
    )


def write_row(path: Path, row: str) -> None:
    """Put `row` into the load section of `path`, replacing the row of the same run label
    and command and keeping the others (and every other section)."""
    from bot.markdown_sections import write_section

    old = path.read_text(encoding="utf-8") if path.exists() else ""
    rows = [r for r in existing_rows(old) if _row_key(r) != _row_key(row)]
    write_section(path, SECTION, section([*rows, row]))

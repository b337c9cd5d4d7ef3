"""`tiepdan bench load`: its figures, its rows in docs/benchmarks.md, its profile tables,
its command line. (The whole run against real processes: tests/e2e/test_bench_load.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyinstrument.frame_info import IDENTIFIER_SEP
from pyinstrument.session import Session

from bot.bench_load_profile import hot_spots, is_idle, window
from bot.bench_load_stats import (
    SECTION,
    Exchange,
    existing_rows,
    load_figures,
    measured,
    table_row,
    write_row,
)
from bot.cli import build_parser
from bot.settings import PROJECT_ROOT


def figures(**overrides: object) -> dict[str, object]:
    exchanges = [Exchange(10.0 + i, latency=0.1 * (i + 1)) for i in range(20)]
    values: dict[str, object] = {
        "chats": 4,
        "seconds": 10.0,
        "think": 0.3,
        "exchanges": exchanges,
        "errors": 0,
        "parses": 500,
        "parse_errors": 0,
        "bot_cpu_seconds": 0.5,
        "bot_peak_rss_bytes": 150 * 2**20,
        **overrides,
    }
    return load_figures(**values)  # type: ignore[arg-type]


def test_figures_of_a_run() -> None:
    result = figures()
    assert result["replies"] == 20
    assert result["replies_per_s"] == 2.0
    assert result["parses_per_s"] == 50.0
    assert result["replies_per_parse"] == 0.04
    # 0.1 … 2.0 s: the median between 1.0 and 1.1, p95 the 19th of 20 (nearest rank).
    assert result["latency_ms"] == {"p50": 1050.0, "p95": 1900.0, "max": 2000.0}
    assert result["bot_cpu_ms_per_reply"] == 25.0
    assert result["bot_peak_rss_mb"] == 150.0
    assert (result["errors"], result["timeouts"], result["nlu_down"]) == (0, 0, 0)


def test_timeouts_nlu_outages_and_errors_are_counted_not_timed() -> None:
    exchanges = [
        Exchange(1.0, 0.2),
        Exchange(2.0, None),
        Exchange(3.0, 0.4, nlu_down=True),
    ]
    result = figures(exchanges=exchanges, errors=2, parse_errors=1)
    assert result["replies"] == 2
    assert result["timeouts"] == 1
    assert result["nlu_down"] == 1
    assert result["errors"] == 3
    assert result["latency_ms"]["max"] == 400.0  # type: ignore[index]


def test_a_run_without_any_reply_has_no_latency_and_no_cpu_per_reply() -> None:
    result = figures(exchanges=[Exchange(1.0, None)], parses=0)
    assert result["latency_ms"] == {"p50": None, "p95": None, "max": None}
    assert result["bot_cpu_ms_per_reply"] is None
    assert result["replies_per_parse"] is None


def test_the_warm_up_is_not_measured() -> None:
    exchanges = [Exchange(at, 0.1) for at in (1.0, 2.9, 3.0, 4.0)]
    assert [e.sent_at for e in measured(exchanges, 3.0)] == [3.0, 4.0]


def test_rows_are_replaced_by_label_and_command_and_other_sections_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "benchmarks.md"
    path.write_text("# NLU benchmark\n\nfigures\n\n# Other\n\nmore\n", encoding="utf-8")
    before = table_row(figures(), label="before", command="tiepdan bench load --chats 20")
    write_row(path, before)
    write_row(path, table_row(figures(), label="before", command="tiepdan bench load --chats 50"))
    newer = table_row(figures(chats=9), label="before", command="tiepdan bench load --chats 20")
    write_row(path, newer)
    write_row(path, table_row(figures(), label="after", command="tiepdan bench load --chats 20"))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# NLU benchmark\n\nfigures\n\n# Other\n\nmore\n\n")
    assert text.count(SECTION) == 1
    rows = existing_rows(text)
    assert [r.split(" | ")[:2] for r in rows] == [
        ["| before", "`tiepdan bench load --chats 50`"],
        ["| before", "`tiepdan bench load --chats 20`"],
        ["| after", "`tiepdan bench load --chats 20`"],
    ]
    assert " | 9 | " in rows[1]
    # A section written by another command after this one stays untouched.
    path.write_text(text + "\n# Later\n\nkept\n", encoding="utf-8")
    write_row(path, before)
    assert path.read_text(encoding="utf-8").endswith("# Later\n\nkept\n")


def frame(function: str, path: str, line: int = 1) -> str:
    return f"{function}{IDENTIFIER_SEP}{path}{IDENTIFIER_SEP}{line}"


OURS = str(PROJECT_ROOT / "handlers" / "question.py")
LOOP = "/usr/lib/python3.11/asyncio/base_events.py"


def session(records: list[tuple[list[str], float]], start: float = 100.0) -> Session:
    return Session(
        frame_records=records,
        start_time=start,
        duration=sum(t for _, t in records),
        min_interval=0.001,
        max_interval=0.001,
        sample_count=len(records),
        start_call_stack=[],
        target_description="test",
        cpu_time=0.0,
        sys_path=[],
        sys_prefixes=[],
    )


def test_hot_spots_leave_idle_samples_out_and_count_recursion_once() -> None:
    run_once = frame("_run_once", LOOP)
    question, decide = frame("question", OURS, 40), frame("decide", OURS, 90)
    records = [
        ([run_once, frame("epoll.poll", "<built-in>", 0)], 5.0),  # idle
        ([run_once, question, decide], 0.3),
        ([run_once, question, question, decide], 0.2),  # recursion
        ([run_once, question], 0.1),
    ]
    by_own, by_cumulative, busy = hot_spots(session(records), top=5)
    assert busy == pytest.approx(0.6)
    assert [(s.function, round(s.own, 2)) for s in by_own] == [
        ("decide (handlers/question.py:90)", 0.5),
        ("question (handlers/question.py:40)", 0.1),
    ]
    # The event loop is on every stack: plumbing, not ranked.
    assert [(s.function, round(s.cumulative, 2)) for s in by_cumulative] == [
        ("question (handlers/question.py:40)", 0.6),
        ("decide (handlers/question.py:90)", 0.5),
    ]
    assert is_idle(frame("SimpleQueue.get", "<built-in>", 0))
    assert not is_idle(question)


def test_window_keeps_the_samples_taken_in_it() -> None:
    a, b, c = ([frame("a", OURS)], 1.0), ([frame("b", OURS)], 1.0), ([frame("c", OURS)], 1.0)
    kept = window(session([a, b, c], start=100.0), 101.5, 103.0)
    # Samples end at 101, 102 and 103: the last two fall in the window.
    assert kept.frame_records == [b, c]
    assert kept.duration == 1.5


def test_the_command_line_documents_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    args = parser.parse_args(["bench", "load", "--chats", "5", "--seconds", "2.5", "--json"])
    assert (args.chats, args.seconds, args.think, args.json) == (5, 2.5, 0.3, True)
    assert args.database_url is None and args.write is None and args.profile is None
    with pytest.raises(SystemExit):
        parser.parse_args(["bench", "load", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for option, says in [
        ("--chats", "simulated citizens"),
        ("--seconds", "measured seconds"),
        ("--think", "before the next question"),
        ("--database-url", "temporary database"),
        ("--write", "docs/benchmarks.md"),
        ("--label", "before optimisation"),
        ("--profile", "pyinstrument"),
        ("--json", "JSON"),
    ]:
        assert option in shown and says in shown, option

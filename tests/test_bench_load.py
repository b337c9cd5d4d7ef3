"""`tiepdan bench load`: its figures, its rows in docs/benchmarks.md, its profile tables,
its command line. (The whole run against real processes: tests/e2e/test_bench_load.py.)"""

from __future__ import annotations

import itertools
import random
import time
from pathlib import Path

import pytest
from pyinstrument.frame_info import IDENTIFIER_SEP
from pyinstrument.session import Session

from bot import bench_load
from bot.bench_load import Window, closed_loop, parse_phase
from bot.bench_load_profile import hot_spots, is_idle, window
from bot.bench_load_stack import LoadStack
from bot.bench_load_stats import (
    COLUMNS,
    SECTION,
    Exchange,
    ParseRun,
    current_row,
    existing_rows,
    load_figures,
    measured,
    notes,
    table_row,
    write_row,
)
from bot.cli import build_parser
from bot.settings import PROJECT_ROOT
from tests.fake_nlu import fake_nlu


def parse_run(
    per_s: float = 50.0, seconds: float = 10.0, warmup_calls: int = 0, cpu: float = 0.5
) -> ParseRun:
    """Calls answered in 20 ms at `per_s` a second from t=100 for `seconds`, after
    `warmup_calls` sent before then; `cpu` seconds of this process in all."""
    n = round(per_s * seconds)
    warm = [Exchange(99.0 + i / 1000, 0.02) for i in range(warmup_calls)]
    calls = [Exchange(100.0 + i / per_s, 0.02) for i in range(n)]
    return ParseRun(calls=warm + calls, start=100.0, seconds=seconds, cpu_seconds=cpu)


def figures(**overrides: object) -> dict[str, object]:
    exchanges = [Exchange(10.0 + i, latency=0.1 * (i + 1)) for i in range(20)]
    values: dict[str, object] = {
        "chats": 4,
        "seconds": 10.0,
        "think": 0.3,
        "exchanges": exchanges,
        "errors": 0,
        "parse": parse_run(per_s=2.5),
        "capacity": parse_run(per_s=50.0, seconds=5.0),
        "bot_cpu_seconds": 0.5,
        "bot_peak_rss_bytes": 150 * 2**20,
        **overrides,
    }
    return load_figures(**values)  # type: ignore[arg-type]


def test_figures_of_a_run() -> None:
    result = figures()
    assert result["replies"] == 20
    assert result["replies_per_s"] == 2.0
    # The same callers against Rasa alone made 2.5 parses a second; saturated, 50.
    assert (result["parses"], result["parses_per_s"]) == (25, 2.5)
    assert result["replies_per_parse"] == 0.8
    assert result["parse_latency_ms"] == {"p50": 20.0, "p95": 20.0, "max": 20.0}
    assert (result["nlu_capacity_parses"], result["nlu_capacity_per_s"]) == (250, 50.0)
    assert result["nlu_capacity_seconds"] == 5.0
    assert result["replies_per_capacity"] == 0.04
    # 0.1 … 2.0 s: the median between 1.0 and 1.1, p95 the 19th of 20 (nearest rank).
    assert result["latency_ms"] == {"p50": 1050.0, "p95": 1900.0, "max": 2000.0}
    assert result["bot_cpu_ms_per_reply"] == 25.0
    # 0.5 s of the bench process's CPU over the 25 calls of the parse phase: 20 ms a call.
    assert result["nlu_client_cpu_ms_per_call"] == 20.0
    assert result["bot_cpu_ms_beyond_nlu"] == 5.0
    assert result["bot_peak_rss_mb"] == 150.0
    assert result["sandbox_cpu_ms_per_reply"] is None  # not sampled
    assert figures(sandbox_cpu_seconds=0.1)["sandbox_cpu_ms_per_reply"] == 5.0
    assert (result["errors"], result["timeouts"], result["nlu_down"]) == (0, 0, 0)


def test_the_client_cpu_is_per_call_of_the_whole_phase_the_rate_over_the_window() -> None:
    run = parse_run(per_s=10.0, seconds=2.0, warmup_calls=5, cpu=0.05)
    assert run.parses == 20  # the warm-up's five are not in the rate…
    assert run.cpu_ms_per_call == 2.0  # …but they used the CPU: 50 ms over 25 calls
    result = figures(parse=run, bot_cpu_seconds=0.2)
    assert result["bot_cpu_ms_per_reply"] == 10.0
    assert result["bot_cpu_ms_beyond_nlu"] == 8.0


def test_with_no_think_time_the_parse_phase_is_the_capacity() -> None:
    result = figures(think=0.0, capacity=None, parse=parse_run(per_s=40.0))
    assert result["nlu_capacity_per_s"] == result["parses_per_s"] == 40.0
    assert result["nlu_capacity_seconds"] == 10.0
    assert result["replies_per_capacity"] == result["replies_per_parse"] == 0.05


def test_timeouts_nlu_outages_and_errors_are_counted_not_timed() -> None:
    exchanges = [
        Exchange(1.0, 0.2),
        Exchange(2.0, None),
        Exchange(3.0, 0.4, nlu_down=True),
    ]
    failed = [Exchange(100.0, None), Exchange(99.0, None)]  # the second in the warm-up
    parse = ParseRun(calls=[*parse_run().calls, *failed], start=100.0, seconds=10, cpu_seconds=1)
    capacity = ParseRun(calls=[Exchange(100.0, None)], start=100.0, seconds=5, cpu_seconds=0.1)
    result = figures(exchanges=exchanges, errors=2, parse=parse, capacity=capacity)
    assert result["replies"] == 2
    assert result["timeouts"] == 1
    assert result["nlu_down"] == 1
    assert result["errors"] == 4
    assert result["parses"] == 500
    assert result["latency_ms"]["max"] == 400.0  # type: ignore[index]


def test_a_run_without_any_reply_has_no_latency_and_no_cpu_per_reply() -> None:
    nothing = ParseRun(calls=[], start=0.0, seconds=10.0, cpu_seconds=0.0)
    result = figures(exchanges=[Exchange(1.0, None)], parse=nothing, capacity=nothing)
    assert result["latency_ms"] == {"p50": None, "p95": None, "max": None}
    assert result["parse_latency_ms"] == {"p50": None, "p95": None, "max": None}
    assert result["bot_cpu_ms_per_reply"] is None
    assert result["nlu_client_cpu_ms_per_call"] is None
    assert result["bot_cpu_ms_beyond_nlu"] is None
    assert result["replies_per_parse"] is None
    assert result["replies_per_capacity"] is None


def test_the_warm_up_is_not_measured() -> None:
    exchanges = [Exchange(at, 0.1) for at in (1.0, 2.9, 3.0, 4.0)]
    assert [e.sent_at for e in measured(exchanges, 3.0)] == [3.0, 4.0]


async def test_a_caller_starts_at_its_offset_asks_in_turn_and_thinks_between() -> None:
    texts = [f"q{i}" for i in range(10)]
    think = 0.05
    asked: list[tuple[int, str, float]] = []

    async def ask(number: int, text: str) -> None:
        asked.append((number, text, time.monotonic()))

    began = time.monotonic()
    span = Window(began, began + 0.3)
    await closed_loop(3, ask, questions=texts, window=span, think=think)
    assert [t for _, t, _ in asked] == [texts[(21 + i) % 10] for i in range(len(asked))]
    offset = random.Random(3).uniform(0, think)
    assert asked[0][2] - began == pytest.approx(offset, abs=0.03)
    gaps = [b[2] - a[2] for a, b in itertools.pairwise(asked)]
    assert all(gap >= think - 0.005 for gap in gaps)  # the loop's clock resolution
    assert 3 <= len(asked) <= 1 + 0.3 / think


async def test_the_parse_phase_drives_the_nlu_as_the_citizens_drive_the_bot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bench_load, "PARSE_WARMUP", 0.05)
    # Think time long against a parse even on a busy machine (CI once saw a fake parse
    # take 57 ms while other jobs ran): callers thinking 0.25 s ask at most 12 a second.
    seconds, think, clients = 0.8, 0.25, 3
    with fake_nlu({}) as url:
        stack = LoadStack(
            sandbox_url="",
            sandbox_pid=0,
            bot_pid=0,
            rasa_url=url,
            rasa_token="t",
            rasa_started=False,
            database="sqlite",
        )
        paced = await parse_phase(
            stack, clients=clients, seconds=seconds, think=think, texts_=["một", "hai"]
        )
        saturated = await parse_phase(
            stack, clients=clients, seconds=seconds, think=0.0, texts_=["một", "hai"]
        )
    assert paced.failures == saturated.failures == 0
    # Closed-loop callers thinking cannot ask more than clients ÷ think a second…
    assert 0 < paced.per_s <= clients / think
    # …which a fake Rasa answering in a few milliseconds goes well beyond without think.
    assert saturated.per_s > 1.5 * paced.per_s
    # Warm-up calls are made (and cost CPU) but not counted in the rate.
    assert len(paced.calls) > paced.parses and paced.cpu_seconds > 0


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


OLD_HEADER = (
    "| run | command | db | chats | replies/s | p50 ms | p95 ms | max ms | parses/s | "
    "replies ÷ parses | bot CPU ms/reply | bot peak RSS MB | errors / timeouts / NLU down |"
    " date |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
)
OLD_ROW = (
    "| after | `tiepdan bench load --chats 20 --seconds 20` | sqlite | 20 | 46.5 | 120.2 | "
    "214.5 | 355.5 | 84.0 | 0.55 | 15.5 | 125.4 | 0 / 0 / 0 | 2026-12-03 |"
)


def test_a_row_of_the_older_table_keeps_its_figures_under_todays_columns() -> None:
    cells = [c.strip() for c in current_row(OLD_ROW).strip("| ").split("|")]
    row = dict(zip(COLUMNS, cells, strict=True))
    # Its parse phase had no think time: Rasa saturated, today's NLU capacity.
    assert (row["NLU capacity/s"], row["replies ÷ capacity"]) == ("84.0", "0.55")
    assert row["parses/s"] == row["replies ÷ parses"] == "-"
    assert row["NLU client CPU ms/call"] == row["bot CPU ms/reply beyond NLU"] == "-"
    assert (row["bot CPU ms/reply"], row["bot peak RSS MB"]) == ("15.5", "125.4")
    assert (row["errors / timeouts / NLU down"], row["date"]) == ("0 / 0 / 0", "2026-12-03")
    new = table_row(figures(), label="new", command="tiepdan bench load")
    assert current_row(new) == new


def test_writing_a_row_migrates_the_older_table_and_keeps_the_notes(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    reading = "What the figures say:\n\n- **fast**: yes."
    path.write_text(
        f"# Other\n\nkept\n\n{SECTION}\n\nold prose\n\n{OLD_HEADER}\n{OLD_ROW}\n\n"
        f"{reading}\n\n# Later\n\nkept too\n",
        encoding="utf-8",
    )
    write_row(path)  # only brought up to date
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Other\n\nkept\n\n") and text.endswith("# Later\n\nkept too\n")
    assert "old prose" not in text and "NLU client CPU" in text
    assert existing_rows(text) == [current_row(OLD_ROW)]
    assert notes(text) == reading
    write_row(path, table_row(figures(), label="new", command="tiepdan bench load"))
    text = path.read_text(encoding="utf-8")
    assert notes(text) == reading
    table = [line for line in text.splitlines() if line.startswith("|")]
    assert len(table) == 4 and table[0].startswith("| run |")
    # A valid Markdown table: every line has the header's number of cells.
    assert {line.count("|") for line in table} == {len(COLUMNS) + 1}


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

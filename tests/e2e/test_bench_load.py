"""`tiepdan bench load` end to end: its own sandbox and bot processes, the e2e session's
Rasa server, a fresh SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from bot.settings import get_settings
from tests.e2e.stack import Stack

pytestmark = pytest.mark.e2e


def test_bench_load_measures_the_bot_in_a_process_of_its_own(stack: Stack, tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "RASA_"))},
        # The Rasa server of the session's stack answers: the benchmark reuses it.
        "RASA_URL": f"http://127.0.0.1:{stack.rasa_port}",
        "RASA_TOKEN": (stack.workdir / "var" / "rasa-token").read_text(encoding="utf-8"),
        "VAR_DIR": str(tmp_path / "var"),
        "MODELS_DIR": str(get_settings().models_dir),
    }
    started = time.monotonic()
    # 4 s a phase: the citizens, Rasa under the same callers, Rasa saturated (≈ 15 s).
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bench", "load", "--chats", "3", "--seconds", "4", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout)
    assert time.monotonic() - started < 60
    assert figures["rasa"].startswith("reused")
    assert figures["database"] == "sqlite"
    assert figures["replies"] > 0
    assert figures["errors"] == figures["timeouts"] == figures["nlu_down"] == 0
    latency = figures["latency_ms"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["max"] < 10_000
    assert figures["nlu_capacity_seconds"] == 4  # min(--seconds, 10)
    # Rasa alone under the same 3 callers thinking 0.3 s: at most 3 ÷ 0.3 a second;
    # saturated (no think time), more than that.
    assert 0 < figures["parses_per_s"] <= 3 / 0.3 < figures["nlu_capacity_per_s"]
    assert 0 < figures["parse_latency_ms"]["p50"] <= figures["parse_latency_ms"]["max"]
    assert figures["replies_per_parse"] > figures["replies_per_capacity"] > 0
    assert 0 < figures["nlu_client_cpu_ms_per_call"] < figures["bot_cpu_ms_per_reply"]
    assert figures["bot_cpu_ms_beyond_nlu"] == pytest.approx(
        figures["bot_cpu_ms_per_reply"] - figures["nlu_client_cpu_ms_per_call"], abs=0.1
    )
    assert figures["bot_peak_rss_mb"] > 30
    assert figures["sandbox_cpu_ms_per_reply"] > 0
    assert figures["bot_pid"] != figures["sandbox_pid"]
    # Every process it started is gone.
    for pid in (figures["bot_pid"], figures["sandbox_pid"]):
        assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"

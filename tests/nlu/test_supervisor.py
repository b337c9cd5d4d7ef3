"""The Rasa supervisor on stand-in child processes: start-up retries, restarts, stop."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from nlu.server import RasaServer
from nlu.supervisor import RasaSupervisor

# A stand-in server: each run leaves run-<n>; the first CRASHES runs print and exit 3,
# later ones write `ready` (their pid) and stay up.
CHILD = """
import os, sys, time, pathlib
d = pathlib.Path(sys.argv[1])
run = len(list(d.glob("run-*")))
(d / f"run-{run}").write_text(str(os.getpid()))
print(f"stand-in run {run}", flush=True)
if run < int(sys.argv[2]):
    sys.exit(3)
(d / "ready").write_text(str(os.getpid()))
time.sleep(120)
"""


def server(tmp_path: Path, crashes: int) -> RasaServer:
    return RasaServer(
        [sys.executable, "-c", CHILD, str(tmp_path), str(crashes)],
        env=dict(os.environ),
        workdir=tmp_path,
        log_path=tmp_path / "log" / "rasa.log",
    )


def runs(directory: Path) -> list[str]:
    """The stand-in's runs so far."""
    return sorted(p.name for p in directory.glob("run-*"))


def supervisor(rasa: RasaServer, tmp_path: Path) -> RasaSupervisor:
    async def ready() -> bool:
        return (tmp_path / "ready").exists()

    return RasaSupervisor(
        rasa, ready, start_timeout=20, restart_delays=(0.0, 0.6), poll_interval=0.05
    )


async def test_a_server_that_crashes_once_at_start_up_is_started_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rasa = server(tmp_path, crashes=1)
    try:
        with caplog.at_level(logging.INFO, logger="nlu.supervisor"):
            await supervisor(rasa, tmp_path).start(asyncio.Event())
        assert rasa.running
        assert runs(tmp_path) == ["run-0", "run-1"]
        warning = next(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
        assert "exit code 3" in warning and "attempt 2 of 3" in warning
        assert "stand-in run 0" in warning
        assert "Rasa NLU server ready" in caplog.messages
    finally:
        rasa.stop()


async def test_a_server_that_always_crashes_fails_with_its_log(tmp_path: Path) -> None:
    rasa = server(tmp_path, crashes=99)
    try:
        with pytest.raises(RuntimeError, match="exited during start-up 3 times") as raised:
            await supervisor(rasa, tmp_path).start(asyncio.Event())
    finally:
        rasa.stop()
    assert "stand-in run 2" in str(raised.value)
    assert len(runs(tmp_path)) == 3


async def test_watch_restarts_a_killed_server_until_stopped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    rasa = server(tmp_path, crashes=0)
    stop = asyncio.Event()
    keeper = supervisor(rasa, tmp_path)
    try:
        await keeper.start(stop)
        watcher = asyncio.create_task(keeper.watch(stop))
        for killed in range(2):
            ready = tmp_path / "ready"
            pid = int(ready.read_text())
            ready.unlink()
            os.kill(pid, signal.SIGKILL)
            for _ in range(400):
                if ready.exists() and rasa.running:
                    break
                await asyncio.sleep(0.05)
            assert int(ready.read_text()) != pid, f"not restarted after kill {killed + 1}"
        stop.set()
        await asyncio.wait_for(watcher, timeout=5)
        assert rasa.running, "watch must not stop the server; the runner does"
    finally:
        rasa.stop()
    exits = [m for m in caplog.messages if "exited (exit code -9)" in m]
    assert len(exits) == 2
    assert "starting it again in 0 s" in exits[0] and "in 1 s" in exits[1]
    assert len(runs(tmp_path)) == 3


async def test_a_stop_during_start_up_returns_at_once(tmp_path: Path) -> None:
    rasa = RasaServer(
        [sys.executable, "-c", "import time; time.sleep(120)"],
        env=dict(os.environ),
        workdir=tmp_path,
    )
    stop = asyncio.Event()
    stop.set()
    try:
        await asyncio.wait_for(supervisor(rasa, tmp_path).start(stop), timeout=5)
        assert rasa.running
    finally:
        rasa.stop()
    assert not rasa.running


def test_a_start_moves_a_long_log_aside(tmp_path: Path) -> None:
    log = tmp_path / "log" / "rasa.log"
    log.parent.mkdir()
    log.write_text("old line\n" * 100)
    rasa = RasaServer(
        [sys.executable, "-c", "print('new run', flush=True)"],
        env=dict(os.environ),
        workdir=tmp_path,
        log_path=log,
        rotate_bytes=500,
    )
    rasa.start()
    try:
        for _ in range(100):
            if not rasa.running:
                break
            time.sleep(0.05)
    finally:
        rasa.stop()
    assert (tmp_path / "log" / "rasa.log.1").read_text().count("old line") == 100
    assert rasa.log_tail() == "new run"
    rasa.start()  # a short log stays where it is
    rasa.stop()
    assert log.read_text().startswith("new run\n")
    assert (tmp_path / "log" / "rasa.log.1").read_text().count("old line") == 100

"""The blue-green model switch on stand-in Rasa servers (real child processes answering
`/status` and `/model/parse` over HTTP): no parse fails or goes astray while the bot
moves to a new server, and a new server that dies leaves the old one serving."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nlu.client import NluClient
from nlu.server import RasaServer
from nlu.supervisor import RasaSupervisor
from nlu.switch import ModelSwitch, SwitchFailed, free_port, publish_url, serving_url

# A stand-in Rasa server: argv = port, model name, seconds before it answers, seconds
# each parse takes, exit code to die with instead of answering (0: never).
CHILD = """
import json, sys, time
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port, model, load, slow, die = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"stand-in {model} loading", flush=True)
time.sleep(load)
if die:
    print(f"stand-in {model} failed to load", flush=True)
    sys.exit(die)
class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def _json(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
    def do_GET(self):
        self._json({"model_file": model})
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(slow)
        self._json({"intent": {"name": model, "confidence": 0.9},
                    "intent_ranking": [{"name": model, "confidence": 0.9}]})
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"""


def stand_in(
    tmp_path: Path,
    model: str,
    *,
    load: float = 0.0,
    slow: float = 0.0,
    die: int = 0,
    log_name: str = "rasa.log",
) -> RasaServer:
    port = free_port()
    return RasaServer(
        [sys.executable, "-c", CHILD, str(port), model, str(load), str(slow), str(die)],
        env=dict(os.environ),
        workdir=tmp_path,
        log_path=tmp_path / "log" / log_name,
        url=f"http://127.0.0.1:{port}",
        model=tmp_path / f"{model}.tar.gz",
    )


async def answers(url: str) -> bool:
    client = NluClient(base_url=url, token="t", timeout=2.0)
    try:
        return await client.ready()
    finally:
        await client.aclose()


class Bench:
    """A supervised stand-in serving "old", the bot's client on it, and a switch."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.old = stand_in(tmp_path, "old", slow=0.05)
        self.client = NluClient(base_url=str(self.old.url), token="t", timeout=2.0)
        self.supervisor = RasaSupervisor(
            self.old, self.client.ready, start_timeout=20, restart_delays=(0.0,), poll_interval=0.05
        )
        self.candidates: list[RasaServer] = []
        self.next: dict[str, float | int] = {}
        self.switched: list[str] = []
        self.switch = self.new_switch(start_timeout=15)

    def new_switch(self, start_timeout: float = 15) -> ModelSwitch:
        return ModelSwitch(
            self.supervisor,
            self.client,
            make_server=self.make,
            probe=answers,
            start_timeout=start_timeout,
            poll_interval=0.05,
            on_switched=self.switched.append,
        )

    def make(self, model: Path, log_name: str) -> RasaServer:
        server = stand_in(
            self.tmp_path,
            model.name.removesuffix(".tar.gz"),
            log_name=log_name,
            **self.next,  # type: ignore[arg-type]
        )
        self.candidates.append(server)
        return server

    def model(self, name: str) -> Path:
        return self.tmp_path / f"{name}.tar.gz"

    def stop_all(self) -> None:
        for server in [self.old, *self.candidates]:
            server.stop()


@pytest.fixture
async def bench(tmp_path: Path) -> AsyncIterator[Bench]:
    setup = Bench(tmp_path)
    try:
        await setup.supervisor.start(asyncio.Event())
        yield setup
    finally:
        await setup.client.aclose()
        setup.stop_all()


async def steady_parses(client: NluClient, done: asyncio.Event) -> list[str]:
    """Parse every 20 ms until `done`; the model that answered each (a failure raises)."""
    seen = []
    while not done.is_set():
        seen.append(str((await client.parse("xin chao")).intent))
        await asyncio.sleep(0.02)
    return seen


async def test_the_switch_moves_every_later_parse_to_the_new_server(bench: Bench) -> None:
    bench.next = {"load": 1.0, "slow": 0.05}
    done = asyncio.Event()
    stream = asyncio.create_task(steady_parses(bench.client, done))
    await bench.switch.switch(bench.model("new"))
    await asyncio.sleep(0.3)
    done.set()
    seen = await stream  # not one NluUnavailable

    [new] = bench.candidates
    assert seen[0] == "old" and seen[-1] == "new"
    first_new = seen.index("new")
    assert set(seen[:first_new]) == {"old"} and set(seen[first_new:]) == {"new"}
    assert bench.client.base_url == new.url
    assert bench.supervisor.server is new and bench.switch.model == bench.model("new")
    assert not bench.old.running and new.running
    assert bench.switched == [new.url]
    assert new.log_path is not None and new.log_path.name == "rasa-b.log"


async def test_parses_in_flight_finish_on_the_old_server(tmp_path: Path, bench: Bench) -> None:
    bench.old.stop()
    bench.old = stand_in(tmp_path, "old", slow=1.0)  # every parse takes a second
    bench.supervisor.replace(bench.old)
    bench.old.start()
    await bench.client.switch_to(str(bench.old.url))
    for _ in range(100):
        if await answers(str(bench.old.url)):
            break
        await asyncio.sleep(0.05)
    bench.switch = bench.new_switch()

    slow_parse = asyncio.create_task(bench.client.parse("xin chao"))
    await asyncio.sleep(0.1)
    await bench.switch.switch(bench.model("new"))
    assert (await slow_parse).intent == "old"  # finished on the old server, not cut off
    assert (await bench.client.parse("xin chao")).intent == "new"


async def test_a_candidate_that_exits_while_loading_leaves_the_old_serving(bench: Bench) -> None:
    bench.next = {"load": 0.2, "die": 3}
    with pytest.raises(SwitchFailed, match="exit code 3") as failed:
        await bench.switch.switch(bench.model("broken"))
    assert "stand-in broken failed to load" in str(failed.value)
    assert_old_serves(bench)


async def test_a_candidate_killed_while_loading_leaves_the_old_serving(bench: Bench) -> None:
    bench.next = {"load": 30.0}
    switching = asyncio.create_task(bench.switch.switch(bench.model("new")))
    for _ in range(100):
        if bench.candidates and bench.candidates[0].running:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)
    pid = bench.candidates[0].pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    with pytest.raises(SwitchFailed, match="exit code -9"):
        await switching
    assert_old_serves(bench)


async def test_a_candidate_that_never_answers_times_out(bench: Bench) -> None:
    bench.next = {"load": 30.0}
    bench.switch = bench.new_switch(start_timeout=1.0)
    with pytest.raises(SwitchFailed, match="did not answer in 1 s"):
        await bench.switch.switch(bench.model("slow"))
    assert_old_serves(bench)


async def test_a_cancelled_switch_stops_its_new_server(bench: Bench) -> None:
    bench.next = {"load": 30.0}
    switching = asyncio.create_task(bench.switch.switch(bench.model("new")))
    await asyncio.sleep(0.5)
    switching.cancel()
    with pytest.raises(asyncio.CancelledError):
        await switching
    assert_old_serves(bench)


async def test_after_a_switch_the_supervisor_restarts_the_new_server(bench: Bench) -> None:
    stop = asyncio.Event()
    watcher = asyncio.create_task(bench.supervisor.watch(stop))
    try:
        await bench.switch.switch(bench.model("new"))
        [new] = bench.candidates
        pid = new.pid
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        for _ in range(200):
            if new.running and new.pid != pid and await answers(str(new.url)):
                break
            await asyncio.sleep(0.05)
        assert new.pid != pid, "the active (new) server was not restarted"
        assert (await bench.client.parse("xin chao")).intent == "new"
        assert not bench.old.running, "the old server must stay stopped"
    finally:
        stop.set()
        await asyncio.wait_for(watcher, timeout=5)


def assert_old_serves(bench: Bench) -> None:
    assert bench.supervisor.server is bench.old and bench.old.running
    assert bench.client.base_url == bench.old.url
    assert all(not c.running for c in bench.candidates)
    assert bench.switched == []


def test_the_serving_url_is_published_for_other_processes(tmp_path: Path) -> None:
    from bot.settings import Settings

    settings = Settings(var_dir=tmp_path, rasa_url="http://127.0.0.1:5005/")
    assert serving_url(settings) == "http://127.0.0.1:5005"
    publish_url(tmp_path, "http://127.0.0.1:41234")
    assert serving_url(settings) == "http://127.0.0.1:41234"
    publish_url(tmp_path, None)
    assert serving_url(settings) == "http://127.0.0.1:5005"

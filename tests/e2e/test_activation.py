"""Retraining and activating a model with the real stack while citizens keep asking:
a new intent goes live with no lost, doubled or failed message; a failed training and a
candidate server killed during the switch leave the old model serving."""

from __future__ import annotations

import asyncio
import math
import os
import re
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.bench_stream import CitizenStream, rasa_servers
from bot.db import session_scope
from bot.faq.models import FaqAnswer, FaqExample, FaqTopic
from bot.training.models import TrainedModel
from nlu.switch import URL_FILE
from tests.e2e.stack import TIEPDAN, Citizen, Stack

ADMIN, PASSWORD = "quantri", "e2e-Activate-2026"
NEW_INTENT = "nuoi_chim_yen"
NEW_TITLE = "Đăng ký cơ sở nuôi chim yến"
NEW_QUESTION = "thu tuc xin phep nuoi chim yen the nao"
STALL_S = 2.0
EXAMPLES = [
    "xin phép nuôi chim yến ở đâu",
    "nuoi chim yen can giay phep gi",
    "thủ tục xây nhà nuôi yến",
    "muốn làm nhà yến thì đăng ký ở đâu",
    "đăng ký cơ sở nuôi chim yến",
    "nha yen co can xin phep khong",
    "giấy phép nuôi yến trong khu dân cư",
    "hồ sơ nuôi chim yến gồm những gì",
]


@pytest.fixture(scope="module")
def live(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """One stack for the module, with an admin; cross-validation off to train faster."""
    stack = Stack(
        workdir=tmp_path_factory.mktemp("activation"),
        env_overrides={"NLU_CROSSVAL_FOLDS": "0"},
    )
    stack.workdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [TIEPDAN, "staff", "add", ADMIN, "--role", "admin", "--password-stdin"],
        input=f"{PASSWORD}\n".encode(),
        env=stack.env(),
        check=True,
        capture_output=True,
    )
    with stack.running() as running:
        yield running


class Admin:
    """The console, as an admin in a browser would use it."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.http = httpx.Client(base_url=stack.console, timeout=30)
        self.post("/login", "/login", username=ADMIN, password=PASSWORD)

    def post(self, page: str, action: str, **data: str) -> httpx.Response:
        found = re.search(r'name="csrftoken" value="([^"]+)"', self.http.get(page).text)
        assert found, page
        response = self.http.post(action, data={**data, "csrftoken": found.group(1)})
        assert response.status_code == 303, response.text[-2000:]
        return response

    def train(self) -> str:
        response = self.post("/admin/models", "/admin/models/train")
        return response.headers["location"].split("started=")[1]

    def activate(self, version: str) -> None:
        self.post("/admin/models", f"/admin/models/{version}/activate", confirmed="1")

    def model(self, version: str) -> TrainedModel:
        with session_scope(self.stack.database_url) as session:
            return session.scalars(
                select(TrainedModel).where(TrainedModel.version == version)
            ).one()

    def active(self) -> TrainedModel:
        with session_scope(self.stack.database_url) as session:
            return session.scalars(
                select(TrainedModel).where(TrainedModel.status == "active")
            ).one()

    def wait(self, version: str, *statuses: str, within: float = 240) -> TrainedModel:
        deadline = time.monotonic() + within
        while (model := self.model(version)).status not in statuses:
            assert time.monotonic() < deadline, (
                model.status,
                model.error,
                self.stack.log()[-3000:],
            )
            time.sleep(0.2)
        return model


@pytest.fixture(scope="module")
def admin(live: Stack) -> Iterator[Admin]:
    console = Admin(live)
    yield console
    console.http.close()


@contextmanager
def citizens_asking(stack: Stack, first_chat: int) -> Iterator[CitizenStream]:
    """A question every 0.3 s in the background, each from a new chat."""
    stream = CitizenStream(stack.api, interval=0.3, first_chat=first_chat)
    stop = asyncio.Event()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(stream.run(stop),))
    thread.start()
    try:
        yield stream
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(60)
        loop.close()


def ask(stack: Stack, chat_id: int, text: str) -> str:
    citizen = Citizen(stack, chat_id=chat_id)
    citizen.send(text)
    [reply] = citizen.replies(timeout=30)
    return str(reply["text"])


def assert_every_message_answered_once(stream: CitizenStream) -> None:
    report = stream.report()
    assert report["messages"] > 10
    assert (report["lost"], report["duplicated"], report["failed"]) == (0, 0, 0), report


def assert_no_stall(stack: Stack, stream: CitizenStream, start: float, end: float) -> None:
    """No citizen's reply stalled in [start, end). A stall (Rasa's `PUT /model` holding its
    server for ~11 s, the bot's loop held up) delays every question sent while it lasts,
    one each 0.3 s, so it shows as several replies over STALL_S; a single slow reply is
    the machine (one of 2.1 s among 83 once, on a loaded CI machine). The issue's figure,
    the maximum on a quiet machine, is measured by `tiepdan bench activate`."""
    chosen = [s for s in stream.sent if start <= s.at < end]
    slow = sorted(chosen, key=lambda s: s.latency or math.inf, reverse=True)
    over = [s for s in slow if (s.latency or math.inf) >= STALL_S]
    timeline = [(round(s.at - start, 1), round(s.latency or math.inf, 2), s.text) for s in slow[:5]]
    switch_log = [line for line in stack.log().splitlines() if "nlu.switch" in line]
    assert len(chosen) > 3, stream.report(start, end)
    assert len(over) <= 1 and all((s.latency or math.inf) < 2 * STALL_S for s in over), (
        timeline,
        switch_log,
    )


def test_a_new_intent_goes_live_while_citizens_keep_asking(live: Stack, admin: Admin) -> None:
    assert NEW_TITLE.upper() not in ask(live, 7001, NEW_QUESTION)
    with session_scope(live.database_url) as session:
        session.add(
            FaqAnswer(
                intent=NEW_INTENT,
                title=NEW_TITLE,
                summary="Nộp hồ sơ tại UBND phường.",
                sections=[],
            )
        )
        session.add_all(FaqExample(intent=NEW_INTENT, text=t, source="admin") for t in EXAMPLES)
        topic = session.scalars(select(FaqTopic).order_by(FaqTopic.position)).first()
        assert topic is not None
        topic.intents = [*topic.intents, NEW_INTENT]
    old = admin.active()
    old_server = current_server(live)

    with citizens_asking(live, first_chat=710_000) as stream:
        version = admin.train()
        admin.wait(version, "ready", "failed")
        switch_started = time.monotonic()
        admin.activate(version)
        model = admin.wait(version, "active", "ready", within=180)
        switched = time.monotonic()
        time.sleep(2)
    assert model.status == "active", model.error
    assert admin.model(old.version).status == "ready"

    assert_every_message_answered_once(stream)
    assert_no_stall(live, stream, switch_started, switched + 1)

    assert NEW_TITLE.upper() in ask(live, 7002, NEW_QUESTION)
    new_server = current_server(live)
    assert new_server != old_server and old_server[0] not in rasa_servers(live_pid(live))
    published = (live.workdir / "var" / URL_FILE).read_text().strip()
    assert published.endswith(f":{new_server[1]}")


def test_a_failed_training_leaves_the_old_model_serving(live: Stack, admin: Admin) -> None:
    before = admin.active().version
    with session_scope(live.database_url) as session:
        bad = FaqExample(
            intent="hỏng: dữ liệu", text="câu mẫu làm hỏng tệp huấn luyện", source="admin"
        )
        session.add(bad)
    try:
        with citizens_asking(live, first_chat=720_000) as stream:
            version = admin.train()
            failed = admin.wait(version, "failed", "ready")
            # A bad-data failure comes within a second: keep the stream going long enough
            # to show the bot answering throughout.
            deadline = time.monotonic() + 15
            while len(stream.sent) <= 12 and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        with session_scope(live.database_url) as session:
            session.query(FaqExample).filter(FaqExample.intent == "hỏng: dữ liệu").delete()
    assert failed.status == "failed" and failed.error
    assert admin.active().version == before
    assert_every_message_answered_once(stream)
    assert NEW_TITLE.upper() in ask(live, 7003, NEW_QUESTION)


def test_a_candidate_killed_during_the_switch_leaves_the_old_model_serving(
    live: Stack, admin: Admin
) -> None:
    serving = admin.active().version
    rollback = next(m for m in all_models(live) if m.status == "ready" and m.path)
    old_server = current_server(live)
    with citizens_asking(live, first_chat=730_000) as stream:
        admin.activate(rollback.version)
        candidate = wait_for_candidate(live, old_server[0])
        time.sleep(2)  # loading its model
        os.kill(candidate, signal.SIGKILL)
        model = admin.wait(rollback.version, "ready", "active", within=60)
        time.sleep(1)
    assert model.status == "ready"
    assert model.error and "exit code -9" in model.error
    assert admin.active().version == serving
    assert current_server(live) == old_server
    assert_every_message_answered_once(stream)
    assert NEW_TITLE.upper() in ask(live, 7004, NEW_QUESTION)


def live_pid(stack: Stack) -> int:
    assert stack.process is not None
    return stack.process.pid


def current_server(stack: Stack) -> tuple[int, str]:
    """The pid and port of the one Rasa server the stack runs."""
    [pid] = rasa_servers(live_pid(stack))
    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    return pid, argv[argv.index("--port") + 1]


def wait_for_candidate(stack: Stack, old: int, within: float = 30) -> int:
    deadline = time.monotonic() + within
    while True:
        others = [pid for pid in rasa_servers(live_pid(stack)) if pid != old]
        if others:
            return others[0]
        assert time.monotonic() < deadline, "no second Rasa server was started"
        time.sleep(0.1)


def all_models(stack: Stack) -> list[TrainedModel]:
    with session_scope(stack.database_url) as session:
        return list(session.scalars(select(TrainedModel).order_by(TrainedModel.id)))

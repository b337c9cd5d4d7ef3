"""/admin/models: the versions, training in the background with fake steps, activation
and its second confirmation, rollback; admins only."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import IO

import httpx
import pytest
from sqlalchemy import select

from bot.console.app import create_app
from bot.db import session_scope
from bot.settings import Settings
from bot.training.models import TrainedModel
from bot.training.worker import Steps
from tests.console.conftest import csrf_token, login
from tests.training.factories import add_model
from tests.training.test_worker import fake_crossval, fake_heldout, fake_train, tiny_export

RELEASE = threading.Event()


def waiting_train(
    settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
) -> Path:
    """The fake Rasa, holding on until the test lets it finish."""
    assert log is not None
    log.write("<script>alert(1)</script> epoch 1\n")
    log.flush()
    assert RELEASE.wait(15)
    return fake_train(settings, data_dir, out_dir=out_dir, log=log)


@pytest.fixture
def settings(console_settings: Settings, tmp_path: Path) -> Settings:
    return console_settings.model_copy(update={"models_dir": tmp_path / "models"})


@pytest.fixture
async def admin(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings)
    app.starlette.state.training_steps = Steps(  # type: ignore[attr-defined]
        export=tiny_export, train=waiting_train, heldout=fake_heldout, crossval=fake_crossval
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await login(client, "quantri")
        yield client


def _models(settings: Settings) -> dict[str, TrainedModel]:
    with session_scope(settings.database_url) as session:
        return {m.version: m for m in session.scalars(select(TrainedModel))}


async def test_train_runs_in_the_background_and_the_page_follows_it(
    admin: httpx.AsyncClient, settings: Settings
) -> None:
    RELEASE.clear()
    token = await csrf_token(admin, "/admin/models")
    response = await admin.post("/admin/models/train", data={"csrftoken": token})
    assert response.status_code == 303
    version = response.headers["location"].split("started=")[1]

    page = await admin.get(response.headers["location"])
    assert f"Đã bắt đầu huấn luyện phiên bản {version}." in page.text
    assert 'hx-trigger="every 2s"' in page.text  # refreshes itself while training

    # The console answers while the training runs; the log tail appears, escaped.
    status = await _poll(admin, lambda html: "epoch 1" in html)
    assert f"Đang huấn luyện phiên bản {version}" in status
    assert "Đang huấn luyện" in status
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in status and "<script>alert" not in status
    busy = await admin.post("/admin/models/train", data={"csrftoken": token})
    assert busy.status_code == 409
    assert f"Đang có một lần huấn luyện chạy (phiên bản {version})" in busy.text

    RELEASE.set()
    done = await _poll(admin, lambda html: "hx-trigger" not in html)
    assert "Sẵn sàng" in done and "90,0 %" in done
    assert _models(settings)[version].status == "ready"


async def _poll(client: httpx.AsyncClient, done: Callable[[str], bool], tries: int = 100) -> str:
    for _ in range(tries):
        html = (await client.get("/admin/models/status")).text
        if done(html):
            return html
        await asyncio.sleep(0.1)
    raise AssertionError(html)


async def test_activation_worse_than_the_margin_asks_a_second_time(
    admin: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    with session_scope(settings.database_url) as session:
        add_model(session, "nlu-old", "active", directory=tmp_path, accuracy=0.95,
                  intents={"ket_hon": 1.0, "greet": 1.0})  # fmt: skip
        add_model(session, "nlu-new", "ready", directory=tmp_path, accuracy=0.90,
                  intents={"ket_hon": 0.7, "greet": 1.0})  # fmt: skip
    page = (await admin.get("/admin/models")).text
    assert "So sánh với mô hình đang dùng" in page
    worse = re.search(r'<table class="figures worse-intents">(.*?)</table>', page, re.S)
    assert worse and "ket_hon" in worse.group(1) and "greet" not in worse.group(1)
    assert "-5,0" in page  # the held-out accuracy delta

    token = await csrf_token(admin, "/admin/models")
    first = await admin.post("/admin/models/nlu-new/activate", data={"csrftoken": token})
    assert first.status_code == 200
    assert "Xác nhận kích hoạt" in first.text
    assert "giảm 5,0 điểm phần trăm" in first.text
    assert 'name="confirmed" value="1"' in first.text
    assert _models(settings)["nlu-new"].status == "ready"

    second = await admin.post(
        "/admin/models/nlu-new/activate", data={"csrftoken": token, "confirmed": "1"}
    )
    assert second.status_code == 303
    assert _models(settings)["nlu-new"].status == "activating"
    page = (await admin.get(second.headers["location"])).text
    assert "Đã yêu cầu kích hoạt phiên bản nlu-new." in page
    assert "Đang kích hoạt phiên bản nlu-new" in page
    assert 'hx-trigger="every 2s"' in page  # until the bot has switched


async def test_rollback_and_refusals(
    admin: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    with session_scope(settings.database_url) as session:
        add_model(session, "nlu-first", "retired", directory=tmp_path)
        add_model(session, "nlu-failed", "failed")
        add_model(session, "nlu-now", "active", directory=tmp_path)
    page = (await admin.get("/admin/models")).text
    assert "Quay lại phiên bản này" in page and "Đang phục vụ" in page
    token = await csrf_token(admin, "/admin/models")
    refused = await admin.post("/admin/models/nlu-failed/activate", data={"csrftoken": token})
    assert refused.status_code == 409 and "chưa sẵn sàng hoặc đã thất bại" in refused.text
    missing = await admin.post("/admin/models/nlu-none/activate", data={"csrftoken": token})
    assert missing.status_code == 404
    rollback = await admin.post("/admin/models/nlu-first/activate", data={"csrftoken": token})
    assert rollback.status_code == 303
    assert _models(settings)["nlu-first"].status == "activating"


@pytest.mark.parametrize("username", ["canbo.qh", "lanhdao.all"])
async def test_non_admins_get_403_on_every_models_page_and_action(
    client: httpx.AsyncClient, console_settings: Settings, tmp_path: Path, username: str
) -> None:
    with session_scope(console_settings.database_url) as session:
        add_model(session, "nlu-new", "ready", directory=tmp_path)
    await login(client, username)
    token = await csrf_token(client, "/cases")
    assert (await client.get("/admin/models")).status_code == 403
    assert (await client.get("/admin/models/status")).status_code == 403
    assert (await client.post("/admin/models/train", data={"csrftoken": token})).status_code == 403
    activate = await client.post("/admin/models/nlu-new/activate", data={"csrftoken": token})
    assert activate.status_code == 403
    assert set(_models(console_settings)) == {"nlu-new"}
    assert _models(console_settings)["nlu-new"].status == "ready"

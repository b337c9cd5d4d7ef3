"""/healthz and /readyz on the console's server: no log-in, no secret in the answer."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.db import session_factory
from bot.ops.health import Readiness
from bot.settings import SANDBOX_BOT_TOKEN, Settings
from tests.e2e.stack import free_port
from tests.ops.conftest import console_client
from tests.ops.fake_rasa import rasa_status

RASA_TOKEN = "rasa-secret-4f1c9a"
UNREACHABLE_DB = "postgresql+psycopg://nobody@127.0.0.1:1/nothing"


def ops_settings(
    tmp_path: Path, *, database_url: str, rasa_url: str, bot_api: str, token: str = RASA_TOKEN
) -> Settings:
    return Settings(
        database_url=database_url,
        var_dir=tmp_path / "var",
        rasa_url=rasa_url,
        rasa_token=token,  # type: ignore[arg-type]
        telegram_api_base_url=f"{bot_api}/bot",
    )


def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"


async def test_healthz_answers_without_the_database(tmp_path: Path) -> None:
    settings = ops_settings(
        tmp_path, database_url=UNREACHABLE_DB, rasa_url=nowhere(), bot_api=nowhere()
    )
    async with console_client(settings) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_ready_when_database_nlu_and_bot_api_answer(
    tmp_path: Path, db_url: str, sandbox_url: str
) -> None:
    with rasa_status(RASA_TOKEN) as rasa_url:
        settings = ops_settings(
            tmp_path, database_url=db_url, rasa_url=rasa_url, bot_api=sandbox_url
        )
        async with console_client(settings, client="10.1.2.3") as client:  # no log-in needed
            response = await client.get("/readyz")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "nlu": "ok", "bot_api": "ok"},
    }


async def test_unreachable_nlu_and_bot_api_are_named_without_secrets(
    tmp_path: Path, db_url: str
) -> None:
    settings = ops_settings(tmp_path, database_url=db_url, rasa_url=nowhere(), bot_api=nowhere())
    async with console_client(settings) as client:
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "nlu": "down: ConnectError", "bot_api": "down: ConnectError"},
    }
    for secret in (RASA_TOKEN, SANDBOX_BOT_TOKEN, "127.0.0.1"):
        assert secret not in response.text


async def test_a_wrong_rasa_token_or_no_model_is_not_ready(
    tmp_path: Path, db_url: str, sandbox_url: str
) -> None:
    with rasa_status("another-token") as rasa_url:
        settings = ops_settings(
            tmp_path, database_url=db_url, rasa_url=rasa_url, bot_api=sandbox_url
        )
        async with console_client(settings) as client:
            response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "nlu": "down: HTTP 401", "bot_api": "ok"}
    with rasa_status(RASA_TOKEN, model_file=None) as rasa_url:
        settings = ops_settings(
            tmp_path, database_url=db_url, rasa_url=rasa_url, bot_api=sandbox_url
        )
        async with console_client(settings) as client:
            checks = (await client.get("/readyz")).json()["checks"]
    assert checks["nlu"] == "down: no model loaded"


async def test_nlu_is_asked_at_the_url_the_running_bot_serves(
    tmp_path: Path, db_url: str, sandbox_url: str
) -> None:
    """After a model switch the bot talks to another Rasa server (var/rasa-url)."""
    with rasa_status(RASA_TOKEN) as rasa_url:
        settings = ops_settings(
            tmp_path, database_url=db_url, rasa_url=nowhere(), bot_api=sandbox_url
        )
        settings.var_dir.mkdir(parents=True)
        (settings.var_dir / "rasa-url").write_text(rasa_url + "\n")
        async with console_client(settings) as client:
            response = await client.get("/readyz")
    assert response.json()["checks"]["nlu"] == "ok"


async def test_database_down_is_named(tmp_path: Path, sandbox_url: str) -> None:
    with rasa_status(RASA_TOKEN) as rasa_url:
        settings = ops_settings(
            tmp_path, database_url=UNREACHABLE_DB, rasa_url=rasa_url, bot_api=sandbox_url
        )
        async with console_client(settings) as client:
            response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {
        "database": "down: OperationalError",
        "nlu": "ok",
        "bot_api": "ok",
    }


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_bot_api_success_is_cached_for_ten_seconds(tmp_path: Path, db_url: str) -> None:
    calls: list[str] = []

    def bot_api(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path.endswith("/getMe"):
            return httpx.Response(200, json={"ok": True, "result": {"id": 1, "is_bot": True}})
        return httpx.Response(502)

    now = [1000.0]
    settings = ops_settings(tmp_path, database_url=db_url, rasa_url=nowhere(), bot_api=nowhere())
    readiness = Readiness(
        settings,
        session_factory(db_url),
        transport=httpx.MockTransport(bot_api),
        clock=lambda: now[0],
    )
    assert (await readiness.checks())["bot_api"] == "ok"
    getme = len([c for c in calls if c.endswith("/getMe")])
    now[0] += 9.0
    assert (await readiness.checks())["bot_api"] == "ok"
    assert len([c for c in calls if c.endswith("/getMe")]) == getme == 1
    now[0] += 2.0
    assert (await readiness.checks())["bot_api"] == "ok"
    assert len([c for c in calls if c.endswith("/getMe")]) == 2
    assert (await readiness.checks())["nlu"] == "down: HTTP 502"

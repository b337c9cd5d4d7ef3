"""/metrics: the bot's counters after real traffic, the database figures, and who may read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy.orm import Session

from bot.cases.clock import utcnow
from bot.cases.status import CaseStatus
from bot.db import session_factory
from bot.ops.db_metrics import DatabaseCollector
from bot.outbox import service as outbox
from bot.outbox.service import OutboxStatus
from bot.settings import Settings
from handlers.keyboards import PART_PREFIX
from nlu.client import NluClient, NluUnavailable
from tests.factories_cases import add_case
from tests.fake_nlu import fake_nlu
from tests.handlers.harness import Citizen, bot_settings, buttons, running_bot
from tests.ops.conftest import console_client

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
NLU_ANSWERS = {
    "xin chào": [("greet", 0.97)],
    "cho hỏi thủ tục đăng ký khai sinh": [("khai_sinh", 0.95), ("khai_tu", 0.02)],
}


async def scrape(settings: Settings, client: str = "127.0.0.1") -> Samples:
    """Every sample /metrics shows, by name and labels."""
    async with console_client(settings, client) as http:
        response = await http.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    assert key in after, f"{key} not exposed"
    return after[key] - before.get(key, 0.0)


async def test_traffic_through_the_bot_is_counted(tmp_path: Path, sandbox_url: str) -> None:
    base = bot_settings(tmp_path, sandbox_url)
    with fake_nlu(NLU_ANSWERS) as nlu_url:
        settings = base.model_copy(update={"rasa_url": nlu_url})
        async with running_bot(settings):
            before = await scrape(settings)
            citizen = Citizen(sandbox_url, chat_id=8101)
            await citizen.send("/start")
            await citizen.last()
            await citizen.send("xin chào")
            await citizen.last()
            sent = await citizen.send("Cho hỏi thủ tục đăng ký khai sinh")
            answer = await citizen.last()
            await citizen.send("thời tiết hôm nay thế nào")  # out of scope: the fallback
            await citizen.last()
            part = next(d for d in buttons(answer).values() if d.startswith(PART_PREFIX))
            await citizen.click(answer, part)  # another part of the answer
            await citizen.last()
            await citizen.post("edit", message_id=sent["message_id"], text="khác")
            await citizen.last()
            after = await scrape(settings)
            await citizen.aclose()
    assert grew(before, after, "tiepdan_updates_total", kind="message") == 4
    assert grew(before, after, "tiepdan_updates_total", kind="callback_query") == 1
    assert grew(before, after, "tiepdan_updates_total", kind="edited_message") == 1
    assert grew(before, after, "tiepdan_updates_total", kind="other") == 0
    assert grew(before, after, "tiepdan_replies_total", action="greet") == 1
    assert grew(before, after, "tiepdan_replies_total", action="faq") == 1
    assert grew(before, after, "tiepdan_replies_total", action="fallback") == 1
    assert grew(before, after, "tiepdan_replies_total", action="complaint") == 0
    assert grew(before, after, "tiepdan_reply_seconds_count") == 3
    assert 0 < grew(before, after, "tiepdan_reply_seconds_sum") < 3 * 2.0
    assert grew(before, after, "tiepdan_nlu_requests_total", outcome="ok") == 3
    assert grew(before, after, "tiepdan_nlu_requests_total", outcome="error") == 0
    assert grew(before, after, "tiepdan_nlu_seconds_count") == 3
    # The database figures come with the bot's counters.
    assert not [name for name, _labels in after if name.endswith("_created")]
    assert after[("tiepdan_database_up", ())] == 1
    assert after[("tiepdan_cases", (("status", "received"),))] == 0


async def test_nlu_outcomes_and_latency() -> None:
    def timing_out(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def failing(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(500)

    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = {o: value("tiepdan_nlu_requests_total", outcome=o) for o in ("timeout", "error")}
    count = value("tiepdan_nlu_seconds_count")
    for handler in (timing_out, failing, failing):
        client = NluClient(base_url="http://nlu", token="t", transport=httpx.MockTransport(handler))
        with pytest.raises(NluUnavailable):
            await client.parse("xin chào")
        await client.aclose()
    assert value("tiepdan_nlu_requests_total", outcome="timeout") - before["timeout"] == 1
    assert value("tiepdan_nlu_requests_total", outcome="error") - before["error"] == 2
    assert value("tiepdan_nlu_seconds_count") - count == 3


def seed_outbox_and_cases(db: Session) -> None:
    """Three pending messages (the oldest 120 s old), one failed, one sent; three cases."""
    now = utcnow()
    for age in (120, 30, 5):
        outbox.enqueue(session=db, chat_id=9001, text="tin", now=now - timedelta(seconds=age))
    failed = outbox.enqueue(session=db, chat_id=9002, text="tin", now=now)
    failed.status = OutboxStatus.FAILED.value
    unsure = outbox.enqueue(session=db, chat_id=9005, text="tin", now=now)
    unsure.status = OutboxStatus.UNCERTAIN.value
    sent = outbox.enqueue(session=db, chat_id=9003, text="tin", now=now - timedelta(hours=5))
    sent.status = OutboxStatus.SENT.value
    add_case(db)
    add_case(db)
    add_case(db).status = CaseStatus.ACCEPTED.value
    db.commit()


def test_database_figures_are_read_at_most_every_five_seconds(db: Session, db_url: str) -> None:
    seed_outbox_and_cases(db)
    now = [0.0]
    collector = DatabaseCollector(session_factory(db_url), clock=lambda: now[0])
    figures = collector.figures()
    assert figures is not None
    assert (figures.outbox_pending, figures.outbox_failed, figures.outbox_uncertain) == (3, 1, 1)
    assert 119 <= figures.outbox_oldest_pending_seconds < 180
    assert figures.cases["received"] == 2 and figures.cases["accepted"] == 1
    assert figures.cases["closed"] == 0 and set(figures.cases) == {str(s) for s in CaseStatus}
    outbox.enqueue(session=db, chat_id=9004, text="tin")
    db.commit()
    now[0] = 4.9
    assert collector.figures() == figures  # cached: the database was not asked
    now[0] = 5.0
    fresh = collector.figures()
    assert fresh is not None and fresh.outbox_pending == 4


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_database_figures_in_the_exposition(db: Session, db_url: str, tmp_path: Path) -> None:
    seed_outbox_and_cases(db)
    samples = await scrape(Settings(database_url=db_url, var_dir=tmp_path / "var"))
    assert samples[("tiepdan_outbox_pending", ())] == 3
    assert samples[("tiepdan_outbox_failed", ())] == 1
    assert samples[("tiepdan_outbox_uncertain", ())] == 1
    assert samples[("tiepdan_outbox_oldest_pending_seconds", ())] >= 119
    assert samples[("tiepdan_cases", (("status", "received"),))] == 2
    assert samples[("tiepdan_cases", (("status", "accepted"),))] == 1


def test_an_unreachable_database_reads_as_down(caplog: pytest.LogCaptureFixture) -> None:
    sessions = session_factory("postgresql+psycopg://nobody@127.0.0.1:1/nothing")
    collector = DatabaseCollector(sessions, ttl=0)
    families = {family.name: family for family in collector.collect()}
    assert list(families) == ["tiepdan_database_up"]
    assert families["tiepdan_database_up"].samples[0].value == 0
    list(collector.collect())
    assert len([r for r in caplog.records if "Metrics: database" in r.getMessage()]) == 1


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_metrics_are_for_loopback_or_the_token(db_url: str, tmp_path: Path) -> None:
    token = "scrape-token-8c2e"
    settings = Settings(
        database_url=db_url, var_dir=tmp_path / "var", metrics_token=SecretStr(token)
    )
    bearer = {"Authorization": f"Bearer {token}"}
    cases = [
        ("127.0.0.1", {}, 200),
        ("::1", {}, 200),
        ("10.0.0.7", {}, 403),
        ("10.0.0.7", {"Authorization": "Bearer wrong"}, 403),
        ("10.0.0.7", {"Authorization": token}, 403),
        ("10.0.0.7", bearer, 200),
        ("127.0.0.1", {"X-Forwarded-For": "10.0.0.7"}, 403),  # through a reverse proxy
        ("127.0.0.1", {"X-Forwarded-For": "10.0.0.7", **bearer}, 200),
    ]
    for client, headers, status in cases:
        async with console_client(settings, client) as http:
            response = await http.get("/metrics", headers=headers)
        assert response.status_code == status, (client, headers)
        if status == 403:
            assert token not in response.text and "tiepdan_" not in response.text
    no_token = settings.model_copy(update={"metrics_token": None})
    async with console_client(no_token, "10.0.0.7") as http:
        assert (await http.get("/metrics", headers=bearer)).status_code == 403

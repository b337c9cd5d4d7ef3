"""PostgreSQL restarted, and stopped for a few seconds, in the middle of citizens' traffic:
the real `tiepdan run` against a private PostgreSQL server of the test's own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.texts import cases as texts
from bot.texts.faults import DATABASE_BUSY
from tests.e2e.intake import answer, press, stored_cases
from tests.e2e.private_postgres import PrivatePostgres, available, private_postgres
from tests.e2e.stack import Citizen, Stack

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not available(), reason="no PostgreSQL 15 binaries to run a private server"),
]
POLITE = (DATABASE_BUSY, texts.DATABASE_DOWN)


@dataclass
class PostgresStack(Stack):
    """A stack whose database is a PostgreSQL URL."""

    postgres_url: str = ""

    @property
    def database_url(self) -> str:
        return self.postgres_url


@pytest.fixture
def pg() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


@pytest.fixture
def pg_stack(pg: PrivatePostgres, hung_rasa: int, tmp_path: Path) -> Iterator[PostgresStack]:
    stack = PostgresStack(
        workdir=tmp_path / "pg",
        args=["--no-rasa"],
        rasa_port=hung_rasa,
        postgres_url=pg.url,
        env_overrides={"OUTBOX_INTERVAL": "0.5"},
    )
    with stack.running(ready_timeout=60):
        yield stack


def to_address(citizen: Citizen) -> dict[str, Any]:
    consent = press(citizen, answer(citizen, "/phananh"), "case:kind:phan_anh")
    unit = press(
        citizen, press(citizen, consent, "case:consent:handling:yes"), "case:consent:notify:yes"
    )
    address = press(citizen, unit, "case:unit:MD")
    assert texts.ASK_ADDRESS in address["text"]
    return address


def to_summary(citizen: Citizen, location: dict[str, Any]) -> dict[str, Any]:
    """From the location question (the address given) to the summary."""
    assert texts.ASK_LOCATION in location["text"], location
    identity = press(citizen, location, "case:skip")
    press(citizen, identity, "case:anon:yes")
    files = press(citizen, answer(citizen, f"Bụi than bay vào nhà {citizen.chat_id}"), "case:done")
    summary = press(citizen, files, "case:done")
    assert "khu 5, đường 3/2" in summary["text"], summary
    return summary


def settle(citizen: Citizen) -> list[dict[str, Any]]:
    """Every bot message since the citizen last looked, once a burst has settled."""
    before = citizen.seen
    citizen.replies(timeout=30)
    time.sleep(0.5)
    messages: list[dict[str, Any]] = httpx.get(
        f"{citizen.api}/messages", params={"chat_id": citizen.chat_id, "after": before}
    ).json()
    citizen.seen = messages[-1]["message_id"]
    return messages


def polite(messages: list[dict[str, Any]]) -> bool:
    return any(m["text"] in POLITE for m in messages)


def confirm_until_received(citizen: Citizen, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """Press confirm; after a polite "not sent", press it again (as the text asks)."""
    citizen.click(summary["message_id"], _confirm_data(summary))
    replies = settle(citizen)
    outcomes = [replies]
    while polite(replies):
        # "Not sent" shows the summary again; "busy" leaves the old one to press again.
        if texts.BUTTON_CONFIRM in str(replies[-1].get("reply_markup")):
            summary = replies[-1]
        time.sleep(0.5)
        citizen.click(summary["message_id"], _confirm_data(summary))
        replies = settle(citizen)
        outcomes.append(replies)
        assert len(outcomes) < 10
    assert "Đã tiếp nhận đơn" in replies[-1]["text"], replies
    return [m for r in outcomes for m in r]


def _confirm_data(message: dict[str, Any]) -> str:
    rows = message["reply_markup"]["inline_keyboard"]
    data: str = next(
        b["callback_data"] for row in rows for b in row if b["text"] == texts.BUTTON_CONFIRM
    )
    return data


def address_until_taken(citizen: Citizen, address: str) -> dict[str, Any]:
    """Give the address; after a polite "try again", give it again."""
    for _ in range(10):
        citizen.send(address)
        replies = settle(citizen)
        if not polite(replies):
            return replies[-1]
        assert all(m["text"] in POLITE for m in replies), replies
        time.sleep(0.5)
    raise AssertionError("the bot never took the address")


def test_postgres_restart_and_outage_mid_traffic(pg: PrivatePostgres, pg_stack: Stack) -> None:
    at_summary = Citizen(pg_stack, chat_id=4101)
    mid_intake = Citizen(pg_stack, chat_id=4102)
    summary = to_summary(at_summary, _address(at_summary))
    to_address(mid_intake)

    # 1. `pg_ctl restart -m fast` while one citizen confirms and another answers.
    with ThreadPoolExecutor(2) as pool:
        confirming = pool.submit(confirm_until_received, at_summary, summary)
        answering = pool.submit(address_until_taken, mid_intake, "khu 5, đường 3/2")
        time.sleep(0.05)
        pg.restart()
        receipt_messages = confirming.result(timeout=60)
        location = answering.result(timeout=60)

    # 2. Stopped for some seconds: citizens mid-intake and at confirm are told politely.
    summary_b = to_summary(mid_intake, location)
    late = Citizen(pg_stack, chat_id=4103)
    late_location = _address(late)
    pg.stop()
    try:
        mid_intake.click(summary_b["message_id"], _confirm_data(summary_b))
        down_confirm = settle(mid_intake)
        assert [m["text"] for m in down_confirm][:1] in ([DATABASE_BUSY], [texts.DATABASE_DOWN])
        late.send("/tracuu")
        assert [m["text"] for m in settle(late)] == [DATABASE_BUSY]
        time.sleep(3)
        assert pg_stack.process is not None and pg_stack.process.poll() is None
    finally:
        pg.start()
    # Replies resume by themselves; the drafts continue at their step.
    confirm_until_received(mid_intake, summary_b)
    confirm_until_received(late, to_summary(late, late_location))

    assert pg_stack.process is not None and pg_stack.process.poll() is None
    cases = stored_cases(pg_stack)
    assert sorted(c.chat_id or 0 for c in cases) == [4101, 4102, 4103]  # one case each
    for case in cases:
        assert case.code.startswith("MD-")
        assert case.events, f"case {case.code} has no events"
        assert case.address_detail == "khu 5, đường 3/2"
    assert any(cases[0].code in m["text"] for m in receipt_messages)
    log = pg_stack.log()
    assert "Unhandled error" not in log, log[-3000:]
    # Jobs log an outage once, not at every tick (the outbox job ran every 0.5 s).
    assert 1 <= log.count("outbox: database unavailable") <= 2, log[-3000:]
    assert "outbox: database available again" in log


def _address(citizen: Citizen) -> dict[str, Any]:
    to_address(citizen)
    return answer(citizen, "khu 5, đường 3/2")

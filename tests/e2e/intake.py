"""A citizen lodging a case with the real bot over the sandbox: steps shared by e2e tests."""

from __future__ import annotations

import time
from typing import Any

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.cases.models import Case
from bot.texts import cases as texts
from tests.e2e.stack import Citizen, Stack, buttons


def stored_cases(stack: Stack) -> list[Case]:
    """Every case in the stack's database, with attachments and events loaded."""
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        rows = list(session.scalars(select(Case).order_by(Case.id)))
        for row in rows:
            _ = (row.attachments, row.events)
    engine.dispose()
    return rows


def last(citizen: Citizen) -> dict[str, Any]:
    """The newest bot message, once a burst of replies has settled."""
    newest = citizen.replies()[-1]
    time.sleep(0.15)
    later = httpx.get(
        f"{citizen.api}/messages", params={"chat_id": citizen.chat_id, "after": citizen.seen}
    ).json()
    if later:
        citizen.seen = later[-1]["message_id"]
        return dict(later[-1])
    return newest


def press(citizen: Citizen, message: dict[str, Any], label_or_data: str) -> dict[str, Any]:
    """Press a button (by its text or data) and return the bot's latest answer."""
    message = _holding(citizen, message, label_or_data)
    data = buttons(message).get(label_or_data, label_or_data)
    citizen.click(message["message_id"], data)
    return last(citizen)


def _holding(
    citizen: Citizen, message: dict[str, Any], wanted: str, timeout: float = 10.0
) -> dict[str, Any]:
    """`message` if it has the button `wanted`, else the newest later bot message that has
    it. With an instance killed mid-update, the repeated delivery of the update before the
    last press can be answered again after that press (bot/ordering/ledger.py): the
    "latest answer" was that repeat, and the answer to the press comes just after it.
    Without such a message in `timeout` s, `message` (the click then fails and says why)."""
    deadline = time.monotonic() + timeout
    while not _has(message, wanted) and time.monotonic() < deadline:
        later = httpx.get(
            f"{citizen.api}/messages",
            params={"chat_id": citizen.chat_id, "after": message["message_id"]},
        ).json()
        holding = [m for m in later if m.get("from", "bot") == "bot" and _has(m, wanted)]
        if holding:
            citizen.seen = max(citizen.seen, holding[-1]["message_id"])
            return dict(holding[-1])
        time.sleep(0.1)
    return message


def _has(message: dict[str, Any], wanted: str) -> bool:
    found = buttons(message)
    return wanted in found or wanted in found.values()


def answer(citizen: Citizen, text: str) -> dict[str, Any]:
    citizen.send(text)
    return last(citizen)


def through_where(citizen: Citizen, ask_kind: dict[str, Any], kind: str) -> dict[str, Any]:
    """Kind, both consents, the unit typed by an old ward name, the address."""
    consent = press(citizen, ask_kind, f"case:kind:{kind}")
    notify = press(citizen, consent, "case:consent:handling:yes")
    unit = press(citizen, notify, "case:consent:notify:yes")
    assert texts.ASK_UNIT in unit["text"]
    citizen.send("Cẩm Thủy")
    matched, _address = citizen.replies(2)
    assert "Phường Quang Hanh" in matched["text"]
    return answer(citizen, "tổ 7, khu 2, đường Trần Phú")


def summary_confirm(citizen: Citizen, summary: dict[str, Any]) -> dict[str, Any]:
    receipt = press(citizen, summary, texts.BUTTON_CONFIRM)
    assert "Đã tiếp nhận đơn" in receipt["text"]
    return receipt

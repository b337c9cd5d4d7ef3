"""The whole loop: citizen → sandbox → bot → Rasa → database → reply."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot import texts
from bot.messages.models import InboundMessage
from bot.texts import answers as answer_texts
from tests.e2e.stack import Citizen, Stack, buttons

KHAI_SINH_QUESTION = "thủ tục đăng ký khai sinh cần những gì"


def stored(stack: Stack, text: str) -> InboundMessage:
    engine = create_engine(stack.database_url)
    with Session(engine) as session:
        row = session.scalars(
            select(InboundMessage)
            .where(InboundMessage.text == text)
            .order_by(InboundMessage.id.desc())
        ).first()
    engine.dispose()
    assert row is not None, f"no stored message {text!r}"
    return row


def test_start_greets_shows_menu_and_registers_commands(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1001, first_name="Lan")
    citizen.send("/start")
    [reply] = citizen.replies()
    assert "Kính chào ông/bà Lan" in reply["text"]
    menu = buttons(reply)
    assert "topic:ho_tich" in menu.values()
    assert menu[texts.MENU_BUTTON_COMPLAINT] == "complaint_howto"
    commands = {c["command"] for c in httpx.get(f"{stack.api}/status").json()["commands"]}
    assert {"start", "menu", "help"} <= commands


def test_question_gets_the_khai_sinh_answer_and_is_stored(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1002)
    citizen.send(KHAI_SINH_QUESTION)
    [reply] = citizen.replies()
    assert "ĐĂNG KÝ KHAI SINH" in reply["text"]
    # "cần những gì" asks for the documents: a short reply leading with them.
    assert reply["text"].split("\n\n")[1].startswith("<b>Giấy tờ cần chuẩn bị</b>")
    assert len(reply["text"]) < 1000 and answer_texts.FULL_BUTTON in buttons(reply)
    row = stored(stack, KHAI_SINH_QUESTION)
    assert row.intent == "khai_sinh"
    assert row.confidence is not None and row.confidence > 0.6
    assert row.ranking[0]["name"] == "khai_sinh"
    assert row.action == "faq" and row.chat_id == 1002


def test_question_without_diacritics_gets_the_same_answer(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1003)
    citizen.send("lam giay ket hon can nhung gi")
    [reply] = citizen.replies()
    assert "ĐĂNG KÝ KẾT HÔN" in reply["text"]


def test_menu_button_opens_an_answer(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1004)
    citizen.send("/menu")
    [menu] = citizen.replies()
    citizen.click(menu["message_id"], "topic:chung_thuc")
    [topic] = citizen.replies()
    citizen.click(topic["message_id"], "faq:chung_thuc_ban_sao")
    [answer] = citizen.replies()
    assert "CHỨNG THỰC BẢN SAO" in answer["text"]
    assert buttons(answer)[texts.MENU_BUTTON_BACK] == "menu"
    # The menu shows the overview; the whole guide is one button away.
    assert "Căn cứ pháp lý" not in answer["text"].split("Ông/bà muốn biết thêm về")[0]
    citizen.click(answer["message_id"], buttons(answer)[answer_texts.FULL_BUTTON])
    [whole] = citizen.replies()
    assert "CHỨNG THỰC BẢN SAO" in whole["text"] and "<b>Căn cứ pháp lý</b>" in whole["text"]


def test_sticker_and_unknown_command_get_a_polite_reply(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1005)
    citizen.post("sticker")
    [reply] = citizen.replies()
    assert reply["text"] == texts.UNSUPPORTED_MESSAGE
    citizen.send("/abc")
    [reply] = citizen.replies()
    assert reply["text"] == texts.UNKNOWN_COMMAND


def test_reply_survives_an_injected_429(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1006)
    fault = {"method": "sendMessage", "count": 1, "status": 429, "retry_after": 1}
    httpx.post(f"{stack.api}/faults", json=fault).raise_for_status()
    citizen.send(KHAI_SINH_QUESTION)
    [reply] = citizen.replies(timeout=30)
    assert "ĐĂNG KÝ KHAI SINH" in reply["text"]
    calls = httpx.get(f"{stack.api}/calls", params={"method": "sendMessage"}).json()
    statuses = [c["status"] for c in calls]
    assert 429 in statuses and statuses[statuses.index(429) + 1] == 200


def test_reply_survives_an_injected_502(stack: Stack) -> None:
    citizen = Citizen(stack, chat_id=1007)
    fault = {"method": "sendMessage", "count": 1, "status": 502}
    httpx.post(f"{stack.api}/faults", json=fault).raise_for_status()
    citizen.send("lam giay ket hon can nhung gi")
    [reply] = citizen.replies(timeout=30)
    assert "ĐĂNG KÝ KẾT HÔN" in reply["text"]
    statuses = [
        c["status"]
        for c in httpx.get(f"{stack.api}/calls", params={"method": "sendMessage"}).json()
    ]
    assert 502 in statuses and statuses[statuses.index(502) + 1] == 200


def test_nlu_outage_gets_the_polite_message_within_two_seconds(stack_without_nlu: Stack) -> None:
    citizen = Citizen(stack_without_nlu, chat_id=2001)
    for attempt in range(3):
        started = time.monotonic()
        citizen.send(f"{KHAI_SINH_QUESTION} {attempt}")
        [reply] = citizen.replies(timeout=10)
        elapsed = time.monotonic() - started
        assert reply["text"] == texts.NLU_DOWN
        assert elapsed < 2.0, f"the fallback took {elapsed:.2f} s"
    row = stored(stack_without_nlu, f"{KHAI_SINH_QUESTION} 2")
    assert row.action == "fallback" and row.intent is None and row.nlu_error
    log = stack_without_nlu.log()
    assert log.count("NLU server unavailable") == 1
    assert "e2e-secret-token" not in log

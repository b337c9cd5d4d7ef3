"""Follow-up questions in a chat: the real bot against the sandbox, with a fake NLU.

A question naming no procedure ("còn lệ phí thì sao?") is answered for the last procedure
discussed; the menu, /start or another procedure start afresh; the context is kept in the
persisted conversation state, so it survives a restart of the bot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from bot import texts
from bot.answering.context import CONTEXT_KEY
from bot.db import session_factory
from bot.persistence import DatabasePersistence, user_data_key
from bot.settings import Settings
from bot.state.service import load_keys
from nlu.normalize import model_text
from tests.fake_nlu import fake_nlu
from tests.handlers.harness import Citizen, bot_settings, buttons, running_bot

# What the fake NLU is sure of; every other text (the follow-ups) is out of scope to it.
UNDERSTOOD = {
    "làm căn cước cần gì": [("can_cuoc", 0.95), ("tam_tru", 0.02)],
    "đăng ký kết hôn lệ phí bao nhiêu": [("ket_hon", 0.95), ("khai_sinh", 0.02)],
    "cho con": [("khai_sinh", 0.4), ("ket_hon", 0.35), ("out_of_scope", 0.2)],
    "cảm ơn nhé": [("thanks", 0.97), ("out_of_scope", 0.02)],
}
FOLLOW_UP = "còn lệ phí thì sao?"
CAN_CUOC_FEE = "Cấp đổi, cấp lại thẻ"
KHAI_SINH_FEE = "Miễn lệ phí nếu đăng ký đúng hạn"
KET_HON_DOCUMENTS = "Tờ khai đăng ký kết hôn"
T = TypeVar("T")


@pytest.fixture
def nlu_url() -> Iterator[str]:
    with fake_nlu({model_text(text): ranking for text, ranking in UNDERSTOOD.items()}) as url:
        yield url


@pytest.fixture
def settings(tmp_path: Path, sandbox_url: str, nlu_url: str) -> Settings:
    return bot_settings(tmp_path, sandbox_url).model_copy(update={"rasa_url": nlu_url})


async def say(citizen: Citizen, text: str) -> dict[str, object]:
    await citizen.send(text)
    return await citizen.last()


async def test_a_follow_up_is_answered_for_the_procedure_just_discussed(citizen: Citizen) -> None:
    answer = await say(citizen, "làm căn cước cần gì")
    assert "CĂN CƯỚC" in str(answer["text"])
    fee = await say(citizen, FOLLOW_UP)
    assert CAN_CUOC_FEE in str(fee["text"])
    # Its buttons are those of a can_cuoc answer: feedback on it, its other parts.
    assert any("can_cuoc" in data for data in buttons(fee).values())
    # The follow-up is remembered too: the next one is about the same procedure.
    again = await say(citizen, "cần mang giấy tờ gì")
    assert "CĂN CƯỚC" in str(again["text"]) and CAN_CUOC_FEE not in str(again["text"])


async def test_thanks_in_between_keeps_the_subject(citizen: Citizen) -> None:
    await say(citizen, "làm căn cước cần gì")
    assert (await say(citizen, "cảm ơn nhé"))["text"] == texts.THANKS_REPLY
    assert CAN_CUOC_FEE in str((await say(citizen, FOLLOW_UP))["text"])


async def test_suggestions_in_between_keep_the_subject(citizen: Citizen) -> None:
    """A reply that answers nothing is about no other subject: the next follow-up is
    still about the identity card."""
    await say(citizen, "làm căn cước cần gì")
    assert (await say(citizen, "cho con"))["text"] == texts.DID_YOU_MEAN
    assert CAN_CUOC_FEE in str((await say(citizen, FOLLOW_UP))["text"])


async def test_the_menu_and_start_reset_the_subject(citizen: Citizen) -> None:
    answer = await say(citizen, "làm căn cước cần gì")
    await citizen.click(answer, texts.MENU_BUTTON_BACK)
    assert (await citizen.last())["text"] == texts.MENU_TITLE
    assert (await say(citizen, FOLLOW_UP))["text"] == texts.OUT_OF_SCOPE
    await say(citizen, "làm căn cước cần gì")
    await say(citizen, "/start")
    assert (await say(citizen, FOLLOW_UP))["text"] == texts.OUT_OF_SCOPE


async def test_another_procedure_starts_afresh(citizen: Citizen) -> None:
    await say(citizen, "làm căn cước cần gì")
    other = await say(citizen, "đăng ký kết hôn lệ phí bao nhiêu")
    assert "KẾT HÔN" in str(other["text"]) and CAN_CUOC_FEE not in str(other["text"])
    documents = await say(citizen, "cần mang giấy tờ gì")
    assert KET_HON_DOCUMENTS in str(documents["text"])


async def test_a_suggestion_button_makes_its_procedure_the_subject(citizen: Citizen) -> None:
    offer = await say(citizen, "cho con")
    assert offer["text"] == texts.DID_YOU_MEAN
    await citizen.click(offer, "faq:khai_sinh")
    assert "KHAI SINH" in str((await citizen.last())["text"])
    assert KHAI_SINH_FEE in str((await say(citizen, FOLLOW_UP))["text"])


async def test_the_subject_survives_a_restart_of_the_bot(
    settings: Settings, sandbox_url: str
) -> None:
    citizen = Citizen(sandbox_url, chat_id=7002)
    try:
        async with running_bot(settings):
            assert "CĂN CƯỚC" in str((await say(citizen, "làm căn cước cần gì"))["text"])
        async with running_bot(settings):
            assert CAN_CUOC_FEE in str((await say(citizen, FOLLOW_UP))["text"])
    finally:
        await citizen.aclose()


async def test_the_subject_is_stored_with_the_message_before_the_reply(
    settings: Settings, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The question, its answer's subject and nothing else: one transaction, committed
    before the reply; PTB's persistence then finds the user's data unchanged and does not
    write it a second time."""
    hops: list[object] = []
    hop = DatabasePersistence._db

    async def counted(self: DatabasePersistence, work: Callable[[Session], T]) -> T:
        hops.append(work)
        return await hop(self, work)

    monkeypatch.setattr(DatabasePersistence, "_db", counted)
    citizen = Citizen(sandbox_url, chat_id=7003)
    sessions = session_factory(settings.database_url)
    try:
        async with running_bot(settings):
            started = len(hops)  # reading the stored states at start
            assert "CĂN CƯỚC" in str((await say(citizen, "làm căn cước cần gì"))["text"])
            with sessions() as session:
                stored = load_keys(session=session, keys=[user_data_key(7003)])
            assert stored[user_data_key(7003)][CONTEXT_KEY]["intent"] == "can_cuoc"
            # The next question runs after the first update's last handler group (one
            # chat's updates are in order): by then any write of the first is done.
            assert CAN_CUOC_FEE in str((await say(citizen, FOLLOW_UP))["text"])
            await say(citizen, "đăng ký kết hôn lệ phí bao nhiêu")
            with sessions() as session:
                stored = load_keys(session=session, keys=[user_data_key(7003)])
            assert stored[user_data_key(7003)][CONTEXT_KEY]["intent"] == "ket_hon"
            assert len(hops) == started
    finally:
        await citizen.aclose()

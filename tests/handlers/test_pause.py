"""A quiet intake lets go of the citizen's next question; the draft waits to be resumed."""

from __future__ import annotations

from datetime import timedelta

from bot.cases.clock import utcnow
from bot.context import TiepdanApp
from bot.texts import cases as texts
from tests.handlers.harness import Citizen
from tests.handlers.test_complaint import begin


def age_draft(bot: TiepdanApp, chat_id: int, hours: float) -> None:
    stamps = bot.user_data[chat_id]["touched_at"]
    stamps["case_draft"] = (utcnow() - timedelta(hours=hours)).isoformat()


async def test_after_a_quiet_spell_free_text_is_a_question_and_the_draft_can_resume(
    citizen: Citizen, bot: TiepdanApp
) -> None:
    location_question = await begin(citizen, "phan_anh")
    draft_id = bot.user_data[citizen.chat_id]["case_draft"]["id"]
    age_draft(bot, citizen.chat_id, hours=1)  # quiet, but not long enough
    await citizen.send("làm giấy khai sinh cần gì")
    replies = await citizen.replies(2)
    assert replies[0]["text"] == texts.USE_BUTTONS  # still inside the intake
    age_draft(bot, citizen.chat_id, hours=3)
    await citizen.send("làm giấy khai sinh cần gì")
    answer, offer = await citizen.replies(2)
    assert answer["text"] != texts.USE_BUTTONS and texts.ASK_LOCATION not in answer["text"]
    assert offer["text"] == texts.RESUME_OFFER
    assert bot.user_data[citizen.chat_id]["case_draft"]["id"] == draft_id
    # The conversation has let go: another question goes to the questions too.
    await citizen.send("giờ làm việc của phường")
    assert texts.RESUME_OFFER not in [m["text"] for m in await citizen.replies(1)]
    await citizen.click(offer, texts.BUTTON_RESUME)
    resumed = await citizen.last()
    assert resumed["text"] == location_question["text"] == texts.ASK_LOCATION
    await citizen.click(resumed, "case:skip")
    assert "ẩn danh" in (await citizen.last())["text"]
    assert bot.user_data[citizen.chat_id]["case_draft"]["id"] == draft_id

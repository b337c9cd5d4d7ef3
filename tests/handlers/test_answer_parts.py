"""The buttons under an answer: one aspect, the whole guide, and forged data."""

from __future__ import annotations

from bot.answering.context import CONTEXT_KEY
from bot.context import TiepdanApp
from bot.texts import answers as T
from tests.handlers.harness import Citizen, buttons


async def test_menu_overview_then_aspect_then_whole_guide(
    citizen: Citizen, bot: TiepdanApp
) -> None:
    await citizen.send("/menu")
    menu = await citizen.last()
    await citizen.click(menu, "topic:ho_tich")
    await citizen.click(await citizen.last(), "faq:khai_sinh")
    overview = await citizen.last()
    # The overview: title, summary, what can be asked next; no section's content yet.
    assert "KHAI SINH" in overview["text"].split("\n")[0]
    assert "Ông/bà muốn biết thêm về" in overview["text"]
    assert "Thông tư" not in overview["text"] and len(overview["text"]) < 1000
    shown = buttons(overview)
    assert shown[T.ASPECT_BUTTONS["fee"]] == "part:fee:khai_sinh"
    assert shown[T.FULL_BUTTON] == "part:full:khai_sinh"
    assert bot.user_data[citizen.chat_id][CONTEXT_KEY]["intent"] == "khai_sinh"

    bot.user_data[citizen.chat_id].pop(CONTEXT_KEY)
    await citizen.click(overview, T.ASPECT_BUTTONS["fee"])
    fee = await citizen.last()
    assert "Lệ phí" in fee["text"] and "Giấy tờ cần chuẩn bị" not in fee["text"].split("\n\n")[1]
    assert len(fee["text"]) < 1000
    # Same keyboard shape: feedback, the other aspects (not this one), the whole guide.
    assert T.ASPECT_BUTTONS["fee"] not in buttons(fee)
    assert {T.ASPECT_BUTTONS["documents"], T.FULL_BUTTON, "👍 Hữu ích"} <= set(buttons(fee))
    # The button put the procedure back in the conversation, for follow-up questions.
    assert bot.user_data[citizen.chat_id][CONTEXT_KEY]["intent"] == "khai_sinh"

    await citizen.click(fee, T.FULL_BUTTON)
    whole = await citizen.last()
    for label in ("Giấy tờ cần chuẩn bị", "Nơi nộp", "Thời gian giải quyết", "Căn cứ pháp lý"):
        assert label in whole["text"]
    assert T.FULL_BUTTON not in buttons(whole) and T.ASPECT_BUTTONS["fee"] in buttons(whole)


async def test_forged_or_stale_part_buttons_get_a_polite_answer(
    citizen: Citizen, bot: TiepdanApp
) -> None:
    await citizen.send("/menu")
    menu = await citizen.last()
    for data in (
        "part:fee:khong_co_thu_tuc",  # no such answer
        "part:price:khai_sinh",  # no such aspect
        "part:fee:<b>x</b>",  # not an intent name
        "part:",
        "part:full:" + "a" * 80,
    ):
        await citizen.post("click", message_id=menu["message_id"], data=data, forged=True)
        reply = await citizen.last()
        assert reply["text"] == T.PART_UNKNOWN, data
        assert CONTEXT_KEY not in bot.user_data.get(citizen.chat_id, {})

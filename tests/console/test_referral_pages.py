"""The admin's intent pages list referrals to other bodies with their kind and edit them
like answers (issue 12 §3)."""

from __future__ import annotations

import httpx
import pytest

from bot.db import session_factory
from bot.faq.models import REFERRAL, FaqAnswer
from bot.faq.portable import seed_knowledge
from bot.faq.referrals import referral_html
from bot.settings import Settings
from bot.texts import referrals as K
from tests.console.conftest import csrf_token, login


@pytest.fixture
def seeded(console_settings: Settings) -> Settings:
    """The console's database seeded as at start (answers, referrals, topics, examples)."""
    with session_factory(console_settings.database_url)() as session, session.begin():
        seed_knowledge(session=session)
    return console_settings


async def test_the_list_labels_and_filters_referrals(
    client: httpx.AsyncClient, seeded: Settings
) -> None:
    await login(client, "quantri")
    everything = (await client.get("/admin/intents")).text
    assert "/admin/intents/ref_ly_hon" in everything and "/admin/intents/khai_sinh" in everything
    assert K.KIND_LABELS[REFERRAL] in everything
    referrals = (await client.get("/admin/intents", params={"kind": REFERRAL})).text
    assert "/admin/intents/ref_ly_hon" in referrals
    assert "/admin/intents/khai_sinh" not in referrals
    ours = (await client.get("/admin/intents", params={"kind": "procedure"})).text
    assert "/admin/intents/khai_sinh" in ours and "/admin/intents/ref_ly_hon" not in ours


async def test_an_admin_edits_a_referral_with_a_preview_of_the_reply(
    client: httpx.AsyncClient, seeded: Settings
) -> None:
    await login(client, "quantri")
    page = await client.get("/admin/intents/ref_ly_hon")
    assert page.status_code == 200
    assert K.KIND_HINT in page.text
    assert "Việc này do <b>Tòa án nhân dân khu vực</b> giải quyết" in page.text  # the preview
    token = await csrf_token(client, "/admin/intents/ref_ly_hon")
    with session_factory(seeded.database_url)() as session:
        row = session.get(FaqAnswer, "ref_ly_hon")
        assert row is not None
        sections = list(row.sections)
    data = {
        "csrftoken": token,
        "kind": REFERRAL,
        "title": "Ly hôn",
        "topic_id": "",
        "summary": "",
        "active": "1",
        "examples": "\n".join(
            ["ly hôn ở đâu", "đơn ly hôn nộp tòa nào", "ly di", "bỏ vợ", "chia tài sản ly hôn"]
        ),
        "save": "1",
    }
    for number, section in enumerate(sections, start=1):
        data[f"section-{number}-label"] = section["label"]
        data[f"section-{number}-text"] = section["text"]
    data["section-1-text"] = "Tòa án nhân dân khu vực (nơi cư trú)"
    saved = await client.post("/admin/intents/ref_ly_hon", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    with session_factory(seeded.database_url)() as session:
        row = session.get(FaqAnswer, "ref_ly_hon")
        assert row is not None and row.kind == REFERRAL and row.title == "Ly hôn"
        html = referral_html(session=session, intent="ref_ly_hon")
    assert html is not None and "<b>Tòa án nhân dân khu vực (nơi cư trú)</b>" in html
    # A referral put in a menu topic is refused, and nothing changes.
    refused = await client.post(
        "/admin/intents/ref_ly_hon", data={**data, "topic_id": "ho_tich", "title": "X"}
    )
    assert refused.status_code == 400 and K.REFERRAL_NO_TOPIC in refused.text
    with session_factory(seeded.database_url)() as session:
        assert session.get(FaqAnswer, "ref_ly_hon").title == "Ly hôn"  # type: ignore[union-attr]

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from bot.answering.service import Action, Decision
from bot.console.app import create_app
from bot.console.routes import review as review_routes
from bot.console.templating import make_templates
from bot.db import session_factory
from bot.faq.models import FaqExample
from bot.faq.trial import GateHold, Trial
from bot.messages.models import InboundMessage
from bot.messages.service import record_inbound
from bot.settings import Settings
from bot.texts import review as review_texts
from nlu.client import ParseResult
from tests.console.conftest import csrf_token, login
from tests.factories import parse_result
from tests.fake_nlu import fake_nlu
from tests.faq.knowledge import add_knowledge
from tests.training.factories import add_model

SCRIPT = "<script>alert(1)</script> làm khai sinh"


@pytest.fixture
def nlu_url() -> Iterator[str]:
    with fake_nlu({"làm giấy khai sinh": [("khai_sinh", 0.95), ("ket_hon", 0.02)]}) as url:
        yield url


@pytest.fixture
def settings(console_settings: Settings, nlu_url: str) -> Settings:
    """The console's settings with the fake NLU, the knowledge and a few questions."""
    with session_factory(console_settings.database_url)() as session, session.begin():
        add_knowledge(session)
        for text in (SCRIPT, "<SCRIPT>alert(1)</SCRIPT> lam khai sinh", "trợ cấp"):
            record_inbound(
                session=session,
                chat_id=9,
                text=text,
                action="fallback",
                parse=parse_result(("khai_sinh", 0.41), ("ket_hon", 0.3)),
            )
    return console_settings.model_copy(update={"rasa_url": nlu_url})


@pytest.fixture
async def admin(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await login(client, "quantri")
        yield client


def _messages(settings: Settings) -> list[InboundMessage]:
    with session_factory(settings.database_url)() as session:
        return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))


def _refs(settings: Settings) -> list[str]:
    return [f"m{m.id}" for m in _messages(settings)[:2]]


async def test_the_page_groups_alike_questions_and_escapes_them(
    admin: httpx.AsyncClient,
) -> None:
    page = await admin.get("/admin/unanswered")
    assert page.status_code == 200
    assert "<script>alert" not in page.text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; làm khai sinh" in page.text
    assert "2 lần" in page.text
    assert "Đăng ký khai sinh" in page.text and "41%" in page.text
    assert "trợ cấp" not in page.text  # named only a field
    assert page.text.count('name="item"') == 2


async def test_assigning_a_group_makes_citizen_examples(
    admin: httpx.AsyncClient, settings: Settings
) -> None:
    token = await csrf_token(admin, "/admin/unanswered")
    response = await admin.post(
        "/admin/unanswered/assign",
        data={"csrftoken": token, "intent": "khai_sinh", "item": _refs(settings)},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Đã gán 2 câu hỏi cho ý định “Đăng ký khai sinh”" in response.text
    with session_factory(settings.database_url)() as session:
        rows = session.scalars(select(FaqExample).where(FaqExample.source == "citizen")).all()
    assert sorted(r.text for r in rows) == sorted(
        [SCRIPT, "<SCRIPT>alert(1)</SCRIPT> lam khai sinh"]
    )
    assert [m.review_state for m in _messages(settings)] == ["assigned", "assigned", None]
    assert "Không còn câu hỏi nào" in response.text


async def test_one_question_of_a_group_and_dismissing(
    admin: httpx.AsyncClient, settings: Settings
) -> None:
    first, second = _refs(settings)
    token = await csrf_token(admin, "/admin/unanswered")
    response = await admin.post(
        "/admin/unanswered/assign",
        data={"csrftoken": token, "intent": "out_of_scope", "item": [first, second], "only": first},
    )
    assert response.status_code == 303
    response = await admin.post(
        "/admin/unanswered/dismiss", data={"csrftoken": token, "item": [second]}
    )
    assert response.status_code == 303
    assert [m.review_state for m in _messages(settings)] == ["assigned", "dismissed", None]


async def test_assigning_without_an_intent_says_so(
    admin: httpx.AsyncClient, settings: Settings
) -> None:
    token = await csrf_token(admin, "/admin/unanswered")
    response = await admin.post(
        "/admin/unanswered/assign",
        data={"csrftoken": token, "intent": "", "item": _refs(settings)},
    )
    assert response.status_code == 400
    assert "Vui lòng chọn ý định để gán." in response.text


async def test_try_shows_the_ranking_the_decision_and_the_exact_reply(
    admin: httpx.AsyncClient,
) -> None:
    token = await csrf_token(admin, "/admin/try")
    page = await admin.post("/admin/try", data={"csrftoken": token, "text": "Làm giấy khai sinh"})
    assert page.status_code == 200
    assert "95.0%" in page.text
    assert "Trả lời thủ tục" in page.text
    assert '<div class="tg-bubble"><b>ĐĂNG KÝ KHAI SINH</b>' in page.text
    assert "👍 Hữu ích" in page.text and "⬅️ Về danh mục chính" in page.text
    assert "Hiện không có mô hình mới nào chờ kích hoạt." in page.text


async def test_try_escapes_the_text_and_limits_its_length(admin: httpx.AsyncClient) -> None:
    page = await admin.get("/admin/try", params={"text": "<b>x</b><script>y</script>"})
    assert page.status_code == 200
    assert "<script>y" not in page.text
    assert "&lt;script&gt;y&lt;/script&gt;" in page.text
    too_long = await admin.get("/admin/try", params={"text": "x" * 501})
    assert too_long.status_code == 400
    assert "dài quá 500 ký tự" in too_long.text


async def test_try_says_politely_when_the_nlu_does_not_answer(
    console_settings: Settings,
) -> None:
    settings = console_settings.model_copy(update={"rasa_url": "http://127.0.0.1:9"})
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await login(client, "quantri")
        page = await client.get("/admin/try", params={"text": "alo"})
    assert page.status_code == 200
    assert "hiện không phản hồi" in page.text


async def test_the_candidate_column_is_polled_until_its_prediction_is_in(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_factory(settings.database_url)() as session, session.begin():
        add_model(session, "v1", "active", directory=tmp_path)
        add_model(session, "v2", "ready", directory=tmp_path)
    release = threading.Event()

    def predict(model: Path, text: str) -> ParseResult:
        release.wait(5)
        return parse_result(("ket_hon", 0.93), text=text)

    monkeypatch.setattr(review_routes, "rasa_predict", lambda _settings: predict)
    transport = httpx.ASGITransport(app=create_app(settings))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        await login(client, "quantri")
        page = await client.get("/admin/try", params={"text": "Làm giấy khai sinh"})
        assert "Phiên bản: v1" in page.text and "Phiên bản: v2" in page.text
        assert (
            'hx-get="/admin/try/candidate?text=L%C3%A0m%20gi%E1%BA%A5y%20khai%20sinh"' in page.text
        )
        release.set()
        for _ in range(100):
            column = await client.get("/admin/try/candidate", params={"text": "Làm giấy khai sinh"})
            if "hx-get" not in column.text:
                break
            await asyncio.sleep(0.02)
        assert "<b>ĐĂNG KÝ KẾT HÔN</b>" in column.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/admin/unanswered"),
        ("POST", "/admin/unanswered/assign"),
        ("POST", "/admin/unanswered/dismiss"),
        ("GET", "/admin/try"),
        ("POST", "/admin/try"),
        ("GET", "/admin/try/candidate?text=x"),
    ],
)
async def test_non_admins_get_403(
    settings: Settings, client: httpx.AsyncClient, method: str, path: str
) -> None:
    await login(client, "lanhdao.all")
    token = await csrf_token(client, "/password")
    data = {"csrftoken": token, "intent": "khai_sinh", "item": _refs(settings), "text": "x"}
    response = await client.request(method, path, data=data if method == "POST" else None)
    assert response.status_code == 403
    assert [m.review_state for m in _messages(settings)] == [None, None, None]


def test_the_try_column_says_when_the_answer_gate_held_an_answer_back() -> None:
    """The notice an admin sees beside the decision, with the gate's probability and its
    threshold as percentages (the column as the page renders it)."""
    decision = Decision("mượn loa phường", "khai_sinh", 0.7, Action.FALLBACK, "x")
    template = make_templates().env.get_template("admin/_try_column.html")

    def rendered(gated: GateHold | None) -> str:
        result = Trial([], decision, [], gated=gated)
        column = review_routes.Column("Mô hình đang dùng", None, result)
        return template.render(R=review_texts, column=column, text="mượn loa phường")

    html = rendered(GateHold(probability=0.377, threshold=0.5))
    assert "ước tính 38% khả năng đúng, dưới ngưỡng 50%" in html
    assert "bộ kiểm tra câu trả lời" not in rendered(None)

"""The case page and its action forms, through the real console app."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.cases.models import CannedReply, Case, CaseEvent
from bot.cases.status import CaseKind
from bot.db import session_factory
from bot.settings import Settings
from bot.texts import case_page as texts
from tests.console.conftest import csrf_token, login, make_client
from tests.factories_cases import add_case, case_draft

STALE = "Đơn vừa được người khác cập nhật. Vui lòng tải lại trang."
NewCase = Callable[..., str]


@pytest.fixture
def new_case(console_settings: Settings) -> NewCase:
    """Create a case through the service; returns its code."""

    def make(kind: CaseKind = CaseKind.PETITION, *, unit: str = "QH", **fields: str) -> str:
        with session_factory(console_settings.database_url)() as session, session.begin():
            return add_case(session, draft=case_draft(kind, unit=unit, **fields)).code

    return make


@pytest.fixture
async def as_user(console_settings: Settings) -> AsyncIterator[Callable[..., object]]:
    """Log in as someone on a fresh client (several people in one test)."""
    clients: list[httpx.AsyncClient] = []

    async def open_as(username: str) -> httpx.AsyncClient:
        client = make_client(console_settings)
        clients.append(client)
        await login(client, username)
        return client

    yield open_as
    for client in clients:
        await client.aclose()


def _case(settings: Settings, code: str) -> Case:
    with session_factory(settings.database_url)() as session:
        case = session.scalars(select(Case).where(Case.code == code)).one()
        session.expunge(case)
        return case


async def _post(client: httpx.AsyncClient, code: str, action: str, **data: str) -> httpx.Response:
    page = (await client.get(f"/cases/{code}")).text
    token = re.search(r'name="csrftoken" value="([^"]+)"', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert token
    form = {"csrftoken": token.group(1), **data}
    if version and "version" not in data:
        form["version"] = version.group(1)
    return await client.post(f"/cases/{code}/{action}", data=form, follow_redirects=False)


async def test_unknown_case_is_404_and_another_units_case_403(
    client: httpx.AsyncClient, new_case: NewCase
) -> None:
    code = new_case()
    await login(client, "canbo.cp")
    assert (await client.get("/cases/QH-9999-0001")).status_code == 404
    assert (await client.get(f"/cases/{code}")).status_code == 403


async def test_page_shows_the_fields_escaped(client: httpx.AsyncClient, new_case: NewCase) -> None:
    code = new_case(content="<script>alert(1)</script> đèn hỏng")
    await login(client, "canbo.qh")
    page = await client.get(f"/cases/{code}")
    assert page.status_code == 200
    html = page.text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; đèn hỏng" in html
    for label in (
        "Kiến nghị, phản ánh",
        "Mới tiếp nhận",
        "Nguyễn Thị Lan",
        "tổ 7, khu 2",
        "Nội dung",
    ):
        assert label in html
    assert texts.UNASSIGNED in html
    assert 'name="reply"' not in html  # an unassigned officer may not reply
    assert f'action="/cases/{code}/take"' in html


@pytest.mark.parametrize("username", ["canbo2.qh", "canbo.qh"])
async def test_denouncer_identity_is_masked_for_officers(
    client: httpx.AsyncClient, new_case: NewCase, username: str
) -> None:
    code = new_case(CaseKind.DENUNCIATION)
    await login(client, username)
    html = (await client.get(f"/cases/{code}")).text
    assert "Lê Văn Cường" not in html and "034099001122" not in html
    assert "được bảo mật" in html
    assert texts.REVEAL_BUTTON not in html
    token = await csrf_token(client, f"/cases/{code}")
    refused = await client.post(f"/cases/{code}/reveal", data={"csrftoken": token})
    assert refused.status_code == 403


async def test_leader_reveals_the_identity_once_and_it_is_logged(
    client: httpx.AsyncClient, new_case: NewCase, console_settings: Settings
) -> None:
    code = new_case(CaseKind.DENUNCIATION)
    await login(client, "lanhdao.qh")
    page = (await client.get(f"/cases/{code}")).text
    assert "Lê Văn Cường" not in page
    assert texts.REVEAL_BUTTON in page and "data-confirm" in page
    token = await csrf_token(client, f"/cases/{code}")
    shown = await client.post(f"/cases/{code}/reveal", data={"csrftoken": token})
    assert shown.status_code == 200
    assert "Lê Văn Cường" in shown.text and "034099001122" in shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert "Lê Văn Cường" not in (await client.get(f"/cases/{code}")).text  # not remembered
    with session_factory(console_settings.database_url)() as session:
        audit = session.scalars(select(AuditEntry).where(AuditEntry.target_id == code)).all()
        assert [(a.action, a.actor) for a in audit] == [("reveal_identity", "staff:lanhdao.qh")]
        kinds = session.scalars(select(CaseEvent.kind).join(Case).where(Case.code == code)).all()
        assert "identity_revealed" in kinds


async def test_take_then_reply_with_a_canned_text(
    client: httpx.AsyncClient, new_case: NewCase, console_settings: Settings
) -> None:
    code = new_case()
    with session_factory(console_settings.database_url)() as session, session.begin():
        session.add(CannedReply(title="Cảm ơn", text='Xin cảm ơn "ông/bà"', active=True))
    await login(client, "canbo.qh")
    taken = await _post(client, code, "take")
    assert taken.status_code == 303
    assert taken.headers["location"] == f"/cases/{code}?done=take"
    page = (await client.get(taken.headers["location"])).text
    assert texts.DONE["take"] in page
    assert 'data-canned-for="reply"' in page
    assert 'data-text="Xin cảm ơn &#34;ông/bà&#34;"' in page
    replied = await _post(client, code, "reply", reply="Chúng tôi đã nhận <b>đơn</b>.")
    assert replied.status_code == 303
    page = (await client.get(replied.headers["location"])).text
    assert "Chúng tôi đã nhận &lt;b&gt;đơn&lt;/b&gt;." in page
    assert texts.DELIVERY["queued"] in page


async def test_form_problems_rerender_with_the_typed_values(
    client: httpx.AsyncClient, new_case: NewCase
) -> None:
    code = new_case()
    await login(client, "lanhdao.qh")
    long_reply = "Trả lời dài " + "x" * 3500
    too_long = await _post(client, code, "reply", reply=long_reply)
    assert too_long.status_code == 400
    assert "quá dài" in too_long.text and long_reply in too_long.text
    empty = await _post(client, code, "note", note="   ")
    assert empty.status_code == 400 and "Vui lòng nhập ghi chú" in empty.text
    bad_days = await _post(client, code, "extend", days="mười", reason="Cần xác minh thêm")
    assert bad_days.status_code == 400
    assert "số ngày gia hạn" in bad_days.text and "Cần xác minh thêm" in bad_days.text
    refused = await _post(client, code, "status", status="not_accepted", note="Ghi chú của tôi")
    assert refused.status_code == 400
    assert "lý do không thụ lý" in refused.text and "Ghi chú của tôi" in refused.text
    not_extendable = await _post(client, code, "extend", days="5", reason="Vụ việc phức tạp")
    assert not_extendable.status_code == 400 and "Chỉ gia hạn được" in not_extendable.text


async def test_leader_actions_work(
    client: httpx.AsyncClient, new_case: NewCase, console_settings: Settings
) -> None:
    code, original = new_case(), new_case()
    await login(client, "lanhdao.qh")
    page = (await client.get(f"/cases/{code}")).text
    officer_id = re.search(r'<option value="(\d+)">canbo2.qh</option>', page)
    assert officer_id
    steps: list[tuple[str, dict[str, str]]] = [
        ("assign", {"assignee": officer_id.group(1)}),
        ("status", {"status": "accepted", "note": "Đã thụ lý"}),
        ("extend", {"days": "10", "reason": "Cần xác minh thêm tại hiện trường"}),
        ("note", {"note": "Nhớ gọi lại"}),
        ("split", {"kind": "phan_anh", "content": "Phần phản ánh về đèn đường"}),
    ]
    for action, data in steps:
        response = await _post(client, code, action, **data)
        assert response.status_code == 303, (
            action,
            re.findall(r"role=\"alert\"[^<]*<", response.text),
        )
        assert response.headers["location"].startswith(f"/cases/{code}?done={action}")
    split_page = await client.get(response.headers["location"])
    assert texts.DONE["split"] in split_page.text and texts.SPLIT_NEW in split_page.text
    duplicate = await _post(client, original, "duplicate", original_code=code.lower())
    assert duplicate.status_code == 303
    case = _case(console_settings, code)
    assert case.status == "accepted" and case.extensions == 1 and case.assigned_to_id
    html = (await client.get(f"/cases/{code}")).text
    assert "canbo2.qh" in html and "Nhớ gọi lại" in html
    assert texts.EVENT_LABELS["deadline_extended"] in html and "Đã thụ lý" in html
    assert f'href="/cases/{code}"' in (await client.get(f"/cases/{original}")).text


async def test_stale_version_is_409_and_keeps_the_text(
    client: httpx.AsyncClient, new_case: NewCase
) -> None:
    code = new_case()
    await login(client, "lanhdao.qh")
    response = await _post(
        client, code, "status", status="classified", note="Ghi chú đang soạn", version="0"
    )
    assert response.status_code == 409
    assert STALE in response.text and "Ghi chú đang soạn" in response.text


async def test_actions_need_a_csrf_token_and_the_right(
    client: httpx.AsyncClient, new_case: NewCase
) -> None:
    code = new_case()
    await login(client, "canbo.qh")
    page = (await client.get(f"/cases/{code}")).text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    missing = await client.post(f"/cases/{code}/take", data={"version": version.group(1)})
    assert missing.status_code == 403
    forbidden = await _post(client, code, "reply", reply="Tôi chưa được giao")
    assert forbidden.status_code == 403
    unknown = await _post(client, code, "explode")
    assert unknown.status_code == 404

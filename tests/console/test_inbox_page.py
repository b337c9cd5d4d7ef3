"""GET /cases: filters in the query string, notices for bad values, the 5 s refresh."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from bot.cases.clock import local_today
from bot.cases.models import Case
from bot.cases.status import CaseKind
from bot.db import session_factory
from bot.settings import Settings
from bot.staff.models import StaffUser
from tests.console.conftest import login, make_client
from tests.factories_cases import add_case, case_draft


def seed(settings: Settings, *drafts: tuple[CaseKind, str, dict[str, str]]) -> list[str]:
    """Cases of (kind, unit, fields); their codes."""
    with session_factory(settings.database_url)() as session, session.begin():
        return [
            add_case(session, draft=case_draft(kind, unit=unit, **fields)).code
            for kind, unit, fields in drafts
        ]


def change(settings: Settings, code: str, **values: object) -> None:
    with session_factory(settings.database_url)() as session, session.begin():
        case = session.scalars(select(Case).where(Case.code == code)).one()
        for name, value in values.items():
            setattr(case, name, value)


def staff_id(settings: Settings, username: str) -> int:
    with session_factory(settings.database_url)() as session:
        found = session.scalar(select(StaffUser.id).where(StaffUser.username == username))
        assert found is not None
        return found


async def test_the_inbox_needs_a_log_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/cases")
    assert response.status_code in (302, 303) and "/login" in response.headers["location"]


async def test_an_officer_sees_only_their_units_cases_with_filters_and_counts(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    mine, _complaint, theirs = seed(
        console_settings,
        (CaseKind.PETITION, "QH", {"content": "Đèn chiếu sáng hỏng"}),
        (CaseKind.COMPLAINT, "QH", {}),
        (CaseKind.PETITION, "CP", {"content": "Ngập nước"}),
    )
    await login(client, "canbo.qh")
    page = (await client.get("/cases")).text
    assert mine in page and theirs not in page
    assert "Mới tiếp nhận: 2" in page and "2 đơn" in page
    assert 'hx-trigger="every 5s"' in page and "partial=1" in page
    filtered = (await client.get("/cases", params={"kind": "khieu_nai"})).text
    assert mine not in filtered and "1 đơn" in filtered
    # Asking for another unit is refused politely and changes nothing.
    other = await client.get("/cases", params={"unit": "CP"})
    assert other.status_code == 200 and theirs not in other.text and "không hợp lệ" in other.text
    assert (await client.get(f"/cases/{theirs}")).status_code == 403


async def test_search_with_or_without_diacritics_and_by_code(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    lamp, flood = seed(
        console_settings,
        (CaseKind.PETITION, "QH", {"content": "Đèn chiếu sáng hỏng"}),
        (CaseKind.PETITION, "QH", {"content": "Ngập nước sau mưa"}),
    )
    await login(client, "lanhdao.all")
    for term in ("đèn chiếu", "den chieu", lamp.lower()):
        page = (await client.get("/cases", params={"q": term})).text
        assert lamp in page and flood not in page, term
    assert 'value="den chieu"' in (await client.get("/cases?q=den+chieu")).text


async def test_a_denouncers_identity_is_found_only_by_the_unit_leader(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    (code,) = seed(console_settings, (CaseKind.DENUNCIATION, "QH", {"name": "Phạm Thị Huệ"}))
    await login(client, "canbo.qh")
    page = (await client.get("/cases", params={"q": "pham thi hue"})).text
    assert code not in page and "Huệ" not in page
    assert "Huệ" not in (await client.get("/cases")).text
    async with make_client(console_settings) as leader:
        await login(leader, "lanhdao.qh")
        found = (await leader.get("/cases", params={"q": "Phạm Thị Huệ"})).text
        assert code in found and "Phạm Thị Huệ" not in found.split("<tbody")[1]


async def test_overdue_and_due_soon_rows_are_highlighted(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    late, soon = seed(
        console_settings, (CaseKind.PETITION, "QH", {}), (CaseKind.PETITION, "QH", {})
    )
    today = local_today()
    change(console_settings, late, due_on=today - timedelta(days=3))
    change(console_settings, soon, due_on=today)
    await login(client, "canbo.qh")
    page = (await client.get("/cases")).text
    assert page.count('class="overdue"') == 1 and page.count('class="due-soon"') == 1
    assert "badge overdue" in page and "badge due-soon" in page
    overdue = (await client.get("/cases", params={"due": "overdue"})).text
    assert late in overdue and soon not in overdue
    due_soon = (await client.get("/cases", params={"due": "soon"})).text
    assert soon in due_soon and late not in due_soon


async def test_assignee_status_dates_sort_and_pages(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    first, second = seed(
        console_settings, (CaseKind.PETITION, "QH", {}), (CaseKind.PETITION, "QH", {})
    )
    me = staff_id(console_settings, "canbo.qh")
    change(console_settings, first, assigned_to_id=me, status="in_progress")
    change(console_settings, second, status="closed")
    await login(client, "canbo.qh")

    async def codes(**params: str) -> list[str]:
        html = (await client.get("/cases", params=params)).text
        return [c for c in (first, second) if f">{c}</a>" in html]

    assert await codes() == [first]
    assert await codes(status="all") == [first, second]
    assert await codes(status="closed") == [second]
    assert await codes(assignee="me") == [first]
    assert await codes(assignee="none", status="all") == [second]
    assert await codes(assignee=str(me)) == [first]
    today = local_today()
    assert await codes(**{"from": today.strftime("%d/%m/%Y"), "status": "all"}) == [
        first,
        second,
    ]
    assert await codes(to=(today - timedelta(days=1)).isoformat(), status="all") == []
    assert await codes(sort="-received", status="all") == [first, second]
    assert "Trang 1/1" not in (await client.get("/cases")).text  # one page: no pager


async def test_pages_link_to_each_other_keeping_the_filters(
    client: httpx.AsyncClient, console_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cases import inbox

    monkeypatch.setattr(inbox, "PAGE_SIZE", 1)
    seed(console_settings, *[(CaseKind.PETITION, "QH", {})] * 3)
    await login(client, "canbo.qh")
    page = (await client.get("/cases", params={"kind": "phan_anh", "page": "2"})).text
    assert "Trang 2/3" in page
    assert 'href="/cases?kind=phan_anh&amp;page=3"' in page
    assert 'href="/cases?kind=phan_anh"' in page  # page 1 is the default


@pytest.mark.parametrize(
    ("params", "shown"),
    [
        ({"kind": "ca_phe"}, "ca_phe"),
        ({"status": "<b>x</b>"}, "&lt;b&gt;x&lt;/b&gt;"),
        ({"due": "tomorrow"}, "tomorrow"),
        ({"from": "31/02/2026"}, "31/02/2026"),
        ({"assignee": "99999"}, "99999"),
        ({"sort": "code"}, "code"),
        ({"page": "-1"}, "-1"),
        ({"page": "x" * 500}, "x" * 40),
    ],
)
async def test_a_bad_value_gets_a_polite_notice_and_is_ignored(
    client: httpx.AsyncClient, console_settings: Settings, params: dict[str, str], shown: str
) -> None:
    (code,) = seed(console_settings, (CaseKind.PETITION, "QH", {}))
    await login(client, "canbo.qh")
    response = await client.get("/cases", params=params)
    assert response.status_code == 200
    assert f"“{shown}”" in response.text and "đã được bỏ qua" in response.text
    assert code in response.text


async def test_a_reversed_date_range_is_ignored_with_a_notice(client: httpx.AsyncClient) -> None:
    await login(client, "canbo.qh")
    response = await client.get("/cases", params={"from": "2026-12-10", "to": "01/12/2026"})
    assert response.status_code == 200 and "khoảng ngày đã được bỏ qua" in response.text


async def test_the_partial_refresh_returns_the_rows_with_a_new_case(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    await login(client, "canbo.qh")
    before = (await client.get("/cases", params={"kind": "phan_anh", "partial": "1"})).text
    (code,) = seed(console_settings, (CaseKind.PETITION, "QH", {}))
    after = (await client.get("/cases", params={"kind": "phan_anh", "partial": "1"})).text
    assert code not in before and code in after
    assert "<html" not in after and 'id="inbox-results"' in after and "<form" not in after
    assert 'hx-get="/cases?kind=phan_anh&amp;partial=1"' in after


async def test_a_citizens_markup_is_shown_as_text(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    seed(console_settings, (CaseKind.PETITION, "QH", {"content": "<script>alert(1)</script>"}))
    await login(client, "canbo.qh")
    page = (await client.get("/cases")).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    searched = await client.get("/cases", params={"q": '"><script>alert(2)</script>'})
    assert "<script>alert(2)" not in searched.text

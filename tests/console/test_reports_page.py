"""The reports page and the downloads through the real console app."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, time
from urllib.parse import quote

import httpx
from openpyxl import load_workbook
from sqlalchemy import select

from bot.audit.models import AuditEntry
from bot.cases.clock import OFFICE_TZ, local_today
from bot.db import session_factory
from bot.settings import Settings
from bot.texts import reports as texts
from tests.console.conftest import login
from tests.reports.seed import DENOUNCER, Seeded, seed


def seeded(settings: Settings) -> Seeded:
    """The report seed moved to this month (the page's default period), from its 1st."""
    first = datetime.combine(local_today().replace(day=1), time(9), OFFICE_TZ)
    with session_factory(settings.database_url)() as session, session.begin():
        cases = seed(session, base=first.astimezone(UTC))
        session.expunge_all()
    return cases


def total_of(html: str) -> int:
    """The "total cases" figure of a rendered reports page."""
    found = re.search(r"Tổng số đơn</span><strong>(\d+)</strong>", html)
    assert found, "no total on the page"
    return int(found.group(1))


async def test_reports_need_a_login(client: httpx.AsyncClient) -> None:
    for path in ("/reports", "/reports/register.csv", "/reports/cases.xlsx"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


async def test_the_page_shows_figures_and_accessible_svg_charts(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    seeded(console_settings)
    await login(client, "canbo.qh")
    response = await client.get("/reports")
    assert response.status_code == 200
    html = response.text
    assert html.count("<svg") == 3  # kinds, statuses, ratings: one unit needs no unit chart
    assert '<title id="chart-kind-title">Số đơn theo loại</title>' in html
    assert 'aria-labelledby="chart-kind-title chart-kind-desc"' in html
    assert "style=" not in html and "<script>" not in html  # the CSP allows neither
    assert "Phường Cửa Ông" not in html  # an officer of QH picks no other unit
    assert total_of(html) == 5
    assert "/reports/register.xlsx?" in html and "status=all" in html


async def test_a_leader_of_all_units_filters_by_unit(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    seeded(console_settings)
    await login(client, "lanhdao.all")
    html = (await client.get("/reports")).text
    assert html.count("<svg") == 4 and "Số đơn theo đơn vị" in html
    assert total_of((await client.get("/reports?unit=CP")).text) == 1


async def test_a_unit_outside_ones_scope_is_dropped_with_a_notice(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    seeded(console_settings)
    await login(client, "canbo.cp")
    html = (await client.get("/reports?unit=QH")).text
    assert 'class="error"' in html
    assert total_of(html) == 1


async def test_the_register_downloads_as_csv_and_xlsx_masked_and_audited(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    seeded(console_settings)
    await login(client, "lanhdao.qh")
    response = await client.get("/reports/register.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="so-tiep-cong-dan')
    assert f"filename*=UTF-8''{quote('Sổ tiếp công dân')}" in disposition
    assert response.headers["cache-control"] == "no-store"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == texts.REGISTER_COLUMNS
    workbook = await client.get("/reports/register.xlsx")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert tuple(next(sheet.iter_rows(values_only=True))) == texts.REGISTER_COLUMNS
    for secret in DENOUNCER:
        assert secret.encode() not in response.content
        assert all(secret not in str(v) for row in sheet.iter_rows(values_only=True) for v in row)
    with session_factory(console_settings.database_url)() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export_register")
        ).all()
    assert [e.actor for e in entries] == ["staff:lanhdao.qh"] * 2
    assert {e.after["format"] for e in entries if e.after} == {"csv", "xlsx"}


async def test_the_case_list_uses_the_inbox_filters(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    cases = seeded(console_settings)
    await login(client, "lanhdao.all")
    response = await client.get("/reports/cases.csv?status=all&unit=QH&kind=khieu_nai")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [cases.complaint.code]
    assert (await client.get("/reports/cases.pdf")).status_code == 404

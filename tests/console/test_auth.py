"""Log-in, sessions, CSRF and lockout through the real console app."""

from __future__ import annotations

import httpx

from bot.db import session_factory
from bot.settings import Settings
from bot.staff.service import get_by_username
from tests.console.conftest import PASSWORD, csrf_token, login, make_client


async def test_pages_need_a_login(client: httpx.AsyncClient) -> None:
    response = await client.get("/cases?q=abc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/cases%3Fq%3Dabc"


async def test_login_sets_a_hardened_session_cookie_and_opens_the_inbox(
    client: httpx.AsyncClient,
) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={"username": "canbo.qh", "password": PASSWORD, "csrftoken": token, "next": "/cases"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = next(
        v for k, v in response.headers.multi_items() if k == "set-cookie" and "tiepdan_session" in v
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    page = await client.get("/cases")
    assert page.status_code == 200
    assert "Hộp thư đơn" in page.text
    assert page.headers["x-content-type-options"] == "nosniff"


async def test_wrong_password_is_refused_politely(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login", data={"username": "canbo.qh", "password": "sai-mat-khau-123", "csrftoken": token}
    )
    assert response.status_code == 401
    assert "không đúng" in response.text
    assert 'value="canbo.qh"' in response.text  # what was typed is kept


async def test_login_without_csrf_token_is_refused(client: httpx.AsyncClient) -> None:
    await csrf_token(client)
    response = await client.post("/login", data={"username": "canbo.qh", "password": PASSWORD})
    assert response.status_code == 403


async def test_repeated_failures_lock_the_account_even_for_the_right_password(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    token = await csrf_token(client)
    for _ in range(console_settings.console_login_max_failures):
        await client.post(
            "/login", data={"username": "canbo.cp", "password": "x" * 12, "csrftoken": token}
        )
    response = await client.post(
        "/login", data={"username": "canbo.cp", "password": PASSWORD, "csrftoken": token}
    )
    assert response.status_code == 403
    assert "tạm khoá" in response.text
    with session_factory(console_settings.database_url)() as session:
        user = get_by_username(session=session, username="canbo.cp")
        assert user is not None and user.locked_until is not None


async def test_logout_ends_the_session(client: httpx.AsyncClient) -> None:
    await login(client, "canbo.qh")
    token = await csrf_token(client, "/cases")
    response = await client.post("/logout", data={"csrftoken": token}, follow_redirects=False)
    assert response.status_code == 303
    assert (await client.get("/cases", follow_redirects=False)).status_code == 303


async def test_password_change_keeps_this_session_and_requires_the_current_password(
    client: httpx.AsyncClient, console_settings: Settings
) -> None:
    await login(client, "canbo.qh")
    token = await csrf_token(client, "/password")
    bad = await client.post(
        "/password",
        data={
            "current": "wrong-password",
            "new": "moi-mat-khau-42",
            "again": "moi-mat-khau-42",
            "csrftoken": token,
        },
    )
    assert bad.status_code == 400
    assert "không đúng" in bad.text
    ok = await client.post(
        "/password",
        data={
            "current": PASSWORD,
            "new": "moi-mat-khau-42",
            "again": "moi-mat-khau-42",
            "csrftoken": token,
        },
    )
    assert ok.status_code == 200
    assert (await client.get("/cases")).status_code == 200
    async with make_client(console_settings) as other:
        await login(other, "canbo.qh", "moi-mat-khau-42")


async def test_open_redirect_after_login_is_not_possible(client: httpx.AsyncClient) -> None:
    token = await csrf_token(client)
    response = await client.post(
        "/login",
        data={
            "username": "canbo.qh",
            "password": PASSWORD,
            "csrftoken": token,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/cases"

"""Hardening layers of the console: body size cap, security headers, CSRF on every POST."""

from __future__ import annotations

import httpx

from bot.settings import Settings
from tests.console.conftest import PASSWORD, csrf_token, login, make_client


async def test_an_oversized_body_is_refused_with_a_clear_message(
    console_settings: Settings,
) -> None:
    settings = console_settings.model_copy(update={"console_max_upload_mb": 1})
    async with make_client(settings) as client:
        await login(client, "canbo.qh")
        token = await csrf_token(client, "/cases")
        response = await client.post(
            "/password", data={"csrftoken": token, "current": "x" * (2 * 1024 * 1024)}
        )
    assert response.status_code == 413
    assert "quá lớn" in response.text


async def test_pages_carry_a_strict_content_security_policy(client: httpx.AsyncClient) -> None:
    response = await client.get("/login")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["x-frame-options"] == "DENY"


async def test_a_logged_in_post_without_the_csrf_token_is_refused(
    client: httpx.AsyncClient,
) -> None:
    await login(client, "canbo.qh")
    response = await client.post("/logout", data={})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.text
    assert (await client.get("/cases")).status_code == 200  # still logged in


async def test_static_assets_are_served_locally(client: httpx.AsyncClient) -> None:
    for asset in ("/static/console.css", "/static/htmx.min.js", "/static/console.js"):
        assert (await client.get(asset)).status_code == 200
    page = (await client.get("/login")).text
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


async def test_a_script_can_log_in_with_just_the_two_fixed_fields(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/login", data={"username": "canbo.qh", "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 303
    assert (await client.get("/cases")).status_code == 200


async def test_a_post_from_another_site_is_refused_even_for_login(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/login",
        data={"username": "canbo.qh", "password": PASSWORD},
        headers={"origin": "http://evil.example"},
    )
    assert response.status_code == 403
    same = await client.post(
        "/login",
        data={"username": "canbo.qh", "password": PASSWORD},
        headers={"origin": "http://127.0.0.1"},
        follow_redirects=False,
    )
    assert same.status_code == 303

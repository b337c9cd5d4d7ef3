"""The export and import buttons of the admin's intent list."""

from __future__ import annotations

import httpx

from bot.settings import Settings
from tests.console.conftest import csrf_token, login, make_client


async def test_an_admin_downloads_and_uploads_the_knowledge_zip(knowledge: Settings) -> None:
    async with make_client(knowledge) as client:
        await login(client, "quantri")
        page = await client.get("/admin/intents")
        assert 'href="/admin/knowledge/export"' in page.text
        download = await client.get("/admin/knowledge/export")
        assert download.status_code == 200
        assert download.headers["content-type"] == "application/zip"
        assert "attachment" in download.headers["content-disposition"]
        token = await csrf_token(client, "/admin/intents")
        upload = await client.post(
            "/admin/knowledge/import",
            data={"csrftoken": token, "overwrite": "1"},
            files={"file": ("kien-thuc.zip", download.content, "application/zip")},
            follow_redirects=False,
        )
        assert upload.status_code == 303
        assert upload.headers["location"] == "/admin/intents?done=imported"
        bad = await client.post(
            "/admin/knowledge/import",
            data={"csrftoken": token},
            files={"file": ("x.zip", b"not a zip", "application/zip")},
            follow_redirects=True,
        )
        assert "không phải tệp ZIP" in bad.text


async def test_others_get_403_on_export_and_import(client: httpx.AsyncClient) -> None:
    await login(client, "lanhdao.qh")
    assert (await client.get("/admin/knowledge/export")).status_code == 403
    token = await csrf_token(client, "/cases")
    response = await client.post(
        "/admin/knowledge/import",
        data={"csrftoken": token},
        files={"file": ("x.zip", b"PK", "application/zip")},
    )
    assert response.status_code == 403


async def test_an_upload_without_the_csrf_token_is_refused(knowledge: Settings) -> None:
    async with make_client(knowledge) as client:
        await login(client, "quantri")
        await csrf_token(client, "/admin/intents")
        response = await client.post(
            "/admin/knowledge/import",
            data={"csrftoken": "forged"},
            files={"file": ("x.zip", b"PK", "application/zip")},
        )
        assert response.status_code == 403
        other = await client.post(
            "/cases/QH-2612-0001/reply",
            data={"reply": "x"},
            files={"file": ("x.txt", b"x", "text/plain")},
        )
        assert other.status_code == 403  # multipart elsewhere is still checked by asgi-csrf

"""Downloading and previewing a case's files: headers, types, permission."""

from __future__ import annotations

from urllib.parse import quote

import httpx
import pytest

from bot.cases.files import store
from bot.cases.models import Attachment
from bot.cases.status import CaseKind
from bot.console.routes.attachments import content_disposition, download_name
from bot.db import session_factory
from bot.settings import Settings
from tests.console.conftest import login, make_client
from tests.factories_cases import add_case, case_draft

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 64
PDF = b"%PDF-1.4\n<script>alert(1)</script>"


@pytest.fixture
def files(console_settings: Settings) -> dict[str, object]:
    """A QH case with a picture and a PDF of odd names, and the ids of both."""
    with session_factory(console_settings.database_url)() as session, session.begin():
        case = add_case(session, draft=case_draft(CaseKind.PETITION))
        ids = {}
        for key, data, mime, name in (
            ("image", JPEG, "image/jpeg", "ảnh hiện trường.jpg"),
            ("pdf", PDF, "application/pdf", 'biên "bản"\r\nX-Evil: 1;.pdf'),
        ):
            item = store(
                var_dir=console_settings.var_dir,
                data=data,
                mime_type=mime,
                original_name=name,
                source="document",
            )
            row = Attachment(case_id=case.id, **item.__dict__)
            session.add(row)
            session.flush()
            ids[key] = row.id
        return {"code": case.code, **ids}


async def test_download_is_an_attachment_with_a_safe_name(
    client: httpx.AsyncClient, files: dict[str, object]
) -> None:
    await login(client, "canbo.qh")
    code = files["code"]
    page = (await client.get(f"/cases/{code}")).text
    assert f"/cases/{code}/files/{files['pdf']}" in page and "ảnh hiện trường.jpg" in page
    response = await client.get(f"/cases/{code}/files/{files['pdf']}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-type"] == "application/octet-stream"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''" in disposition
    assert "\r" not in disposition and "\n" not in disposition
    assert "X-Evil" not in response.headers


async def test_only_images_preview_inline_with_their_type(
    client: httpx.AsyncClient, files: dict[str, object]
) -> None:
    await login(client, "canbo.qh")
    code = files["code"]
    image = await client.get(f"/cases/{code}/files/{files['image']}?inline=1")
    assert image.headers["content-type"] == "image/jpeg"
    assert image.headers["content-disposition"].startswith("inline; ")
    assert image.content == JPEG
    pdf = await client.get(f"/cases/{code}/files/{files['pdf']}?inline=1")
    assert pdf.headers["content-type"] == "application/octet-stream"
    assert pdf.headers["content-disposition"].startswith("attachment; ")


async def test_files_follow_the_case_permission(
    client: httpx.AsyncClient, files: dict[str, object], console_settings: Settings
) -> None:
    await login(client, "canbo.cp")
    code = files["code"]
    assert (await client.get(f"/cases/{code}/files/{files['image']}")).status_code == 403
    await client.aclose()
    with session_factory(console_settings.database_url)() as session, session.begin():
        other = add_case(session).code
    async with make_client(console_settings) as officer:
        await login(officer, "canbo.qh")
        # An attachment id of another case is not found through this one.
        assert (await officer.get(f"/cases/{other}/files/{files['image']}")).status_code == 404
        assert (await officer.get(f"/cases/{code}/files/999999")).status_code == 404


async def test_logged_out_download_goes_to_login(
    client: httpx.AsyncClient, files: dict[str, object]
) -> None:
    response = await client.get(f"/cases/{files['code']}/files/{files['image']}")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_download_name_keeps_vietnamese_and_drops_the_rest() -> None:
    assert download_name("ảnh 1", 5, "image/jpeg") == "ảnh 1.jpg"
    assert download_name("../../etc/passwd", 5, "application/pdf") == "etc passwd.pdf"
    assert download_name(" \x00 ", 7, "image/png") == "tep-7.png"
    header = content_disposition("attachment", "biên bản.pdf")
    assert header == (
        f"attachment; filename=\"bien ban.pdf\"; filename*=UTF-8''{quote('biên bản.pdf')}"
    )

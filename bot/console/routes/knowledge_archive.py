"""The export and import buttons of the intent list: everything the bot knows as a ZIP."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.cases.clock import local, utcnow
from bot.console.auth import roles_required
from bot.console.csrf import checked_upload_form
from bot.console.deps import actor_of, run_db
from bot.faq.archive import ArchiveInvalid, export_archive, import_archive
from bot.staff.roles import Role


@roles_required(Role.ADMIN)
async def export_zip(request: Request) -> Response:
    """GET /admin/knowledge/export: download the ZIP."""
    actor = actor_of(request)
    data = await run_db(request, lambda s: export_archive(session=s, actor=actor))
    name = f"tiepdan-knowledge-{local(utcnow()):%Y%m%d-%H%M}.zip"
    return Response(
        data,
        media_type="application/zip",
        headers={
            "content-disposition": f"attachment; filename={quote(name)}",
            "cache-control": "no-store",
        },
    )


@roles_required(Role.ADMIN)
async def import_zip(request: Request) -> Response:
    """POST /admin/knowledge/import (multipart: file, overwrite): load an uploaded ZIP."""
    actor = actor_of(request)
    form = await checked_upload_form(request)
    try:
        upload = form.get("file")
        overwrite = form.get("overwrite") == "1"
        data = await upload.read() if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()
    if not data:
        return RedirectResponse("/admin/intents?archive_error=missing", status_code=303)
    try:
        await run_db(
            request,
            lambda s: import_archive(session=s, actor=actor, data=data, overwrite=overwrite),
        )
    except ArchiveInvalid as problem:
        return RedirectResponse(f"/admin/intents?archive_error={problem.code}", status_code=303)
    return RedirectResponse("/admin/intents?done=imported", status_code=303)


routes = [
    Route("/admin/knowledge/export", export_zip, methods=["GET"]),
    Route("/admin/knowledge/import", import_zip, methods=["POST"]),
]

"""A case's files: downloaded as attachments, pictures also previewed inline.

The same permission as the case page; the bytes come from var/attachments/<sha256>.
A download is always `attachment` with nosniff; only a stored image type is ever served
inline, with that type, so a file can never run as a page of the console.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot.cases.case_view import case_by_code
from bot.cases.files import ALLOWED_TYPES, attachments_dir
from bot.cases.models import Attachment
from bot.console.auth import login_required
from bot.console.deps import actor_of, run_db, settings_of
from bot.staff.permissions import Action, require

SHA256 = re.compile(r"^[0-9a-f]{64}$")
INLINE_TYPES = frozenset(t for t in ALLOWED_TYPES if t.startswith("image/"))


def download_name(name: str | None, attachment_id: int, mime_type: str) -> str:
    """A file name safe to put in a header: no path, no control characters, not empty."""
    cleaned = "".join(
        " " if unicodedata.category(ch).startswith("C") or ch in '/\\"' else ch
        for ch in (name or "")
    )
    cleaned = cleaned.strip(" .")[:150]
    if not cleaned:
        cleaned = f"tep-{attachment_id}"
    ext = ALLOWED_TYPES.get(mime_type)
    if ext and not cleaned.lower().endswith(f".{ext}"):
        cleaned = f"{cleaned}.{ext}"
    return cleaned


def content_disposition(disposition: str, name: str) -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''…` (RFC 6266 / 5987)."""
    ascii_name = (
        unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().replace("%", "")
    ) or "tep"
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


@login_required
async def attachment_file(request: Request) -> Response:
    """GET /cases/<CODE>/files/<id>[?inline=1]."""
    actor = actor_of(request)
    code = str(request.path_params["code"]).upper()[:20]
    attachment_id = int(request.path_params["attachment_id"])

    def load(session: Session) -> tuple[str, str, str | None]:
        case = case_by_code(session=session, code=code)
        require(actor, Action.VIEW, case)
        item = session.get(Attachment, attachment_id)
        if item is None or item.case_id != case.id:
            raise HTTPException(404)
        return item.sha256, item.mime_type, item.original_name

    sha256, mime_type, original_name = await run_db(request, load)
    path = attachments_dir(settings_of(request).var_dir) / sha256
    if not SHA256.match(sha256) or not path.is_file():
        raise HTTPException(404)
    inline = request.query_params.get("inline") == "1" and mime_type in INLINE_TYPES
    name = download_name(original_name, attachment_id, mime_type)
    return FileResponse(
        path,
        media_type=mime_type if inline else "application/octet-stream",
        headers={
            "content-disposition": content_disposition("inline" if inline else "attachment", name),
            "x-content-type-options": "nosniff",
            "cache-control": "private, no-store",
        },
    )


routes = [
    Route("/cases/{code}/files/{attachment_id:int}", attachment_file, methods=["GET"]),
]

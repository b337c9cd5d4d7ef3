"""CSRF for the console: asgi-csrf checks every form post; file uploads are checked here.

asgi-csrf reads multipart bodies with an API python-multipart no longer has, so for the
few upload routes the middleware steps aside (`skip_upload`) and the view reads the form
with `checked_upload_form`, which applies the same double-submit rule: the form's
`csrftoken` must equal the signed `csrftoken` cookie.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.staff.permissions import Action, Forbidden
from bot.texts import console as texts

COOKIE = "csrftoken"
NAMESPACE = "csrftoken"  # asgi-csrf's signing namespace
UPLOAD_PATHS = frozenset({"/admin/knowledge/import"})


def skip_upload(scope: Scope) -> bool:
    """True for a multipart post to an upload route (its view checks the token)."""
    headers = dict(scope.get("headers", []))
    multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
    return multipart and scope.get("path") in UPLOAD_PATHS


async def checked_upload_form(request: Request) -> FormData:
    """The posted multipart form, after the double-submit CSRF check (403 when it fails)."""
    form = await request.form()
    cookie = request.cookies.get(COOKIE, "")
    token = form.get(COOKIE)
    secret: str = request.app.state.csrf_secret
    try:
        URLSafeSerializer(secret).loads(cookie, salt=NAMESPACE)
    except BadSignature as exc:
        await form.close()
        raise Forbidden(Action.VIEW) from exc
    if not isinstance(token, str) or not secrets.compare_digest(token, cookie):
        await form.close()
        raise Forbidden(Action.VIEW)
    return form


class UploadGuard:
    """Refuse a multipart post outside the upload routes (403), before asgi-csrf would try
    to read it with the python-multipart API it expects and fail."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            headers = dict(scope.get("headers", []))
            multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
            if multipart and scope.get("path") not in UPLOAD_PATHS:
                response = PlainTextResponse(texts.CSRF_FAILED, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

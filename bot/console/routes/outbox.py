"""The admin's view of undelivered messages, with a "send again" button for each."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import roles_required
from bot.console.deps import run_db, settings_of
from bot.console.templating import render
from bot.outbox import service as outbox
from bot.staff.roles import Role
from bot.texts import outbox as texts


@roles_required(Role.ADMIN)
async def outbox_page(request: Request) -> Response:
    """GET /admin/outbox: failed messages and messages waiting after an error."""
    rows = await run_db(request, lambda s: outbox.troubled(session=s))
    notice = None
    if (done := request.query_params.get("retried", "")).isascii() and done.isdecimal():
        notice = texts.RETRIED.format(id=int(done))
    elif (missed := request.query_params.get("missed", "")).isascii() and missed.isdecimal():
        notice = texts.NOT_RETRIED.format(id=int(missed))
    intro = texts.INTRO.format(hours=f"{settings_of(request).outbox_retry_hours:g}")
    context = {"P": texts, "rows": rows, "notice": notice, "intro": intro}
    return render(request, "admin/outbox.html", context)


@roles_required(Role.ADMIN)
async def outbox_retry(request: Request) -> Response:
    """POST /admin/outbox/<id>/retry: queue the message again, due now."""
    message_id = int(request.path_params["message_id"])
    retried = await run_db(request, lambda s: outbox.retry(session=s, message_id=message_id))
    key = "retried" if retried else "missed"
    return RedirectResponse(f"/admin/outbox?{key}={message_id}", status_code=303)


routes = [
    Route("/admin/outbox", outbox_page, methods=["GET"]),
    Route("/admin/outbox/{message_id:int}/retry", outbox_retry, methods=["POST"]),
]

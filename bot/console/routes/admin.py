"""The admin's pages about cases: the canned replies staff insert into their answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.cases.canned import all_canned, save_canned
from bot.cases.locking import WorkflowError
from bot.cases.models import CannedReply
from bot.cases.status import CaseKind, CaseStatus
from bot.console import case_forms as forms
from bot.console.auth import roles_required
from bot.console.deps import actor_of, run_db
from bot.console.templating import render
from bot.staff.roles import Role
from bot.texts import case_page as texts

KINDS = [k.value for k in CaseKind]
STATUSES = [s.value for s in CaseStatus]
NOTICES = {"saved": texts.CANNED_SAVED, "deactivated": texts.CANNED_DEACTIVATED}


def _values(row: CannedReply) -> dict[str, str]:
    return {
        "canned_id": str(row.id),
        "title": row.title,
        "text": row.text,
        "kind": row.kind or "",
        "status": row.status or "",
        "active": "1" if row.active else "",
    }


async def _page(
    request: Request, *, values: dict[str, str] | None = None, error: str | None = None
) -> Response:
    rows = await run_db(request, lambda s: [_values(r) for r in all_canned(session=s)])
    edit = request.query_params.get("edit", "")
    if values is None:
        values = next((r for r in rows if r["canned_id"] == edit), {"active": "1"})
    context: dict[str, Any] = {
        "P": texts,
        "rows": rows,
        "values": values,
        "error": error,
        "kinds": KINDS,
        "statuses": STATUSES,
        "notice": None if error else NOTICES.get(request.query_params.get("done", "")),
    }
    return render(request, "admin/canned.html", context, 400 if error else 200)


@roles_required(Role.ADMIN)
async def canned_page(request: Request) -> Response:
    """GET /admin/canned[?edit=<id>]: the list and the add / edit form."""
    return await _page(request)


@roles_required(Role.ADMIN)
async def canned_save(request: Request) -> Response:
    """POST /admin/canned: add (no canned_id) or update a reply."""
    actor = actor_of(request)
    values = await forms.read_form(request)
    try:
        raw_id = values.get("canned_id", "")
        canned_id = forms.number(values, "canned_id") if raw_id else None
        title = forms.required_text(values, "title")
        body = forms.required_text(values, "text")
        kind = forms.choice(values, "kind", KINDS, required=False)
        status = forms.choice(values, "status", STATUSES, required=False)
    except forms.FormProblem as problem:
        return await _page(request, values=values, error=problem.message)

    def work(session: Session) -> None:
        save_canned(
            session=session,
            actor=actor,
            canned_id=canned_id,
            title=title,
            text=body,
            kind=kind,
            status=status,
            active=forms.checkbox(values, "active"),
        )

    try:
        await run_db(request, work)
    except WorkflowError as refusal:
        return await _page(request, values=values, error=refusal.message)
    return RedirectResponse("/admin/canned?done=saved", status_code=303)


@roles_required(Role.ADMIN)
async def canned_deactivate(request: Request) -> Response:
    """POST /admin/canned/<id>/deactivate: keep the reply, stop offering it."""
    actor = actor_of(request)
    canned_id = int(request.path_params["canned_id"])

    def work(session: Session) -> None:
        row = session.get(CannedReply, canned_id)
        if row is None:
            raise WorkflowError("canned_not_found")
        save_canned(
            session=session,
            actor=actor,
            canned_id=row.id,
            title=row.title,
            text=row.text,
            kind=row.kind,
            status=row.status,
            active=False,
        )

    try:
        await run_db(request, work)
    except WorkflowError as refusal:
        return await _page(request, error=refusal.message)
    return RedirectResponse("/admin/canned?done=deactivated", status_code=303)


routes = [
    Route("/admin/canned", canned_page, methods=["GET"]),
    Route("/admin/canned", canned_save, methods=["POST"]),
    Route("/admin/canned/{canned_id:int}/deactivate", canned_deactivate, methods=["POST"]),
]

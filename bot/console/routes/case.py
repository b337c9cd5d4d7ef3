"""One case: its page, and the actions on it (each POST → service → 303 back to the page).

A refused or invalid action re-renders the page with the message next to its form and
what the person typed kept (400; 409 when someone else changed the case meanwhile).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.cases.case_view import CaseView, case_by_code, case_view
from bot.cases.models import Case
from bot.cases.status import CaseKind, CaseStatus
from bot.cases.workflow import (
    StaleCase,
    WorkflowError,
    add_internal_note,
    assign_case,
    change_case_status,
    extend_deadline,
    mark_duplicate,
    reply_to_citizen,
    reveal_identity,
    split_case,
    take_case,
)
from bot.console import case_forms as forms
from bot.console.auth import login_required
from bot.console.deps import actor_of, client_ip, run_db
from bot.console.routes import admin, attachments
from bot.console.templating import render
from bot.texts import case_page as texts
from bot.texts.cases import FIELD_LABELS

CODE_PATTERN = re.compile(r"^[A-Z0-9-]{1,20}$")
KINDS = [k.value for k in CaseKind]
STATUSES = [s.value for s in CaseStatus]


def _code(request: Request) -> str:
    return str(request.path_params["code"]).upper()[:20]


async def _page(
    request: Request,
    code: str,
    *,
    status_code: int = 200,
    revealed: bool = False,
    form: str | None = None,
    error: str | None = None,
    values: forms.Form | None = None,
    view: CaseView | None = None,
) -> Response:
    """Render the case page (with one form's error and typed values, if any)."""
    if view is None:
        actor = actor_of(request)
        view = await run_db(
            request, lambda s: case_view(session=s, actor=actor, code=code, revealed=revealed)
        )
    done = request.query_params.get("done", "")
    new_code = request.query_params.get("new", "")
    context: dict[str, Any] = {
        "case": view,
        "P": texts,
        "FIELD_LABELS": FIELD_LABELS,
        "notice": texts.DONE.get(done) if not error else None,
        "new_code": new_code if CODE_PATTERN.match(new_code) and done == "split" else None,
        "revealed": not view.identity.masked and view.confidential,
        "form": form,
        "error": error,
        "values": values or {},
    }
    response = render(request, "cases/detail.html", context, status_code)
    response.headers["cache-control"] = "no-store"
    return response


@login_required
async def case_page(request: Request) -> Response:
    """/cases/<CODE>: 404 when there is no such case, 403 when the person may not see it."""
    return await _page(request, _code(request))


@login_required
async def reveal(request: Request) -> Response:
    """POST /cases/<CODE>/reveal: log the reveal and show the identity in this response only."""
    actor, code, ip = actor_of(request), _code(request), client_ip(request)

    def work(session: Session) -> CaseView:
        case = case_by_code(session=session, code=code)
        reveal_identity(session=session, actor=actor, case_id=case.id, ip=ip)
        return case_view(session=session, actor=actor, code=code, revealed=True)

    return await _page(request, code, view=await run_db(request, work))


def _assign(form: forms.Form) -> dict[str, Any]:
    return {"assignee_id": forms.number(form, "assignee")}


def _status(form: forms.Form) -> dict[str, Any]:
    kind = forms.choice(form, "kind", KINDS, required=False)
    return {
        "status": CaseStatus(forms.required_choice(form, "status", STATUSES)),
        "note": forms.text(form, "note", required=False),
        "reason": forms.text(form, "reason", required=False),
        "routed_to": forms.text(form, "routed_to", required=False),
        "kind": CaseKind(kind) if kind else None,
    }


def _extend(form: forms.Form) -> dict[str, Any]:
    return {
        "days": forms.number(form, "days"),
        "reason": forms.required_text(form, "reason"),
        "very_complex": forms.checkbox(form, "very_complex"),
    }


def _split(form: forms.Form) -> dict[str, Any]:
    return {
        "kind": CaseKind(forms.required_choice(form, "kind", KINDS)),
        "content": forms.required_text(form, "content"),
    }


@dataclass(frozen=True)
class CaseAction:
    """A form on the case page: how its fields become the service's keyword arguments."""

    service: Callable[..., object]  # called as service(session=, actor=, case_id=, **args)
    parse: Callable[[forms.Form], dict[str, Any]]  # raises FormProblem
    versioned: bool = True  # the service takes the form's expected_version
    opens_case: bool = False  # the service returns a new case to link to


ACTIONS = {
    "take": CaseAction(take_case, lambda _form: {}),
    "assign": CaseAction(assign_case, _assign),
    "status": CaseAction(change_case_status, _status),
    "extend": CaseAction(extend_deadline, _extend),
    "note": CaseAction(
        add_internal_note, lambda f: {"text": forms.required_text(f, "note")}, versioned=False
    ),
    "reply": CaseAction(
        reply_to_citizen, lambda f: {"text": forms.required_text(f, "reply")}, versioned=False
    ),
    "duplicate": CaseAction(
        mark_duplicate, lambda f: {"original_code": forms.required_text(f, "original_code")}
    ),
    "split": CaseAction(split_case, _split, opens_case=True),
}


@login_required
async def act(request: Request) -> Response:
    """POST /cases/<CODE>/<action>: read the form, run the service, go back to the page."""
    name = str(request.path_params["action"])
    if name not in ACTIONS:
        raise HTTPException(404)
    actor, code = actor_of(request), _code(request)
    values = await forms.read_form(request)

    async def again(status_code: int, error: str) -> Response:
        return await _page(
            request, code, status_code=status_code, form=name, error=error, values=values
        )

    action = ACTIONS[name]
    try:
        args = action.parse(values)
        if action.versioned:
            args["expected_version"] = forms.version(values)
    except forms.FormProblem as problem:
        return await again(400, problem.message)

    def work(session: Session) -> str | None:
        case = case_by_code(session=session, code=code)
        result = action.service(session=session, actor=actor, case_id=case.id, **args)
        return result.code if action.opens_case and isinstance(result, Case) else None

    try:
        new_code = await run_db(request, work)
    except StaleCase:
        return await again(409, texts.STALE)
    except WorkflowError as refusal:
        return await again(400, refusal.message)
    target = f"/cases/{code}?done={name}" + (f"&new={new_code}" if new_code else "")
    return RedirectResponse(target, status_code=303)


routes = [
    Route("/cases/{code}", case_page, methods=["GET"]),
    Route("/cases/{code}/reveal", reveal, methods=["POST"]),
    Route("/cases/{code}/{action}", act, methods=["POST"]),
    *attachments.routes,
    *admin.routes,
]

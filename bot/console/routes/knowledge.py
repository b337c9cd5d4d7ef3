"""The admin's intent pages: the list, the editor with its Telegram preview, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.admin_forms import by_field, found
from bot.console.auth import roles_required
from bot.console.case_forms import read_form
from bot.console.deps import actor_of, run_db
from bot.console.intent_forms import (
    FIELDS,
    EditorValues,
    intent_form,
    posted_values,
    values_of,
)
from bot.console.routes import knowledge_archive
from bot.console.telegram_preview import telegram_preview
from bot.console.templating import render
from bot.faq.intents import (
    IntentForm,
    IntentInvalid,
    NeedsConfirmation,
    Problem,
    delete_intent,
    list_intents,
    load_intent,
    new_intent_form,
    preview_html,
    save_intent,
    validate_intent,
)
from bot.faq.topics import list_topics
from bot.staff.roles import Role
from bot.texts import admin_pages as texts
from bot.texts import referrals as kinds

SEARCH_LIMIT = 100


def _topics(session: Session) -> list[tuple[str, str]]:
    return [(t.id, t.title) for t in list_topics(session=session)]


@roles_required(Role.ADMIN)
async def intents_page(request: Request) -> Response:
    """GET /admin/intents[?q=&topic=]: every intent with its figures, filtered."""
    q = request.query_params.get("q", "").strip()[:SEARCH_LIMIT]
    topic = request.query_params.get("topic", "").strip() or None
    kind = request.query_params.get("kind", "").strip()
    kind = kind if kind in kinds.KIND_LABELS else ""

    def work(session: Session) -> dict[str, Any]:
        return {
            "rows": list_intents(session=session, q=q, topic=topic, kind=kind or None),
            "topics": _topics(session),
        }

    context = await run_db(request, work)
    notice = texts.INTENT_NOTICES.get(request.query_params.get("done", ""))
    archive_error = texts.ARCHIVE_ERRORS.get(request.query_params.get("archive_error", ""))
    context.update(P=texts, K=kinds, q=q, topic=topic or "", kind=kind, notice=notice)
    context.update(archive_error=archive_error)
    return render(request, "admin/intents.html", context)


def _stored(session: Session, intent: str) -> IntentForm:
    """The stored intent; a 404 page when there is none."""
    return found(lambda: load_intent(session=session, intent=intent))


def _editor_context(
    session: Session, values: EditorValues, form: IntentForm, problems: list[Problem]
) -> dict[str, Any]:
    """Everything the editor shows besides the typed values: preview, problems, topics."""
    fields, others = by_field(problems, FIELDS)
    return {
        "values": values,
        "problems": fields,
        "other_problems": others,
        "topics": _topics(session),
        "preview": telegram_preview(preview_html(session=session, form=form)),
    }


async def _editor(
    request: Request,
    values: EditorValues,
    *,
    creating: bool,
    problems: list[Problem] | None = None,
    status_code: int = 200,
) -> Response:
    form, reading = intent_form(values)
    check = problems is None

    def work(session: Session) -> dict[str, Any]:
        shown = [*reading, *(problems or [])]
        if check:
            shown += validate_intent(session=session, form=form, creating=creating)
        return _editor_context(session, values, form, shown)

    context = await run_db(request, work)
    notice = texts.INTENT_NOTICES.get(request.query_params.get("done", ""))
    title = (
        texts.INTENT_NEW_TITLE if creating else texts.INTENT_EDIT_TITLE.format(title=values.title)
    )
    context.update(P=texts, K=kinds, creating=creating, notice=notice, page_title=title)
    return render(request, "admin/intent_edit.html", context, status_code)


@roles_required(Role.ADMIN)
async def intent_page(request: Request) -> Response:
    """GET /admin/intents/<intent>: the editor with the stored values and their preview."""
    intent = request.path_params["intent"]

    stored = await run_db(request, lambda s: _stored(s, intent))
    return await _editor(request, values_of(stored), creating=False, problems=[])


@roles_required(Role.ADMIN)
async def new_intent_page(request: Request) -> Response:
    """GET /admin/intents/new: an empty editor."""
    return await _editor(request, values_of(new_intent_form()), creating=True, problems=[])


async def _submit(request: Request, *, intent: str | None) -> Response:
    """Preview the typed values, or save them (then go back to the editor)."""
    creating = intent is None
    if not creating:
        await run_db(request, lambda s: _stored(s, str(intent)))
    posted = await read_form(request)
    values = posted_values(posted, intent=intent)
    if "save" not in posted:
        return await _editor(request, values, creating=creating)
    form, problems = intent_form(values)
    if not problems:
        actor = actor_of(request)
        try:
            await run_db(
                request,
                lambda s: save_intent(session=s, actor=actor, form=form, creating=creating),
            )
        except IntentInvalid as invalid:
            problems = list(invalid.problems)
        else:
            done = "created" if creating else "saved"
            return RedirectResponse(f"/admin/intents/{form.intent}?done={done}", status_code=303)
    return await _editor(request, values, creating=creating, problems=problems, status_code=400)


@roles_required(Role.ADMIN)
async def intent_submit(request: Request) -> Response:
    """POST /admin/intents/<intent>: `preview` re-renders with the typed values; `save` saves."""
    return await _submit(request, intent=request.path_params["intent"])


@roles_required(Role.ADMIN)
async def new_intent_submit(request: Request) -> Response:
    """POST /admin/intents/new: preview or create."""
    return await _submit(request, intent=None)


@roles_required(Role.ADMIN)
async def intent_delete(request: Request) -> Response:
    """POST /admin/intents/<intent>/delete: delete, asking again when it is still in use."""
    intent = request.path_params["intent"]
    actor = actor_of(request)
    confirmed = (await read_form(request)).get("confirmed") == "1"

    def work(session: Session) -> None:
        found(
            lambda: delete_intent(session=session, actor=actor, intent=intent, confirmed=confirmed)
        )

    try:
        await run_db(request, work)
    except NeedsConfirmation as needed:
        title = await run_db(request, lambda s: _stored(s, intent).title)
        context = {"P": texts, "intent": intent, "title": title, "references": needed.references}
        return render(request, "admin/intent_delete.html", context)
    return RedirectResponse("/admin/intents?done=deleted", status_code=303)


routes = [
    *knowledge_archive.routes,
    Route("/admin/intents", intents_page, methods=["GET"]),
    Route("/admin/intents/new", new_intent_page, methods=["GET"]),
    Route("/admin/intents/new", new_intent_submit, methods=["POST"]),
    Route("/admin/intents/{intent}", intent_page, methods=["GET"]),
    Route("/admin/intents/{intent}", intent_submit, methods=["POST"]),
    Route("/admin/intents/{intent}/delete", intent_delete, methods=["POST"]),
]

"""The admin's pages "Câu hỏi chưa trả lời được" (assign or dismiss citizens' questions)
and "Thử câu hỏi" (what the bot would reply to a text, with the active and the
candidate model)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.answering.service import thresholds_from
from bot.console.auth import roles_required
from bot.console.deps import actor_of, run_db, settings_of
from bot.console.telegram_preview import telegram_preview
from bot.console.templating import render
from bot.faq import review, trial
from bot.faq.candidate import CandidatePredictions, Prediction, rasa_predict
from bot.staff.roles import Role
from bot.texts import review as texts

# Questions listed one by one in a group (the group's buttons act on all of them).
SHOWN_PER_GROUP = 20


# --- Câu hỏi chưa trả lời được ---


async def _unanswered(request: Request, *, error: str | None = None) -> Response:
    actor = actor_of(request)

    def work(session: Session) -> dict[str, Any]:
        return {
            "found": review.unanswered(session=session, actor=actor),
            "choices": review.intent_choices(session=session),
            "titles": review.intent_titles(session=session),
        }

    context = await run_db(request, work)
    params = request.query_params
    notice = None
    if not error and params.get("done") == "assigned":
        title = context["titles"].get(params.get("intent", ""), params.get("intent", ""))
        notice = texts.DONE_ASSIGNED.format(count=params.get("count", "0"), title=title)
    elif not error and params.get("done") == "dismissed":
        notice = texts.DONE_DISMISSED.format(count=params.get("count", "0"))
    context.update(R=texts, error=error, notice=notice, shown=SHOWN_PER_GROUP)
    return render(request, "admin/unanswered.html", context, 400 if error else 200)


@roles_required(Role.ADMIN)
async def unanswered_page(request: Request) -> Response:
    """GET /admin/unanswered: the questions to review, alike ones grouped."""
    return await _unanswered(request)


async def _posted_refs(request: Request) -> tuple[list[str], str]:
    """The questions a button acts on (one, or the whole group) and the chosen intent."""
    form = await request.form()
    only = form.get("only")
    refs = [only] if isinstance(only, str) and only else form.getlist("item")
    intent = form.get("intent")
    return [r for r in refs if isinstance(r, str)], intent if isinstance(intent, str) else ""


@roles_required(Role.ADMIN)
async def unanswered_assign(request: Request) -> Response:
    """POST /admin/unanswered/assign: the questions become examples of an intent."""
    actor = actor_of(request)
    refs, intent = await _posted_refs(request)
    try:
        count = await run_db(
            request,
            lambda s: review.assign(session=s, actor=actor, refs=refs, intent=intent),
        )
    except review.ReviewProblem as problem:
        return await _unanswered(request, error=problem.message)
    url = request.url_for("unanswered").include_query_params(
        done="assigned", count=count, intent=intent
    )
    return RedirectResponse(str(url), status_code=303)


@roles_required(Role.ADMIN)
async def unanswered_dismiss(request: Request) -> Response:
    """POST /admin/unanswered/dismiss: the questions leave the list."""
    actor = actor_of(request)
    refs, _intent = await _posted_refs(request)
    try:
        count = await run_db(request, lambda s: review.dismiss(session=s, actor=actor, refs=refs))
    except review.ReviewProblem as problem:
        return await _unanswered(request, error=problem.message)
    url = request.url_for("unanswered").include_query_params(done="dismissed", count=count)
    return RedirectResponse(str(url), status_code=303)


# --- Thử câu hỏi ---


@dataclass(frozen=True)
class Column:
    """One model's side of the page."""

    title: str
    version: str | None
    result: trial.Trial | None = None
    preview: Markup | None = None
    pending: bool = False
    error: str | None = None


def _predictions(request: Request) -> CandidatePredictions:
    """The app's candidate predictions (made on first use)."""
    state = request.app.state
    if getattr(state, "candidate_predictions", None) is None:
        state.candidate_predictions = CandidatePredictions(rasa_predict(settings_of(request)))
    predictions: CandidatePredictions = state.candidate_predictions
    return predictions


def _column(title: str, version: str | None, result: trial.Trial) -> Column:
    preview = telegram_preview(result.decision.reply)
    return Column(title, version, result, preview=preview.html)


async def _candidate_column(request: Request, text: str) -> Column | None:
    """The candidate's side: its result, or that it is pending, or why there is none."""
    actor = actor_of(request)
    thresholds = thresholds_from(settings_of(request))
    found = await run_db(request, lambda s: trial.models(session=s, actor=actor))
    candidate = found.candidate
    if candidate is None:
        return None
    outcome: Prediction = _predictions(request).get(
        version=candidate.version, path=candidate.path, text=text
    )
    if outcome.parse is None:
        return Column(
            texts.TRY_CANDIDATE, candidate.version, None, None, outcome.pending, outcome.error
        )
    parse = outcome.parse
    result = await run_db(
        request,
        lambda s: trial.try_text(
            session=s, actor=actor, text=text, parse=parse, thresholds=thresholds
        ),
    )
    return _column(texts.TRY_CANDIDATE, candidate.version, result)


async def _try(request: Request, raw: str | None) -> Response:
    actor = actor_of(request)
    settings = settings_of(request)
    context: dict[str, Any] = {"R": texts, "text": raw or "", "limit": trial.MAX_TEXT}
    found = await run_db(request, lambda s: trial.models(session=s, actor=actor))
    context["has_candidate"] = found.candidate is not None
    if raw is None or not raw.strip():
        return render(request, "admin/try.html", context)
    try:
        text = trial.check_text(raw)
    except trial.TrialProblem as problem:
        context["error"] = problem.message
        return render(request, "admin/try.html", context, 400)
    parse = await trial.parse_active(settings, text)
    result = await run_db(
        request,
        lambda s: trial.try_text(
            session=s, actor=actor, text=text, parse=parse, thresholds=thresholds_from(settings)
        ),
    )
    version = found.active.version if found.active else None
    context["active"] = _column(texts.TRY_ACTIVE, version, result)
    context["candidate"] = await _candidate_column(request, text)
    return render(request, "admin/try.html", context)


@roles_required(Role.ADMIN)
async def try_page(request: Request) -> Response:
    """GET /admin/try[?text=]: the form, and the result for `text`."""
    return await _try(request, request.query_params.get("text"))


@roles_required(Role.ADMIN)
async def try_submit(request: Request) -> Response:
    """POST /admin/try: the result for the posted text."""
    value = (await request.form()).get("text")
    return await _try(request, value if isinstance(value, str) else "")


@roles_required(Role.ADMIN)
async def try_candidate(request: Request) -> Response:
    """GET /admin/try/candidate?text=: the candidate's column alone (polled while pending)."""
    try:
        text = trial.check_text(request.query_params.get("text", ""))
    except trial.TrialProblem as problem:
        return Response(problem.message, status_code=400)
    column = await _candidate_column(request, text)
    context = {"R": texts, "column": column, "text": text}
    return render(request, "admin/_try_column.html", context)


routes = [
    Route("/admin/unanswered", unanswered_page, name="unanswered"),
    Route("/admin/unanswered/assign", unanswered_assign, methods=["POST"]),
    Route("/admin/unanswered/dismiss", unanswered_dismiss, methods=["POST"]),
    Route("/admin/try", try_page, name="try"),
    Route("/admin/try", try_submit, methods=["POST"]),
    Route("/admin/try/candidate", try_candidate),
]

"""/admin/models: train a new model, see its progress and figures, activate, roll back.

The training runs in a thread of this process (bot.training.worker); the activation is
carried out by the bot process, which watches the registry. Tests put fake training
steps in `app.state.training_steps`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.console.auth import roles_required
from bot.console.deps import actor_of, run_db, settings_of
from bot.console.templating import render
from bot.staff.roles import Role
from bot.texts import training as texts
from bot.training import worker
from bot.training.models import TrainedModel
from bot.training.overview import ModelsOverview, models_overview
from bot.training.service import (
    ModelNotFound,
    NeedsConfirmation,
    NotActivatable,
    TrainingBusy,
    request_activation,
    start_training,
)

PAGE = "/admin/models"


async def _page(
    request: Request, template: str = "admin/models.html", status_code: int = 200, **extra: Any
) -> Response:
    actor = actor_of(request)
    overview: ModelsOverview = await run_db(
        request, lambda s: models_overview(session=s, actor=actor)
    )
    context = {"O": texts, "overview": overview, **extra}
    return render(request, template, context, status_code)


@roles_required(Role.ADMIN)
async def models_page(request: Request) -> Response:
    """GET /admin/models: the versions, the training in progress, the comparison."""
    params = request.query_params
    notice = None
    if version := params.get("started"):
        notice = texts.TRAIN_STARTED.format(version=version)
    elif version := params.get("requested"):
        notice = texts.ACTIVATION_REQUESTED.format(version=version)
    return await _page(request, notice=notice)


@roles_required(Role.ADMIN)
async def models_status(request: Request) -> Response:
    """GET /admin/models/status: the part of the page that refreshes itself (htmx)."""
    return await _page(request, "admin/_models_status.html")


@roles_required(Role.ADMIN)
async def train(request: Request) -> Response:
    """POST /admin/models/train: register a training and run it in the background."""
    actor, settings = actor_of(request), settings_of(request)
    stale_after = timedelta(minutes=settings.nlu_training_timeout_minutes)

    def work(session: Session) -> TrainedModel:
        return start_training(session=session, actor=actor, stale_after=stale_after)

    try:
        model = await run_db(request, work)
    except TrainingBusy as busy:
        return await _page(
            request, error=texts.TRAIN_BUSY.format(version=busy.version), status_code=409
        )
    worker.start(settings, model.id, steps=getattr(request.app.state, "training_steps", None))
    return RedirectResponse(f"{PAGE}?started={model.version}", status_code=303)


@roles_required(Role.ADMIN)
async def activate(request: Request) -> Response:
    """POST /admin/models/<version>/activate (also rollback); `confirmed=1` the second time."""
    actor, settings = actor_of(request), settings_of(request)
    version = request.path_params["version"]
    form = await request.form()
    confirmed = form.get("confirmed") == "1"

    def work(session: Session) -> TrainedModel:
        return request_activation(
            session=session,
            actor=actor,
            version=version,
            confirmed=confirmed,
            margin=settings.nlu_activation_margin,
        )

    try:
        model = await run_db(request, work)
    except ModelNotFound:
        return await _page(request, error=texts.MODEL_NOT_FOUND, status_code=404)
    except NotActivatable as refused:
        error = texts.NOT_ACTIVATABLE[refused.reason]
        return await _page(request, error=error, status_code=409)
    except NeedsConfirmation as needed:
        return await _page(request, confirm={"version": version, "reasons": needed.reasons})
    return RedirectResponse(f"{PAGE}?requested={model.version}", status_code=303)


routes: list[BaseRoute] = [
    Route(PAGE, models_page, methods=["GET"]),
    Route(f"{PAGE}/status", models_status, methods=["GET"]),
    Route(f"{PAGE}/train", train, methods=["POST"]),
    Route(PAGE + "/{version}/activate", activate, methods=["POST"]),
]

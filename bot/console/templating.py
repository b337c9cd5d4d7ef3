"""Jinja2 templates with the console's filters (local dates, labels) and the CSRF token."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from bot.cases.clock import local
from bot.texts import console as texts

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def _local_datetime(value: datetime | None) -> str:
    return local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _local_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return value.strftime("%d/%m/%Y")


def _csrf(request: Request) -> str:
    token = request.scope.get("csrftoken")
    return str(token()) if callable(token) else ""


def make_templates() -> Jinja2Templates:
    """The console's template environment (autoescaping on for every template)."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    env = templates.env
    env.autoescape = select_autoescape(default=True, default_for_string=True)
    env.filters["dt"] = _local_datetime
    env.filters["d"] = _local_date
    env.globals["T"] = texts
    env.globals["csrf"] = _csrf
    return templates


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a template with the request, the signed-in person and `context`."""
    templates: Jinja2Templates = request.app.state.templates
    values = {"actor": getattr(request.state, "actor", None), **(context or {})}
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    assert isinstance(response, HTMLResponse)
    return response

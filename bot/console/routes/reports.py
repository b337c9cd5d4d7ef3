"""Reports and exports (dashboard, official register, case list).

Filters use the inbox's query parameters and parser (unit, kind, from, to; status and q
for the case list), so a link from the inbox exports exactly what it lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from urllib.parse import quote, urlencode

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.cases.clock import local_today
from bot.cases.inbox import InboxChoices, InboxQuery, inbox_choices
from bot.cases.search import fold
from bot.cases.status import CaseKind
from bot.console.auth import View, login_required
from bot.console.deps import actor_of, client_ip, run_db
from bot.console.routes.inbox import parse_query
from bot.console.templating import render
from bot.reports.case_list import export_cases
from bot.reports.charts import dashboard_charts
from bot.reports.exports import ExportFile, Format
from bot.reports.register import export_register
from bot.reports.service import Report, build_report, report_filter
from bot.staff.roles import Actor
from bot.texts import reports as texts

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
Export = Callable[[Session, Actor, InboxQuery, Format, date, str], ExportFile]


def _query(request: Request, session: Session, actor: Actor) -> tuple[InboxQuery, list[str]]:
    choices = inbox_choices(session=session, actor=actor)
    return parse_query(request.query_params, choices)


@login_required
async def dashboard(request: Request) -> Response:
    """/reports: figures and charts for a unit, a period (default this month) and kinds."""
    actor = actor_of(request)
    today = local_today()

    def work(session: Session) -> tuple[InboxChoices, list[str], Report]:
        choices = inbox_choices(session=session, actor=actor)
        query, notices = parse_query(request.query_params, choices)
        wanted = report_filter(query, today=today)
        report = build_report(session=session, actor=actor, report_filter=wanted, today=today)
        return choices, notices, report

    choices, notices, report = await run_db(request, work)
    params = report.filter.params()
    context = {
        "R": texts,
        "choices": choices,
        "notices": notices,
        "report": report,
        "kinds": list(CaseKind),
        "charts": dashboard_charts(report),
        "register_query": urlencode(params, doseq=True),
        "cases_query": urlencode({**params, "status": ["all"]}, doseq=True),
    }
    return render(request, "reports/dashboard.html", context)


def attachment(file: ExportFile) -> Response:
    """The file as a download, its Vietnamese name kept (RFC 6266 `filename*`)."""
    fallback = _UNSAFE.sub("-", fold(file.filename)).strip("-") or "export"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(file.filename)}"
    return Response(
        file.body,
        media_type=file.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


def _exporter(make: Export) -> View:
    """A download view: parse the inbox-style filters, build the file, send it."""

    @login_required
    async def download(request: Request) -> Response:
        try:
            fmt = Format(request.path_params["fmt"])
        except ValueError:
            raise HTTPException(404) from None
        actor, today, ip = actor_of(request), local_today(), client_ip(request)

        def work(session: Session) -> ExportFile:
            query, _notices = _query(request, session, actor)
            return make(session, actor, query, fmt, today, ip)

        return attachment(await run_db(request, work))

    return download


def _register(
    session: Session, actor: Actor, query: InboxQuery, fmt: Format, today: date, ip: str
) -> ExportFile:
    return export_register(
        session=session,
        actor=actor,
        report_filter=report_filter(query, today=today),
        fmt=fmt,
        today=today,
        ip=ip,
    )


def _cases(
    session: Session, actor: Actor, query: InboxQuery, fmt: Format, today: date, ip: str
) -> ExportFile:
    return export_cases(session=session, actor=actor, query=query, fmt=fmt, today=today, ip=ip)


routes: list[BaseRoute] = [
    Route("/reports", dashboard, methods=["GET"]),
    Route("/reports/register.{fmt}", _exporter(_register), methods=["GET"]),
    Route("/reports/cases.{fmt}", _exporter(_cases), methods=["GET"]),
]

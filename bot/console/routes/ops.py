"""Probes and metrics for operations: /healthz, /readyz, /metrics (no log-in, no CSRF:
they are read-only GETs for orchestrators and Prometheus)."""

from __future__ import annotations

import asyncio

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.console.deps import settings_of
from bot.ops.access import metrics_allowed
from bot.ops.health import OK, Readiness
from bot.texts import console as texts

_NO_STORE = {"cache-control": "no-store"}


async def healthz(_request: Request) -> Response:
    """GET /healthz: the process is up (touches nothing else)."""
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


async def readyz(request: Request) -> Response:
    """GET /readyz: 200 when the database, the NLU server and the Bot API answer, else 503
    with the failing check(s) named."""
    readiness: Readiness = request.app.state.readiness
    checks = await readiness.checks()
    ready = all(result == OK for result in checks.values())
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503, headers=_NO_STORE)


async def metrics(request: Request) -> Response:
    """GET /metrics: Prometheus text exposition, for loopback or a bearer METRICS_TOKEN."""
    allowed = metrics_allowed(
        client_host=request.client.host if request.client else None,
        headers=request.headers,
        token=settings_of(request).metrics_token,
    )
    if not allowed:
        return PlainTextResponse(texts.FORBIDDEN, status_code=403)
    registry: CollectorRegistry = request.app.state.metrics
    body = await asyncio.to_thread(generate_latest, registry)
    # The classic text format, which every Prometheus version reads (all names are ASCII).
    return Response(body, media_type=CONTENT_TYPE_PLAIN_0_0_4, headers=_NO_STORE)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
    Route("/metrics", metrics, methods=["GET"]),
]

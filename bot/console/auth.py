"""Signed session cookies and the `login_required` guard of every console page."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import quote

from itsdangerous import BadSignature, TimestampSigner
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.console.deps import run_db, settings_of
from bot.staff.roles import Actor, Role
from bot.staff.service import actor_of, resolve_session

COOKIE = "tiepdan_session"
View = Callable[[Request], Awaitable[Response]]


def session_lifetime(request: Request) -> timedelta:
    """How long an idle session lasts."""
    return timedelta(hours=settings_of(request).console_session_hours)


def _signer(request: Request) -> TimestampSigner:
    signer: TimestampSigner = request.app.state.signer
    return signer


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Give the browser its signed session token (HttpOnly, SameSite=Lax, Secure on HTTPS)."""
    settings = settings_of(request)
    response.set_cookie(
        COOKIE,
        _signer(request).sign(token).decode(),
        max_age=int(session_lifetime(request).total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.console_https,
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(COOKIE, path="/")


def session_token(request: Request) -> str | None:
    """The token in the request's cookie if its signature is valid."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    max_age = int(session_lifetime(request).total_seconds()) * 2  # sliding in the database
    try:
        return _signer(request).unsign(raw, max_age=max_age).decode()
    except BadSignature:
        return None


async def current_actor(request: Request) -> Actor | None:
    """The person signed in on this request, or None."""
    token = session_token(request)
    if token is None:
        return None
    lifetime = session_lifetime(request)
    user = await run_db(
        request,
        lambda s: (
            actor_of(u)
            if (u := resolve_session(session=s, token=token, lifetime=lifetime))
            else None
        ),
    )
    return user


def login_required(view: View) -> View:
    """Run `view` for a signed-in person (in `request.state.actor`); others go to /login."""

    @functools.wraps(view)
    async def guarded(request: Request) -> Response:
        actor = await current_actor(request)
        if actor is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        request.state.actor = actor
        return await view(request)

    return guarded


def roles_required(*roles: Role) -> Callable[[View], View]:
    """Like `login_required`, and the person must have one of `roles` (else 403)."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        async def checked(request: Request) -> Response:
            from bot.staff.permissions import Action, Forbidden

            if request.state.actor.role not in roles:
                raise Forbidden(Action.VIEW)
            return await view(request)

        return login_required(checked)

    return decorate

"""Log-in, log-out and changing one's password."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.audit.service import record
from bot.cases.clock import utcnow
from bot.console.auth import (
    clear_session_cookie,
    login_required,
    session_lifetime,
    session_token,
    set_session_cookie,
)
from bot.console.deps import actor_of, client_ip, run_db, settings_of
from bot.console.templating import render
from bot.console.throttle import LoginThrottle
from bot.staff.service import (
    LoginOutcome,
    StaffError,
    authenticate,
    change_password,
    end_session,
    start_session,
)
from bot.texts import console as texts


def new_throttle() -> LoginThrottle:
    """The per-address log-in throttle of one console process."""
    return LoginThrottle()


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never another host) after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/cases"


async def login_page(request: Request) -> Response:
    """The log-in form."""
    return render(request, "login.html", {"next": _safe_next(request.query_params.get("next"))})


async def login(request: Request) -> Response:
    """Check the form; on success start a session and go where the person was heading."""
    form = await request.form()
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))[:256]
    target = _safe_next(str(form.get("next", "")))
    address = client_ip(request)
    throttle: LoginThrottle = request.app.state.throttle

    def page(error: str, status: int) -> Response:
        context = {"error": error, "username": username, "next": target}
        return render(request, "login.html", context, status)

    if not username or not password:
        return page(texts.LOGIN_MISSING, 400)
    wait = throttle.retry_after(address)
    if wait:
        return page(texts.LOGIN_SLOW_DOWN.format(seconds=wait), 429)
    settings = settings_of(request)
    lifetime = session_lifetime(request)

    def check(session: Session) -> tuple[LoginOutcome, str | None, int]:
        result = authenticate(
            session=session,
            username=username,
            password=password,
            max_failures=settings.console_login_max_failures,
            lockout=timedelta(minutes=settings.console_lockout_minutes),
        )
        action = f"login_{result.outcome.value}"
        record(
            session=session,
            actor=f"staff:{username.lower()}",
            action=action,
            target_type="staff",
            target_id=username.lower(),
            ip=address,
        )
        if result.user is None:
            minutes = 0
            if result.locked_until is not None:
                minutes = math.ceil((result.locked_until - utcnow()).total_seconds() / 60)
            return result.outcome, None, minutes
        token = start_session(session=session, user_id=result.user.id, lifetime=lifetime)
        return result.outcome, token, 0

    outcome, token, minutes = await run_db(request, check)
    if outcome is LoginOutcome.LOCKED:
        throttle.failed(address)
        return page(texts.LOGIN_LOCKED.format(minutes=max(minutes, 1)), 403)
    if token is None:
        throttle.failed(address)
        return page(texts.LOGIN_BAD, 401)
    throttle.succeeded(address)
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(request, response, token)
    return response


async def logout(request: Request) -> Response:
    """End this browser's session."""
    token = session_token(request)
    if token is not None:
        await run_db(request, lambda s: end_session(session=s, token=token))
    response = RedirectResponse("/login?out=1", status_code=303)
    clear_session_cookie(response)
    return response


@login_required
async def password_page(request: Request) -> Response:
    """The change-password form."""
    return render(request, "password.html")


@login_required
async def password(request: Request) -> Response:
    """Change one's password (asks the current one); other sessions end, this one too."""
    form = await request.form()
    current = str(form.get("current", ""))[:256]
    new = str(form.get("new", ""))[:512]
    again = str(form.get("again", ""))[:512]
    actor = actor_of(request)
    if new != again:
        return render(request, "password.html", {"error": texts.PASSWORD_MISMATCH}, 400)

    def apply(session: Session) -> str:
        change_password(session=session, user_id=actor.id, current=current, new=new)
        record(
            session=session,
            actor=actor.tag,
            action="password_changed",
            target_type="staff",
            target_id=actor.username,
            ip=client_ip(request),
        )
        return start_session(session=session, user_id=actor.id, lifetime=session_lifetime(request))

    try:
        token = await run_db(request, apply)
    except StaffError as error:
        message = texts.STAFF_ERRORS.get(error.code, texts.SERVER_ERROR)
        return render(request, "password.html", {"error": message}, 400)
    response = render(request, "password.html", {"done": texts.PASSWORD_CHANGED})
    set_session_cookie(request, response, token)
    return response


async def home(_request: Request) -> Response:
    """The console starts at the inbox."""
    return RedirectResponse("/cases", status_code=303)


routes = [
    Route("/", home),
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/password", password_page, methods=["GET"]),
    Route("/password", password, methods=["POST"]),
]

"""Response hardening and a cap on request bodies (pure ASGI, no buffering)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.texts import console as texts

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Everything is served from the console itself: no CDN, no outside fonts (closed intranets).
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
]


class SecurityHeaders:
    """Add the hardening headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in _HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SameOrigin:
    """Refuse a state-changing request that a browser says comes from another site.

    Browsers send `Origin` (or at least `Referer`) with every cross-site POST; a request
    without either comes from a script, which the CSRF token (for signed-in sessions) and
    the password (for /login) already cover. This also stops log-in CSRF, where a form on
    another site would sign the victim in as someone else.
    """

    def __init__(self, app: ASGIApp, public_url: str | None = None) -> None:
        self.app = app
        # Behind a reverse proxy the Host header may differ from the address staff open.
        self.public_host = urlsplit(public_url).netloc if public_url else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in _SAFE_METHODS:
            headers = dict(scope.get("headers", []))
            source = (headers.get(b"origin") or headers.get(b"referer") or b"").decode("latin-1")
            allowed = {headers.get(b"host", b"").decode("latin-1"), self.public_host}
            if source and (source == "null" or urlsplit(source).netloc not in allowed):
                await _plain(send, 403, texts.CROSS_SITE)
                return
        await self.app(scope, receive, send)


async def _plain(send: Send, status: int, text: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": text.encode()})


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 and a Vietnamese message."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers", []))
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counting_receive, send)
        except BodyTooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await _plain(send, 413, texts.TOO_LARGE.format(max_mb=self.max_bytes // (1024 * 1024)))


class BodyTooLarge(Exception):
    """Raised inside the app when a streamed body passes the limit."""

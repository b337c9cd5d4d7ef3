"""Who may read `/metrics`: the machine itself, or a scraper showing METRICS_TOKEN."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Mapping

from pydantic import SecretStr

# Headers a reverse proxy adds: a request carrying one came from elsewhere, even though
# it reaches the console from the proxy on loopback.
_PROXY_HEADERS = ("x-forwarded-for", "x-real-ip", "forwarded")


def metrics_allowed(
    *, client_host: str | None, headers: Mapping[str, str], token: SecretStr | None
) -> bool:
    """True for a direct loopback client, or for `Authorization: Bearer <token>` when a
    token is set; False otherwise."""
    expected = token.get_secret_value() if token is not None else ""
    if expected:
        scheme, _, given = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and secrets.compare_digest(
            given.strip().encode(), expected.encode()
        ):
            return True
    if any(name in headers for name in _PROXY_HEADERS):
        return False
    return _loopback(client_host)


def _loopback(host: str | None) -> bool:
    if not host:
        return False
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # not an address (a unix socket, a test client's name)
        return False

"""Webhook settings checked and completed: the public URL, the path served, the secret token."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.settings import Settings

# Telegram accepts 1–256 characters A-Z, a-z, 0-9, "_" and "-" as a secret token.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Updates per second Telegram may post at once to one webhook (its default, at most 100).
MAX_CONNECTIONS = 40
# What the derived secret is for: a changed label would give every instance a new secret.
_DERIVATION_LABEL = b"tiepdan/telegram-webhook-secret/v1"


class WebhookConfigError(ValueError):
    """TELEGRAM_WEBHOOK_URL or TELEGRAM_WEBHOOK_SECRET cannot be used as set."""


@dataclass(frozen=True)
class WebhookConfig:
    """Where Telegram posts, what this instance serves, and the secret every post carries."""

    url: str
    path: str
    secret: str
    host: str
    port: int


def derive_secret(bot_token: str) -> str:
    """A secret every instance with this bot token derives alike (HMAC-SHA256, keyed by the
    token, as 64 hex digits), so no second secret has to be shared between instances."""
    return hmac.new(bot_token.encode(), _DERIVATION_LABEL, hashlib.sha256).hexdigest()


def webhook_config(settings: Settings) -> WebhookConfig | None:
    """The webhook to serve, or None for long polling (TELEGRAM_WEBHOOK_URL unset).

    Telegram posts only to HTTPS; plain HTTP is allowed in sandbox mode only, where the
    local sandbox posts to loopback.
    """
    if not settings.telegram_webhook_url:
        return None
    url = settings.telegram_webhook_url.strip()
    parts = urlsplit(url)
    allowed = ("https", "http") if settings.sandbox_mode else ("https",)
    if parts.scheme not in allowed or not parts.hostname:
        raise WebhookConfigError(
            f"TELEGRAM_WEBHOOK_URL must be an https:// URL Telegram can reach (got {url!r}); "
            "http:// is accepted only in sandbox mode (no TELEGRAM_BOT_TOKEN)"
        )
    configured = settings.telegram_webhook_secret
    # An empty TELEGRAM_WEBHOOK_SECRET= counts as unset.
    secret = configured.get_secret_value() if configured else derive_secret(settings.bot_token)
    if not SECRET_PATTERN.fullmatch(secret):
        raise WebhookConfigError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, '_' and '-'"
        )
    return WebhookConfig(
        url=url,
        path=parts.path or "/",
        secret=secret,
        host=settings.webhook_host,
        port=settings.webhook_port,
    )

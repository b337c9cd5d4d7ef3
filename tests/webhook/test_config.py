"""Webhook settings: the derived secret, the path served, and what is refused."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import SecretStr

from bot.settings import SANDBOX_BOT_TOKEN, Settings
from bot.webhook.config import WebhookConfigError, derive_secret, webhook_config

REAL_TOKEN = "123456789:AAExampleExampleExampleExampleExamp"


def settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_derived_secret_is_stable_telegram_shaped_and_token_specific() -> None:
    secret = derive_secret(REAL_TOKEN)
    assert secret == derive_secret(REAL_TOKEN)  # every instance agrees
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)
    assert len(secret) == 64
    assert secret != derive_secret(SANDBOX_BOT_TOKEN)
    assert REAL_TOKEN.split(":")[1] not in secret


def test_no_url_means_long_polling() -> None:
    assert webhook_config(settings()) is None


def test_real_token_https_url_and_derived_secret() -> None:
    config = webhook_config(
        settings(
            telegram_bot_token=REAL_TOKEN,
            telegram_webhook_url="https://bot.example.gov.vn/telegram/webhook",
            webhook_host="0.0.0.0",
            webhook_port=9000,
        )
    )
    assert config is not None
    assert config.url == "https://bot.example.gov.vn/telegram/webhook"
    assert config.path == "/telegram/webhook"
    assert config.secret == derive_secret(REAL_TOKEN)
    assert (config.host, config.port) == ("0.0.0.0", 9000)


def test_a_configured_secret_wins() -> None:
    config = webhook_config(
        settings(
            telegram_bot_token=REAL_TOKEN,
            telegram_webhook_url="https://bot.example.gov.vn/",
            telegram_webhook_secret=SecretStr("Abc_123-xyz"),
        )
    )
    assert config is not None and config.secret == "Abc_123-xyz" and config.path == "/"


def test_plain_http_only_in_sandbox_mode() -> None:
    sandbox = webhook_config(settings(telegram_webhook_url="http://127.0.0.1:18180/hook"))
    assert sandbox is not None and sandbox.secret == derive_secret(SANDBOX_BOT_TOKEN)
    with pytest.raises(WebhookConfigError, match="https://"):
        webhook_config(
            settings(telegram_bot_token=REAL_TOKEN, telegram_webhook_url="http://bot.example/x")
        )


def test_an_empty_secret_counts_as_unset() -> None:
    config = webhook_config(
        settings(
            telegram_bot_token=REAL_TOKEN,
            telegram_webhook_url="https://bot.example.gov.vn/hook",
            telegram_webhook_secret=SecretStr(""),
        )
    )
    assert config is not None and config.secret == derive_secret(REAL_TOKEN)


@pytest.mark.parametrize("secret", ["có-dấu", "with space", "x" * 257])
def test_a_secret_telegram_would_refuse_is_refused(secret: str) -> None:
    with pytest.raises(WebhookConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_config(
            settings(
                telegram_bot_token=REAL_TOKEN,
                telegram_webhook_url="https://bot.example.gov.vn/hook",
                telegram_webhook_secret=SecretStr(secret),
            )
        )

"""The shared secret between the bot and its Rasa server."""

from __future__ import annotations

import os
import secrets

from bot.settings import Settings


def rasa_token(settings: Settings) -> str:
    """RASA_TOKEN if set, else a random token kept in var/rasa-token (created once, mode 600)."""
    if settings.rasa_token is not None and settings.rasa_token.get_secret_value():
        return settings.rasa_token.get_secret_value()
    path = settings.var_dir / "rasa-token"
    if path.exists():
        stored = path.read_text(encoding="utf-8").strip()
        if usable(stored):
            return stored
        path.unlink(missing_ok=True)  # written before tokens were checked: make a new one
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    token = new_token()
    # O_EXCL: when two processes race, one creates the file and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token)
    return token


def usable(token: str) -> bool:
    """A token the Rasa command line takes as a value: not empty, no leading "-" (which
    `--auth-token -xyz` would read as an option)."""
    return bool(token) and not token.startswith("-")


def new_token() -> str:
    """A random URL-safe token (192 bits) that never starts with "-"."""
    while not usable(token := secrets.token_urlsafe(24)):
        pass
    return token

"""The console's signing secret: from CONSOLE_SECRET_KEY, or generated once into VAR_DIR."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from bot.settings import Settings

SECRET_FILE = "console_secret"


def secret_key(settings: Settings) -> str:
    """The secret that signs session and CSRF cookies (kept across restarts)."""
    if settings.console_secret_key is not None:
        value = settings.console_secret_key.get_secret_value()
        if value:
            return value
    path = Path(settings.var_dir) / SECRET_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    # Created readable by the owner only, atomically (no window with wider permissions).
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value

"""Log formats (one line per event: text, or JSON for log collectors) and the loggers that
are kept quiet because they would print secrets or citizens' data.

What the project never logs: citizens' names, phone numbers, ID numbers, addresses, message
texts, case contents, and the bot or Rasa tokens. Its own log calls give ids and codes;
the libraries below are held at a level where they do not print their payloads.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Loggers that would print request URLs, and with them the bot token or the Rasa token.
URL_LOGGERS = ("httpx", "httpcore", "uvicorn.access")
# Loggers whose DEBUG lines carry payloads: PTB logs every update it processes, every Bot
# API call with its parameters (message texts, names, phone numbers) and its base URL with
# the bot token.
PAYLOAD_LOGGERS = ("telegram",)

# Characters that end a line for some reader (str.splitlines, journald, editors), and
# their escapes (valid in JSON strings too).
_LINE_BREAKS = str.maketrans(
    {"\n": "\\n", "\r": "\\r"}
    | {char: f"\\u{ord(char):04x}" for char in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
)
# Attributes every LogRecord has; anything else came from `extra=` and is logged as a field.
_BARE_RECORD = logging.LogRecord("", logging.INFO, "", 0, "", None, None)
_RECORD_ATTRIBUTES = frozenset(vars(_BARE_RECORD)) | {"message", "asctime"}


def one_line(text: str) -> str:
    """`text` with its line breaks escaped."""
    return text.translate(_LINE_BREAKS)


class TextFormatter(logging.Formatter):
    """The plain format, one line per record (tracebacks escaped onto it)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return one_line(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts (UTC, ISO 8601), level, logger, msg, the fields given
    with `extra=`, and exc / stack when there are."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry.setdefault(key, value)
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return one_line(json.dumps(entry, ensure_ascii=False, default=str))


def formatter(log_format: str) -> logging.Formatter:
    """The formatter for LOG_FORMAT ("json" or "text")."""
    return JsonFormatter() if log_format == "json" else TextFormatter()


def quiet_loggers() -> None:
    """Hold URL loggers at WARNING and payload loggers at INFO, whatever LOG_LEVEL says
    (a higher LOG_LEVEL still wins). Call after the root logger's level is set."""
    root = logging.getLogger().getEffectiveLevel()
    for name in URL_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, root))
    for name in PAYLOAD_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root))

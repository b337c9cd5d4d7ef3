"""Log formats: one line per record, JSON parseable; payload and URL loggers held quiet."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.ops.logs import JsonFormatter, TextFormatter, quiet_loggers
from bot.settings import PROJECT_ROOT

MULTILINE = "first line\nsecond line\r\nthird\u2028fourth\x85fifth"


def record(msg: str, *args: object, exc: bool = False, **extra: object) -> logging.LogRecord:
    """A record as `logging.getLogger("bot.test").error(msg, *args, extra=extra)` makes."""
    exc_info = None
    if exc:
        try:
            raise ValueError("bad value\nwith a second line")
        except ValueError:
            exc_info = sys.exc_info()
    made = logging.getLogger("bot.test").makeRecord(
        "bot.test", logging.ERROR, __file__, 1, msg, args, exc_info, extra=extra
    )
    return made


def test_json_is_one_parseable_line_per_record() -> None:
    formatter = JsonFormatter()
    for made in [
        record("Outbox message %s not delivered: %s", 17, "HTTP 502"),
        record(MULTILINE),
        record("failed", exc=True),
        record("with fields", case_code="QH-2026-0001", attempts=3),
    ]:
        line = formatter.format(made)
        assert line.splitlines() == [line]
        entry = json.loads(line)
        assert entry["level"] == "ERROR" and entry["logger"] == "bot.test"
        assert entry["ts"].endswith("+00:00")
    assert json.loads(formatter.format(record(MULTILINE)))["msg"] == MULTILINE
    failed = json.loads(formatter.format(record("failed", exc=True)))
    assert failed["msg"] == "failed"
    assert failed["exc"].startswith("Traceback") and "ValueError: bad value\nwith" in failed["exc"]
    fields = json.loads(formatter.format(record("x", case_code="QH-2026-0001", attempts=3)))
    assert fields["case_code"] == "QH-2026-0001" and fields["attempts"] == 3
    assert json.loads(formatter.format(record("%s", 17)))["msg"] == "17"


def test_text_is_the_usual_format_on_one_line() -> None:
    line = TextFormatter().format(record("failed: %s", MULTILINE, exc=True))
    assert line.splitlines() == [line]
    assert (
        " ERROR   bot.test: failed: first line\\nsecond line\\r\\nthird\\u2028fourth\\u0085fifth"
        in line
    )
    assert "\\nTraceback (most recent call last):\\n" in line
    assert "ValueError: bad value\\nwith a second line" in line


@pytest.fixture
def levels() -> Iterator[None]:
    """Restore the levels the test changes."""
    names = ["", "telegram", "httpx", "httpcore", "uvicorn.access"]
    saved = {name: logging.getLogger(name).level for name in names}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("levels")
def test_debug_never_opens_payload_or_url_loggers() -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    quiet_loggers()
    assert logging.getLogger("telegram.ext.Application").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("telegram.Bot").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("bot.outbox.delivery").getEffectiveLevel() == logging.DEBUG
    logging.getLogger().setLevel(logging.ERROR)
    quiet_loggers()
    assert logging.getLogger("telegram.ext.Application").getEffectiveLevel() == logging.ERROR


def test_log_format_json_configures_the_process() -> None:
    """configure_logging as `tiepdan` calls it, in a fresh interpreter."""
    script = (
        "import logging\n"
        "from bot.bootstrap import configure_logging\n"
        "from bot.settings import get_settings\n"
        "configure_logging(get_settings())\n"
        "log = logging.getLogger('bot.example')\n"
        "log.info('two\\nlines')\n"
        "try:\n"
        "    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    log.exception('it failed')\n"
        "logging.getLogger('telegram.ext.Application').debug('Processing update %s', 'secret')\n"
    )
    env = {
        **os.environ,
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "DEBUG",
        "TIEPDAN_ENV_FILE": "/dev/null",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    entries = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(e["logger"], e["level"], e["msg"]) for e in entries] == [
        ("bot.example", "INFO", "two\nlines"),
        ("bot.example", "ERROR", "it failed"),
    ]
    assert "ZeroDivisionError: division by zero" in entries[1]["exc"]

"""A stand-in for the Rasa server's `GET /status` on a local port (readiness tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fake_nlu import send_json, serving


@contextmanager
def rasa_status(token: str, model_file: str | None = "20250101-nlu.tar.gz") -> Iterator[str]:
    """Answer `/status?token=<token>` like Rasa (401 for another token); yields the URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            given = parse_qs(url.query).get("token", [""])[0]
            if url.path != "/status":
                send_json(self, 404, {})
            elif given != token:
                send_json(self, 401, {"message": "User is not authenticated."})
            else:
                send_json(self, 200, {"model_file": model_file, "num_active_training_jobs": 0})

    with serving(Handler) as url:
        yield url

"""A tiny stand-in for the Rasa server (`POST /model/parse`) on a local port, for unit tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Normalised text → [(intent, confidence), ...]; any other text is out of scope.
Answers = dict[str, list[tuple[str, float]]]


@contextmanager
def fake_nlu(answers: Answers) -> Iterator[str]:
    """Serve `answers` on 127.0.0.1; yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            text = json.loads(self.rfile.read(length))["text"]
            ranking = answers.get(text, [("out_of_scope", 0.9)])
            items = [{"name": name, "confidence": conf} for name, conf in ranking]
            send_json(self, 200, {"intent": items[0], "intent_ranking": items})

    with serving(Handler) as url:
        yield url


def send_json(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    """Answer a request with `body` as JSON."""
    data = json.dumps(body).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on a free port of 127.0.0.1 in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

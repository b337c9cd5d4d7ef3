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
            body = json.dumps({"intent": items[0], "intent_ranking": items}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

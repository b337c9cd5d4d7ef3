"""Idle keep-alive connections: each server of the stack keeps one open longer than the
clients' pools keep it (httpx: 5 s). Were both 5 s, a server could close a connection at
the moment a client reuses it, and that request would be lost: a parse answered with the
fallback, or an outbox message marked "may have been delivered" and never resent."""

from __future__ import annotations

import select
import socket
import time

from tests.e2e.stack import Stack

IDLE = 6.5  # seconds: past the 5 s both httpx and Sanic/uvicorn default to


def open_after_a_request(port: int, path: str) -> socket.socket:
    """A connection that has had one full HTTP/1.1 exchange and now sits idle."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += conn.recv(4096)
    header, _, body = head.partition(b"\r\n\r\n")
    assert header.startswith(b"HTTP/1.1 "), header
    length = next(
        int(line.split(b":", 1)[1])
        for line in header.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += conn.recv(4096)
    return conn


def closed_by_peer(conn: socket.socket) -> bool:
    readable, _, _ = select.select([conn], [], [], 0)
    return bool(readable) and conn.recv(1, socket.MSG_PEEK) == b""


def test_idle_connections_stay_open_past_the_clients_expiry(stack: Stack) -> None:
    servers = {
        "rasa": open_after_a_request(stack.rasa_port, "/"),
        "sandbox": open_after_a_request(stack.sandbox_port, "/sandbox/api/limits"),
        "console": open_after_a_request(stack.console_port, "/healthz"),
    }
    time.sleep(IDLE)
    try:
        closed = [name for name, conn in servers.items() if closed_by_peer(conn)]
        assert closed == []
    finally:
        for conn in servers.values():
            conn.close()

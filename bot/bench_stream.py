"""A steady stream of citizens' questions through the sandbox, each from a chat of its own
so that every reply is attributed to its message: reply latency, lost, duplicated and
failed ("understanding unavailable") messages. Also the resident memory of the Rasa
servers a process started. Used by `tiepdan bench activate` and the e2e tests."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bot import texts
from bot.bench import summary

QUESTIONS = (
    "thủ tục đăng ký khai sinh cần những gì",
    "lam giay ket hon can mang gi",
    "chứng thực bản sao hết bao nhiêu tiền",
    "đăng ký thường trú cần giấy tờ gì",
    "xin chào",
)
REPLY_TIMEOUT = 15.0


@dataclass
class Sent:
    """One citizen message and what came back."""

    chat_id: int
    text: str
    at: float
    latency: float | None = None
    replies: list[str] = field(default_factory=list)


class CitizenStream:
    """Sends one question every `interval` seconds, each from a new chat, until stopped."""

    def __init__(
        self,
        api: str,
        *,
        interval: float = 0.3,
        first_chat: int = 880_000_000,
        questions: tuple[str, ...] = QUESTIONS,
    ) -> None:
        self.api = api
        self.interval = interval
        self.sent: list[Sent] = []
        self._next_chat = first_chat
        self._questions = questions

    async def run(self, stop: asyncio.Event) -> None:
        """Send and watch for replies until `stop`; then wait for the last replies."""
        async with httpx.AsyncClient(timeout=10) as http:
            watcher = asyncio.create_task(self._watch(http, stop))
            while not stop.is_set():
                text = self._questions[len(self.sent) % len(self._questions)]
                item = Sent(self._next_chat, text, time.monotonic())
                self._next_chat += 1
                self.sent.append(item)
                await http.post(f"{self.api}/send", json={"chat_id": item.chat_id, "text": text})
                await asyncio.sleep(max(0.0, item.at + self.interval - time.monotonic()))
            await watcher
            await asyncio.sleep(2.0)  # a duplicate would come now
            for item in self.sent:
                item.replies = await self._replies(http, item)

    async def _watch(self, http: httpx.AsyncClient, stop: asyncio.Event) -> None:
        while True:
            now = time.monotonic()
            waiting = [s for s in self.sent if s.latency is None and now - s.at < REPLY_TIMEOUT]
            if stop.is_set() and not waiting:
                return
            for item in waiting:
                if await self._replies(http, item):
                    item.latency = time.monotonic() - item.at
            await asyncio.sleep(0.01)

    async def _replies(self, http: httpx.AsyncClient, item: Sent) -> list[str]:
        response = await http.get(
            f"{self.api}/messages", params={"chat_id": item.chat_id, "after": 0}
        )
        return [str(m.get("text", "")) for m in response.json()]

    def report(self, start: float | None = None, end: float | None = None) -> dict[str, Any]:
        """Latency and losses of the messages sent in [start, end) (monotonic clock)."""
        chosen = [
            s for s in self.sent if (start is None or s.at >= start) and (end is None or s.at < end)
        ]
        latencies = [s.latency for s in chosen if s.latency is not None]
        return {
            "messages": len(chosen),
            "lost": sum(not s.replies for s in chosen),
            "duplicated": sum(len(s.replies) > 1 for s in chosen),
            "failed": sum(texts.NLU_DOWN in s.replies for s in chosen),
            "latency": summary(latencies) if latencies else None,
        }


def rasa_servers(parent: int) -> dict[int, int]:
    """Resident memory (bytes) by pid of the Rasa servers `parent` started."""
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            status = (entry / "status").read_text()
        except OSError:
            continue
        if b"nlu.rasa_serve" not in argv:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["PPid"]) == parent and "VmRSS" in fields:
            found[int(entry.name)] = int(fields["VmRSS"].split()[0]) * 1024
    return found


class MemoryPeak:
    """Samples the Rasa servers of `parent` until stopped: the peak of their sum."""

    def __init__(self, parent: int, interval: float = 0.2) -> None:
        self.parent = parent
        self.interval = interval
        self.peak_bytes = 0
        self.peak_servers = 0
        self.most_servers = 0

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            servers = await asyncio.to_thread(rasa_servers, self.parent)
            total = sum(servers.values())
            self.most_servers = max(self.most_servers, len(servers))
            if total > self.peak_bytes:
                self.peak_bytes, self.peak_servers = total, len(servers)
            await asyncio.sleep(self.interval)

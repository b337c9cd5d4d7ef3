"""The bot's Prometheus metrics, bumped where things happen by one-line calls.

They live in prometheus-client's default registry, so when the console runs in the bot's
process (`tiepdan run`) its `/metrics` shows them (with the database's figures, see
`bot.ops.db_metrics`). Kept light: the NLU client imports this module.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable

import httpx
from prometheus_client import Counter, Histogram, disable_created_metrics

# No `*_created` series beside each counter and histogram: Prometheus needs none, and they
# double what a scrape carries.
disable_created_metrics()  # type: ignore[no-untyped-call]

UPDATE_KINDS = ("message", "callback_query", "edited_message", "other")
NLU_OUTCOMES = ("ok", "error", "timeout")

UPDATES = Counter("tiepdan_updates", "Updates the bot received, by kind.", ["kind"])
REPLIES = Counter(
    "tiepdan_replies", "Replies to citizens' free text, by the action taken.", ["action"]
)
REPLY_SECONDS = Histogram(
    "tiepdan_reply_seconds",
    "From the bot's first handler seeing a free-text question to its reply being sent.",
    buckets=(0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
)
NLU_REQUESTS = Counter(
    "tiepdan_nlu_requests", "Parse requests to the NLU server, by outcome.", ["outcome"]
)
NLU_SECONDS = Histogram(
    "tiepdan_nlu_seconds",
    "Duration of parse requests to the NLU server (failed ones included).",
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)

# When each update in flight was first seen (by update id), for the reply latency. Bounded:
# updates that never get a free-text reply (buttons, files, dropped floods) fall out.
_SEEN_CAP = 10_000
_seen: OrderedDict[int, float] = OrderedDict()


def expect_series(actions: Iterable[str]) -> None:
    """Show every update kind, reply action and NLU outcome from the start, at 0 (the bot
    process calls this once; a console alone shows none of the bot's counters)."""
    for kind in UPDATE_KINDS:
        UPDATES.labels(kind)
    for action in actions:
        REPLIES.labels(action)
    for outcome in NLU_OUTCOMES:
        NLU_REQUESTS.labels(outcome)


def update_received(kind: str, update_id: int) -> None:
    """Count an update and remember when it arrived."""
    UPDATES.labels(kind if kind in UPDATE_KINDS else "other").inc()
    _seen[update_id] = time.perf_counter()
    while len(_seen) > _SEEN_CAP:
        _seen.popitem(last=False)


def replied(update_id: int, action: str) -> None:
    """Count a reply to a free-text question and observe its latency."""
    REPLIES.labels(action).inc()
    started = _seen.pop(update_id, None)
    if started is not None:
        REPLY_SECONDS.observe(time.perf_counter() - started)


def nlu_observed(started: float, error: BaseException | None = None) -> None:
    """Count one parse request begun at `started` (perf_counter) and observe its duration;
    `error` is what made it fail (a timeout counts apart)."""
    NLU_SECONDS.observe(time.perf_counter() - started)
    if error is None:
        outcome = "ok"
    elif isinstance(error, httpx.TimeoutException):
        outcome = "timeout"
    else:
        outcome = "error"
    NLU_REQUESTS.labels(outcome).inc()

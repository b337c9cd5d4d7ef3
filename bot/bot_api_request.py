"""The HTTP client that sends the bot's requests to the Bot API.

PTB's own (HTTPXRequest, up to 256 connections), keeping at most `KEEP_IDLE` of them open
while idle. httpcore's pool looks at every connection, and for each idle one counts the
idle ones again, twice per request: with the ~50 idle connections a busy minute leaves
behind, that scan took 5.8 % of the bot's time at 50 citizens in the load benchmark (3.0 %
with this limit; docs/benchmarks.md). A burst still opens as many connections as it needs.
"""

from __future__ import annotations

import httpx
from telegram.request import HTTPXRequest

MAX_CONNECTIONS = 256
KEEP_IDLE = 8


def bot_api_request() -> HTTPXRequest:
    """The request object for the bot's Bot API calls (getUpdates has its own)."""
    limits = httpx.Limits(max_connections=MAX_CONNECTIONS, max_keepalive_connections=KEEP_IDLE)
    return HTTPXRequest(connection_pool_size=MAX_CONNECTIONS, httpx_kwargs={"limits": limits})

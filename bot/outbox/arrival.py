"""Whether a failed Bot API request may still have reached Telegram.

The Bot API cannot be asked whether a message was delivered, so what the transport says
is all we know. A request that never left (no connection, no free connection in the
pool, its body not fully written) certainly did not arrive: sending it again is safe. A
request that was sent but whose answer never came (a read timeout, a connection dropped
while waiting) may have been delivered. Answers with a status (4xx, 5xx, 429) are
definite: Telegram refused the message.
"""

from __future__ import annotations

import httpx
from telegram.error import TelegramError, TimedOut

# The request never (completely) left this machine.
_NOT_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
)
# The request was sent; its answer was lost.
_ANSWER_LOST = (httpx.ReadError, httpx.ReadTimeout, httpx.RemoteProtocolError)


def may_have_arrived(error: TelegramError) -> bool:
    """True when `error` leaves open whether Telegram received the request.

    PTB keeps the transport error as the cause (`raise TimedOut from err`); a TimedOut
    without a known cause counts as "may have arrived", to be safe.
    """
    cause = error.__cause__
    if isinstance(cause, _NOT_SENT):
        return False
    return isinstance(error, TimedOut) or isinstance(cause, _ANSWER_LOST)

"""The per-address log-in throttle."""

from __future__ import annotations

from bot.console.throttle import LoginThrottle


def test_an_address_waits_after_too_many_failures_then_may_try_again() -> None:
    throttle = LoginThrottle(limit=3, window=60)
    for second in range(3):
        assert throttle.retry_after("10.0.0.1", now=float(second)) == 0
        throttle.failed("10.0.0.1", now=float(second))
    assert throttle.retry_after("10.0.0.1", now=3.0) == 58
    assert throttle.retry_after("10.0.0.2", now=3.0) == 0
    assert throttle.retry_after("10.0.0.1", now=61.0) == 0


def test_a_success_forgets_the_failures() -> None:
    throttle = LoginThrottle(limit=1, window=60)
    throttle.failed("a", now=0.0)
    assert throttle.retry_after("a", now=1.0) > 0
    throttle.succeeded("a")
    assert throttle.retry_after("a", now=1.0) == 0

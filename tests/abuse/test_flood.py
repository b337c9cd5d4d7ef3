from __future__ import annotations

from bot.abuse.flood import WINDOW, FloodGate, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_one_warning_then_silence_until_the_window_has_room() -> None:
    clock = Clock()
    gate = FloodGate(3, clock=clock)
    verdicts = [gate.admit(1) for _ in range(6)]
    assert verdicts == [Verdict.PASS] * 3 + [Verdict.WARN] + [Verdict.DROP] * 2
    assert gate.admit(2) is Verdict.PASS  # other chats are not held back
    clock.now += WINDOW / 2
    assert gate.admit(1) is Verdict.DROP
    clock.now += WINDOW / 2 + 0.001  # the first three are now older than a minute
    assert [gate.admit(1) for _ in range(4)] == [Verdict.PASS] * 3 + [Verdict.WARN]


def test_a_steady_pace_under_the_budget_always_passes() -> None:
    clock = Clock()
    gate = FloodGate(20, clock=clock)
    for _ in range(200):
        assert gate.admit(5) is Verdict.PASS
        clock.now += WINDOW / 20 + 0.01


def test_quiet_chats_are_forgotten() -> None:
    clock = Clock()
    gate = FloodGate(2, clock=clock)
    for chat in range(999):
        gate.admit(chat)
    clock.now += WINDOW + 1
    gate.admit(0)  # the 1000th admission sweeps
    assert len(gate._chats) == 1

"""The bot killed right as a citizen confirms a case: after the restart, pressing confirm
again gives exactly one case (made before the kill, or now), never two, never none."""

from __future__ import annotations

import time

import pytest

from bot.texts import cases as texts
from tests.e2e.intake import last, stored_cases
from tests.e2e.stack import Citizen, Stack, buttons
from tests.e2e.test_cases import kill
from tests.e2e.test_faults_db import _address, to_summary
from tests.e2e.test_faults_outbox import split_stack  # noqa: F401 (the fixture)

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("wait", [0.0, 0.05, 0.3])
def test_killed_during_a_confirm_one_case(split_stack: Stack, wait: float) -> None:  # noqa: F811
    citizen = Citizen(split_stack, chat_id=3201)
    summary = to_summary(citizen, _address(citizen))
    data = buttons(summary)[texts.BUTTON_CONFIRM]
    citizen.click(summary["message_id"], data)
    time.sleep(wait)
    kill(split_stack)
    split_stack.start(ready_timeout=60)
    citizen.click(summary["message_id"], data)  # the button, pressed again
    receipt = last(citizen)
    assert "Đã tiếp nhận đơn" in receipt["text"], receipt
    [case] = stored_cases(split_stack)  # exactly one
    assert case.code in receipt["text"] and case.events

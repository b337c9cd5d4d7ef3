from __future__ import annotations

import pytest

from bot.console.case_forms import FormProblem, number, version


@pytest.mark.parametrize("raw", ["²", "３", "1²", "-1", "0"])
def test_numbers_in_forms_are_ascii_digits(raw: str) -> None:
    with pytest.raises(FormProblem):
        number({"days": raw}, "days")


def test_version_refuses_superscripts() -> None:
    with pytest.raises(FormProblem):
        version({"version": "²"})
    assert version({"version": "3"}) == 3

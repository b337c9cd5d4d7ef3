"""The custom Rasa components (nlu/linear_intent.py, nlu/offtopic.py), exercised in the
Rasa venv by the scripts of rasa_side/."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.settings import get_settings
from nlu.train import rasa_env

CHECKS = Path(__file__).parent / "rasa_side"


@pytest.mark.e2e
@pytest.mark.parametrize(
    "check",
    [
        # trains on hand-made features, saves, loads, ranks every intent
        "check_linear_intent.py",
        # reads its lists, trains, saves, loads, scores a lookalike above 0
        "check_offtopic.py",
    ],
)
def test_component_trains_saves_loads_and_predicts(check: str) -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    result = subprocess.run(
        [str(python), str(CHECKS / check)],
        env=rasa_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")

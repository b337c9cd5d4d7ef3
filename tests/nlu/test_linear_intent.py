"""The custom Rasa classifier (nlu/linear_intent.py), exercised in the Rasa venv."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.settings import get_settings
from nlu.train import rasa_env

CHECK = Path(__file__).parent / "rasa_side" / "check_linear_intent.py"


@pytest.mark.e2e
def test_classifier_trains_saves_loads_and_ranks_every_intent() -> None:
    python = get_settings().rasa_venv / "bin" / "python"
    result = subprocess.run(
        [str(python), str(CHECK)], env=rasa_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")

"""Training the Rasa NLU model, cached by a fingerprint of everything it depends on."""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import tempfile
from pathlib import Path
from typing import IO

from bot.settings import PROJECT_ROOT, Settings
from nlu import normalize, training_data
from nlu.training_data import prepare, read_examples, training_files, write_rasa_yml

log = logging.getLogger(__name__)

CONFIG_FILE = PROJECT_ROOT / "config.yml"
MODEL_PREFIX = "nlu-"


def fingerprint(files: list[Path], config: Path = CONFIG_FILE) -> str:
    """A hash of the pipeline, the training data and the code that prepares it."""
    digest = hashlib.sha256()
    sources = [Path(normalize.__file__), Path(training_data.__file__), config, *files]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(settings: Settings, files: list[Path] | None = None) -> Path:
    """Where the model for the current data lives (whether or not it exists yet)."""
    return settings.models_dir / f"{MODEL_PREFIX}{fingerprint(files or training_files())}.tar.gz"


def rasa_env() -> dict[str, str]:
    """Environment for Rasa commands: no telemetry, quiet TensorFlow."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
    }


def rasa_executable(settings: Settings) -> Path:
    """The `rasa` command of the Rasa venv, or a clear error how to get it."""
    path = settings.rasa_venv / "bin" / "rasa"
    if not path.exists():
        raise SystemExit(f"Rasa is not installed at {settings.rasa_venv}: run `make setup` first.")
    return path


def train(
    settings: Settings,
    *,
    files: list[Path] | None = None,
    force: bool = False,
    output: IO[str] | None = None,
) -> Path:
    """Train the model for the current data unless it already exists; return its path."""
    files = files or training_files()
    target = model_path(settings, files)
    if target.exists() and not force:
        log.info("NLU model up to date: %s", target.name)
        return target
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.models_dir, prefix=".train-") as tmp:
        work = Path(tmp)
        data_file = work / "train.yml"
        write_rasa_yml(prepare(read_examples(files)), data_file)
        command = [
            str(rasa_executable(settings)), "train", "nlu",
            "--config", str(CONFIG_FILE),
            "--nlu", str(data_file),
            "--out", str(work / "out"),
            "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        ]  # fmt: skip
        log.info("Training the NLU model (%d files)…", len(files))
        subprocess.run(command, cwd=work, env=rasa_env(), check=True, stdout=output, stderr=output)
        # Rasa writes the archive in place; moving it in whole means no half-written model.
        os.replace(work / "out" / target.name, target)
    return target

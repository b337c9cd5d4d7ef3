"""Training the Rasa NLU model, cached by a fingerprint of everything it depends on."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from bot.settings import PROJECT_ROOT, Settings
from nlu import normalize, training_data
from nlu.training_data import NLU_DIR, prepare, read_examples, training_files, write_rasa_yml

logger = logging.getLogger(__name__)

CONFIG_FILE = PROJECT_ROOT / "config.yml"
# The custom components config.yml names and the modules only they use; they run in the
# Rasa venv, so they are not imported here.
COMPONENT_FILES = tuple(
    PROJECT_ROOT / "nlu" / name
    for name in ("linear_intent.py", "offtopic.py", "rasa_component.py", "ngrams.py")
)
MODEL_PREFIX = "nlu-"


def fingerprint(files: list[Path], config: Path = CONFIG_FILE) -> str:
    """A hash of the pipeline, the training data and the code that prepares it."""
    digest = hashlib.sha256()
    sources = [
        Path(normalize.__file__),
        Path(training_data.__file__),
        *COMPONENT_FILES,
        *sorted(training_data.OFF_TOPIC_DIR.glob("*.txt")),
        config,
        *files,
    ]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_file(models_dir: Path, files: list[Path]) -> Path:
    """Where the model trained on `files` (exported training data) lives."""
    return models_dir / f"{MODEL_PREFIX}{fingerprint(files)}.tar.gz"


def model_path(settings: Settings, data_dir: Path | None = None) -> Path:
    """Where the model for the current data lives (whether or not it exists yet): the
    training data exported in `data_dir`, or else the database's at DATABASE_URL."""
    if data_dir is not None:
        return model_file(settings.models_dir, training_files(data_dir))
    with exported_data(settings) as (_, files):
        return model_file(settings.models_dir, files)


@contextlib.contextmanager
def exported_data(settings: Settings) -> Iterator[tuple[Path, list[Path]]]:
    """The database's training data (migrated and seeded first, as every process does)
    exported to a temporary folder: (folder, files)."""
    from bot.bootstrap import prepare_database  # the database side imports nothing of this
    from bot.db import session_scope
    from nlu.training_export import export_training_data

    prepare_database(settings)
    with tempfile.TemporaryDirectory(prefix="tiepdan-train-data-") as tmp:
        with session_scope(settings.database_url) as session:
            files = export_training_data(session=session, directory=Path(tmp))
        yield Path(tmp), files


def rasa_env() -> dict[str, str]:
    """Environment for Rasa commands: no telemetry, quiet TensorFlow, and the project
    root on the path so that Rasa finds the classifier config.yml names."""
    path = os.pathsep.join(p for p in (str(PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p)
    return {
        **os.environ,
        "PYTHONPATH": path,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "PYTHONWARNINGS": "ignore",
    }


def run_rasa_script(
    settings: Settings,
    script: str,
    payload: object,
    *args: str,
    timeout: float | None = None,
) -> Any:
    """Run `nlu/<script>` in the Rasa venv as `script ARGS... IN_JSON OUT_JSON`, with
    `payload` as IN_JSON, and return what it wrote to OUT_JSON (the process is killed
    after `timeout` seconds: subprocess.TimeoutExpired)."""
    python = settings.rasa_venv / "bin" / "python"
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.json", Path(tmp) / "out.json"
        source.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        command = [str(python), str(NLU_DIR / script), *args, str(source), str(target)]
        subprocess.run(
            command, env=rasa_env(), check=True, capture_output=True, cwd=tmp, timeout=timeout
        )
        return json.loads(target.read_text(encoding="utf-8"))


def rasa_executable(settings: Settings) -> Path:
    """The `rasa` command of the Rasa venv, or a clear error how to get it."""
    return _rasa_venv_file(settings, "rasa")


def rasa_python(settings: Settings) -> Path:
    """The Python interpreter of the Rasa venv, or a clear error how to get it."""
    return _rasa_venv_file(settings, "python")


def _rasa_venv_file(settings: Settings, name: str) -> Path:
    path = settings.rasa_venv / "bin" / name
    if not path.exists():
        raise SystemExit(f"Rasa is not installed at {settings.rasa_venv}: run `make setup` first.")
    return path


@dataclass(frozen=True)
class TrainingRun:
    """A finished training: the model, how long it took and its peak memory."""

    model: Path
    seconds: float
    peak_mb: float
    examples: int


def stats_path(model: Path) -> Path:
    """The JSON file beside a model that records its training figures."""
    return model.with_name(model.name.removesuffix(".tar.gz") + ".json")


def read_stats(model: Path) -> TrainingRun | None:
    """The training figures recorded for `model`, if any."""
    path = stats_path(model)
    if not path.exists():
        return None
    raw = json.loads(path.read_text(encoding="utf-8"))
    return TrainingRun(model, float(raw["seconds"]), float(raw["peak_mb"]), int(raw["examples"]))


def train_model(
    settings: Settings,
    *,
    config: Path,
    examples: Mapping[str, list[str]],
    target: Path,
    output: IO[str] | None = None,
) -> TrainingRun:
    """Run `rasa train nlu` on `examples` with `config`, measuring time and peak memory."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".train-") as tmp:
        work = Path(tmp)
        data_file = work / "train.yml"
        write_rasa_yml(examples, data_file)
        command = [
            str(rasa_executable(settings)), "train", "nlu",
            "--config", str(config),
            "--nlu", str(data_file),
            "--out", str(work / "out"),
            "--fixed-model-name", target.name.removesuffix(".tar.gz"),
        ]  # fmt: skip
        started = time.monotonic()
        process = subprocess.Popen(command, cwd=work, env=rasa_env(), stdout=output, stderr=output)
        # wait4 gives this child's own peak resident memory (ru_maxrss, KiB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise subprocess.CalledProcessError(process.returncode, command[:3])
        run = TrainingRun(
            model=target,
            seconds=round(time.monotonic() - started, 1),
            peak_mb=round(usage.ru_maxrss / 1024, 1),
            examples=sum(len(lines) for lines in examples.values()),
        )
        # Rasa writes the archive in place; moving it in whole means no half-written model.
        os.replace(work / "out" / target.name, target)
    figures = {"seconds": run.seconds, "peak_mb": run.peak_mb, "examples": run.examples}
    stats_path(target).write_text(json.dumps(figures), encoding="utf-8")
    return run


def train(settings: Settings, force: bool = False, *, output: IO[str] | None = None) -> Path:
    """Train the model for the database's current training data unless it already exists
    (same exported bytes, config and code); return its path."""
    with exported_data(settings) as (data_dir, files):
        target = model_file(settings.models_dir, files)
        if target.exists() and not force:
            logger.info("NLU model up to date: %s", target.name)
            return target
        return train_from(settings, data_dir, out_dir=settings.models_dir, log=output)


def train_from(
    settings: Settings, data_dir: Path, *, out_dir: Path, log: IO[str] | None = None
) -> Path:
    """Train on the training data exported in `data_dir` (always, even if the model file
    exists) into `out_dir/nlu-<fingerprint>.tar.gz`; Rasa's output goes to `log`."""
    files = training_files(data_dir)
    if not files:
        raise ValueError(f"no training data in {data_dir}")
    target = model_file(out_dir, files)
    logger.info("Training the NLU model (%d intents)…", len(files))
    run = train_model(
        settings,
        config=CONFIG_FILE,
        examples=prepare(read_examples(files)),
        target=target,
        output=log,
    )
    logger.info("Trained %s in %.0f s (peak %.0f MB)", target.name, run.seconds, run.peak_mb)
    return target

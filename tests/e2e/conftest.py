"""E2E fixtures: the real `tiepdan run` (sandbox + Rasa + bot) as a separate process."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import get_settings
from nlu.train import model_path
from tests.e2e.stack import Stack


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """The model for the current data; `make test` trains it before pytest starts."""
    path = model_path(get_settings())
    if not path.exists():
        pytest.fail(f"no trained model at {path}: run `make test` (or `tiepdan nlu train`) first")
    return path


@pytest.fixture(scope="session")
def stack(trained_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Everything `make run` starts: the sandbox, the Rasa server and the bot."""
    with Stack(workdir=tmp_path_factory.mktemp("stack")).running() as running:
        yield running


@pytest.fixture(scope="session")
def hung_rasa() -> Iterator[int]:
    """A port that accepts connections and never answers, like a stuck Rasa server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


@pytest.fixture(scope="session")
def stack_without_nlu(hung_rasa: int, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The bot and sandbox with an NLU server that does not answer."""
    stack = Stack(
        workdir=tmp_path_factory.mktemp("no-nlu"),
        args=["--no-rasa"],
        env_overrides={"RASA_TOKEN": "e2e-secret-token"},
        rasa_port=hung_rasa,
    )
    with stack.running(ready_timeout=60) as running:
        yield running

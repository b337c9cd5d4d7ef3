"""One bot and sandbox per fuzz module (starting one per example would be far too slow)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.stack import BotThread


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotThread]:
    with BotThread(tmp_path_factory.mktemp("fuzz")) as running:
        yield running

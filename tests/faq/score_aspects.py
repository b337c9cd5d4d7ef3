"""Scores aspect recognition on the held-out sets (run once; never tune rules to them).

    .venv/bin/python -m tests.faq.score_aspects

A message is right when the aspect its reply would lead with (or the overview, when it
names none) is one the set accepts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.faq.aspects import aspects_in

TEST_DATA = Path(__file__).resolve().parents[2] / "nlu" / "data" / "test"


def labelled(name: str) -> Iterator[tuple[str, list[str]]]:
    """(text, accepted aspects) of every message of held-out file `name` with an aspect."""
    raw: dict[str, Any] = yaml.safe_load((TEST_DATA / name).read_text(encoding="utf-8"))
    items = raw.get("messages") or [t for d in raw.get("dialogues", []) for t in d["turns"]]
    for item in items:
        aspect = item.get("aspect")
        if item.get("expect") == "answer" and aspect is not None:
            yield item["text"], aspect if isinstance(aspect, list) else [aspect]


def leading(text: str) -> str:
    """The aspect a reply to `text` leads with, "overview" for none."""
    found = aspects_in(text)
    return str(found[0]) if found else "overview"


def main() -> None:
    for name in ("adversarial.yml", "dialogues.yml"):
        rows = list(labelled(name))
        right = sum(leading(text) in want for text, want in rows)
        print(f"{name}: {right}/{len(rows)} = {right / len(rows):.1%} right")


if __name__ == "__main__":
    main()

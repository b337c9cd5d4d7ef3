"""Reading Rasa NLU yml files and writing the normalised training file Rasa trains on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from nlu.normalize import folded_text, model_text

NLU_DIR = Path(__file__).resolve().parent
TRAIN_DIR = NLU_DIR / "data" / "train"
TEST_DIR = NLU_DIR / "data" / "test"
# Messages that borrow our words but are not ours, for the off-topic check (nlu/offtopic.py).
OFF_TOPIC_DIR = NLU_DIR / "data" / "offtopic"


def read_examples(paths: Iterable[Path]) -> dict[str, list[str]]:
    """Intent → examples from Rasa yml files (`nlu: - intent: x / examples: |- ...`)."""
    examples: dict[str, list[str]] = {}
    for path in sorted(paths):
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in document.get("nlu") or []:
            if "intent" not in block:
                continue
            lines = examples.setdefault(str(block["intent"]), [])
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    lines.append(line[2:].strip())
    return examples


def training_files(directory: Path = TRAIN_DIR) -> list[Path]:
    """The training yml files, sorted."""
    return sorted(directory.glob("*.yml"))


def prepare(examples: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Examples per intent in the model's form (`model_text`), each followed by its
    accent-less copy (`folded_text`) when it has diacritics, de-duplicated, in order.

    The copies teach the blocks that read the text as written what a citizen who types
    without marks sends; the marks, when present, still tell "giảm cân" from "giám hộ".
    """
    prepared: dict[str, list[str]] = {}
    for intent, lines in sorted(examples.items()):
        forms = (form for line in lines for form in (model_text(line), folded_text(line)))
        prepared[intent] = list(dict.fromkeys(form for form in forms if form))
    return prepared


def write_rasa_yml(examples: Mapping[str, Iterable[str]], path: Path) -> None:
    """Write examples in Rasa's NLU yml format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    out = ['version: "3.1"', "nlu:"]
    for intent, lines in examples.items():
        out.append(f"- intent: {intent}")
        out.append("  examples: |")
        out.extend(f"    - {line}" for line in lines)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def off_topic_lines(directory: Path = OFF_TOPIC_DIR) -> list[str]:
    """The off-topic messages of `directory`'s `*.txt` lists as written (one per line
    after "- "; "#" lines are comments)."""
    return [
        line[2:]
        for path in sorted(directory.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.startswith("- ")
    ]


def write_off_topic(lines: Iterable[str], path: Path) -> None:
    """Write an off-topic list that `off_topic_lines` reads back."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"- {line}\n" for line in lines), encoding="utf-8")


def read_off_topic(directory: Path = OFF_TOPIC_DIR) -> list[str]:
    """`off_topic_lines` in the model's form, as `prepare` gives intent examples."""
    return prepare({"off_topic": off_topic_lines(directory)})["off_topic"]

"""The Rasa training data, written from the database's examples.

One `<intent>.yml` file per intent in the repository's format (`nlu/data/train/`), so the
same writer serves training and `tiepdan faq export`. The bytes are deterministic: files
are named by intent, and a file lists the intent's examples in the order they were added
(seeding adds a data file's examples in its order), so a database seeded from the
repository exports the repository's files, and two databases with the same examples
export the same bytes whatever their row ids or dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from bot.faq.examples import examples_by_intent


def intent_file_text(intent: str, texts: Iterable[str]) -> str:
    """One intent's examples in Rasa 3.1 NLU yml, as the repository writes them."""
    lines = ['version: "3.1"', "nlu:", f"- intent: {intent}", "  examples: |"]
    lines.extend(f"    - {text}" for text in texts)
    return "\n".join(lines) + "\n"


def write_intent_files(examples: Mapping[str, Iterable[str]], directory: Path) -> list[Path]:
    """Write `<intent>.yml` for every intent into `directory`; the files, sorted."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for intent in sorted(examples):
        path = directory / f"{intent}.yml"
        path.write_text(intent_file_text(intent, examples[intent]), encoding="utf-8")
        written.append(path)
    return written


def export_training_data(*, session: Session, directory: Path) -> list[Path]:
    """The training data of every intent that is answered or handled (inactive intents'
    examples are left out) as yml files in `directory`; the files, sorted by name."""
    return write_intent_files(examples_by_intent(session=session, active_only=True), directory)

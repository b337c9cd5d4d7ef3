"""`tiepdan bench understanding`: the held-out sets of issue 12 through the running NLU and
`decide`, as the bot would answer them (dialogues turn by turn, with the previous intent)."""

from __future__ import annotations

import asyncio
import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.answering.service import Decision, Thresholds, decide, thresholds_from
from bot.ask import nlu_client
from bot.db import session_scope
from bot.settings import PROJECT_ROOT, Settings
from bot.understanding_score import (
    Expectation,
    Outcome,
    Tally,
    adversarial_table,
    category,
    context_after,
    dialogue_table,
    load_dialogues,
    load_messages,
    tally_by,
    turn_groups,
)
from nlu.client import NluClient

TEST_DIR = PROJECT_ROOT / "nlu" / "data" / "test"
SECTION = "# Understanding benchmark (issue 12)"
COMMAND = "tiepdan bench understanding"


@dataclass
class Report:
    """The figures: tallies per kind (adversarial) and per turn number (dialogues)."""

    adversarial: dict[str, Tally]
    dialogues: dict[str, Tally]
    confident_wrong: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "adversarial": {k: t.as_dict() for k, t in self.adversarial.items()},
            "dialogues": {k: t.as_dict() for k, t in self.dialogues.items()},
            "confident_wrong": self.confident_wrong,
        }


def outcome_of(decision: Decision) -> Outcome:
    """What `tiepdan ask` reports for a decision, as the scoring functions read it."""
    return Outcome(
        action=decision.action.value,
        intent=decision.intent,
        aspect=decision.aspect,
        suggestions=tuple(s.intent for s in decision.suggestions),
    )


def _read(path: Path) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return raw


def _read_if_there(path: Path, key: str) -> dict[str, Any]:
    return _read(path) if path.exists() else {key: []}


class _Asker:
    """Parses with the running NLU and decides like the bot."""

    def __init__(self, settings: Settings, client: NluClient, thresholds: Thresholds) -> None:
        self.settings, self.client, self.thresholds = settings, client, thresholds

    async def outcome(self, text: str, previous: str | None) -> Outcome:
        parse = await self.client.parse(text)
        with session_scope(self.settings.database_url) as session:
            decision = decide(
                session=session,
                text=text,
                parse=parse,
                thresholds=self.thresholds,
                previous=previous,
            )
        return outcome_of(decision)


async def run_understanding_bench(settings: Settings, test_dir: Path = TEST_DIR) -> Report:
    """Every adversarial message alone, every dialogue turn by turn (files in `test_dir`;
    a set whose file is missing there is skipped, e.g. the development folder's)."""
    client = nlu_client(settings)
    asker = _Asker(settings, client, thresholds_from(settings))
    wrong: list[dict[str, Any]] = []
    try:
        scored_messages = []
        for expected in load_messages(_read_if_there(test_dir / "adversarial.yml", "messages")):
            outcome = await asker.outcome(expected.text, None)
            scored_messages.append((expected.kind, expected, outcome))
            _note_wrong(wrong, "adversarial", expected, outcome)
        scored_turns: list[tuple[str, Expectation, Outcome]] = []
        for dialogue_id, turns in load_dialogues(
            _read_if_there(test_dir / "dialogues.yml", "dialogues")
        ):
            previous: str | None = None
            for group, expected in zip(turn_groups(turns), turns, strict=True):
                outcome = await asker.outcome(expected.text, previous)
                scored_turns.append((group, expected, outcome))
                _note_wrong(wrong, dialogue_id, expected, outcome)
                previous = context_after(outcome, previous)
    finally:
        await client.aclose()
    return Report(tally_by(scored_messages), tally_by(scored_turns), wrong)


def _note_wrong(
    wrong: list[dict[str, Any]], where: str, expected: Expectation, outcome: Outcome
) -> None:
    if category(expected, outcome) == "confident_wrong":
        wrong.append(
            {
                "in": where,
                "text": expected.text,
                "expected": list(expected.intents) or expected.referral or expected.expect,
                "given": outcome.intent,
                "action": outcome.action,
            }
        )


def markdown(report: Report) -> str:
    """The docs/benchmarks.md section."""
    return (
        f"{SECTION}\n\n"
        f"Measured {datetime.date.today():%Y-%m-%d} on this project's machine "
        f"({os.cpu_count()} cores) with `{COMMAND} --write docs/benchmarks.md` against "
        "`tiepdan nlu serve` and `decide`, exactly as `tiepdan ask` answers, both on a fresh "
        "database (`DATABASE_URL=sqlite:////tmp/fresh.db`): the training data and the "
        "answers are read from the database, so a development database with other examples "
        "serves another model. Neither set is used for training or tuning "
        "(nlu/data/test/README.md).\n\n"
        "**Adversarial messages** (`nlu/data/test/adversarial.yml`), each alone: *answered* = "
        "our right procedure given outright; *referred* = the right other body; *suggested* = "
        "a fallback offering a right procedure; *declined* = a fallback where nothing of ours "
        "fits; **confident wrong** = an answer or referral given outright that is not the "
        "right one (target < 2 %); *other* = a fallback that misses, or a conversation reply "
        "(small talk, an offer to lodge a complaint) instead of the expected one. *Aspect right*: among messages that "
        "ask about an aspect (or a general question = overview), the reply leads with it.\n\n"
        f"{adversarial_table(report.adversarial)}\n\n"
        "**Dialogues** (`nlu/data/test/dialogues.yml`), turn by turn with the previous turn's "
        "answered procedure as context (`previous`, as the bot's conversation context holds "
        "it: set by an answer, kept by small talk, cleared by anything else):\n\n"
        f"{dialogue_table(report.dialogues)}\n\n"
        "The same dialogues go through the sandbox against the real stack (sandbox + Rasa + "
        "bot) in `pytest -m e2e tests/e2e/test_understanding.py -s`, which reads each reply "
        "back (its bold title, the section it leads with), prints this table and asserts at "
        "least 80 % of turns right and 70 % of aspects right (floors set before the first "
        "run).\n"
    )


def tables(report: Report, sets: Path) -> str:
    """The tables alone, for sets other than the held-out ones (`--sets`)."""
    parts = [f"Sets in {sets}"]
    if report.adversarial["all"].total:
        parts.append(adversarial_table(report.adversarial))
    if report.dialogues["all"].total:
        parts.append(dialogue_table(report.dialogues))
    return "\n\n".join(parts) + "\n"


def write_markdown(path: Path, report: Report) -> None:
    """Put the section into `path`, keeping the other sections."""
    from bot.markdown_sections import write_section

    write_section(path, SECTION, markdown(report))


def run(settings: Settings, test_dir: Path = TEST_DIR) -> Report:
    return asyncio.run(run_understanding_bench(settings, test_dir))


def main(args: Any, settings: Settings) -> int:
    """`tiepdan bench understanding [--json] [--write PATH] [--sets DIR]`."""
    import json
    import sys

    from bot.ask import NluNotRunning
    from bot.bootstrap import prepare_database
    from nlu.client import NluUnavailable

    sets = Path(args.sets).resolve() if args.sets else TEST_DIR
    if args.write and sets != TEST_DIR:
        print("error: --write records the held-out sets only", file=sys.stderr)
        return 2
    prepare_database(settings)
    try:
        report = run(settings, sets)
    except (NluNotRunning, NluUnavailable) as exc:
        print(f"error: no NLU server answers ({exc}); start `tiepdan nlu serve`", file=sys.stderr)
        return 3
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    elif sets != TEST_DIR:
        print(tables(report, sets))
    else:
        print(markdown(report))
    if args.write:
        write_markdown(Path(args.write), report)
    return 0

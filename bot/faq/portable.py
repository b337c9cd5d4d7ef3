"""What the bot knows, as YAML files in the repository's format: export, import, and the
seeding of a database at start.

A knowledge folder holds `answers/<intent>.yml` (like bot/faq/data/answers; a referral to
another body says `kind: referral`), `topics.yml`
(bot/faq/data/topics.yml), `units.yml` (bot/units/data/units.yml), `canned_replies.yml`
(bot/cases/data/canned_replies.yml) and `train/<intent>.yml` (nlu/data/train, every
intent's examples including greet, complaint…). The repository's own files are one such
folder, spread over the packages, except that its referrals are one catalogue
(bot/faq/data/referrals.yml, read by bot/faq/referrals.py) rather than answer files. Export, import into a fresh database and export again
give the same bytes; comments and an example's source ("seed", "admin", "citizen") are
not part of the format.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.cases.canned import CANNED_FILE, read_canned_file
from bot.cases.models import CannedReply
from bot.faq.examples import examples_by_intent, import_examples, refresh_seeded_examples
from bot.faq.intents import deleted_intents, edited_intents
from bot.faq.models import PROCEDURE, FaqAnswer
from bot.faq.referrals import REFERRALS_FILE, read_referrals_file
from bot.faq.service import ANSWERS_DIR, AnswerData, import_answers, read_answer_files
from bot.faq.topics import TOPICS_FILE, import_topics, list_topics, read_topics_file
from bot.units.service import UNITS_FILE, import_units, list_units, read_units_file
from nlu.training_data import TRAIN_DIR, read_examples, training_files
from nlu.training_export import write_intent_files


@dataclass(frozen=True)
class KnowledgeFiles:
    """Where each part of a knowledge folder lives."""

    answers: Path
    topics: Path
    units: Path
    canned: Path
    train: Path
    # The repository's referral catalogue (a folder has them among its answers).
    referrals: Path | None = None

    @classmethod
    def in_folder(cls, directory: Path) -> KnowledgeFiles:
        """The layout `tiepdan faq export` writes."""
        return cls(
            answers=directory / "answers",
            topics=directory / "topics.yml",
            units=directory / "units.yml",
            canned=directory / "canned_replies.yml",
            train=directory / "train",
        )


# How a knowledge folder's import is audited.
KNOWLEDGE_TARGET = "knowledge"
IMPORT_ACTION = "import_knowledge"

REPOSITORY = KnowledgeFiles(
    ANSWERS_DIR, TOPICS_FILE, UNITS_FILE, CANNED_FILE, TRAIN_DIR, REFERRALS_FILE
)


def read_answers(files: KnowledgeFiles) -> list[AnswerData]:
    """Every answer of a knowledge folder (or the repository), referrals included, by intent."""
    answers = read_answer_files(files.answers) if files.answers.is_dir() else []
    if files.referrals is not None and files.referrals.exists():
        answers += read_referrals_file(files.referrals)
    return sorted(answers, key=lambda answer: answer.intent)


class _Flow(list[Any]):
    """A list written on one line: `intents: [a, b]`."""


class _Dumper(yaml.SafeDumper):
    """Block sequences indented under their key, multi-line texts as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(_Flow, _flow)


def dump_yaml(data: Any, path: Path) -> Path:
    """Write `data` as readable, deterministic YAML (keys in the given order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    path.write_text(text, encoding="utf-8")
    return path


def _answer(row: FaqAnswer) -> dict[str, Any]:
    data: dict[str, Any] = {
        "intent": row.intent,
        "title": row.title,
        "summary": row.summary,
        "sections": [
            {"label": s.get("label", ""), "text": s.get("text", "")} for s in row.sections
        ],
        "source_url": row.source_url,
        "checked_on": row.checked_on,
    }
    if row.topic is not None:
        data["topic"] = row.topic
    if row.kind != PROCEDURE:
        data["kind"] = row.kind
    if not row.active:
        data["active"] = False
    return data


def _optional(data: dict[str, Any], **values: Any) -> dict[str, Any]:
    """`data` plus the `values` that are set (the repository leaves empty ones out)."""
    return {**data, **{key: value for key, value in values.items() if value}}


def export_knowledge(*, session: Session, directory: Path) -> list[Path]:
    """Write everything the database knows into `directory`; the files written."""
    files = KnowledgeFiles.in_folder(directory)
    written = [
        dump_yaml(_answer(row), files.answers / f"{row.intent}.yml")
        for row in session.scalars(select(FaqAnswer).order_by(FaqAnswer.intent))
    ]
    topics = [
        _optional(
            {"id": t.id, "title": t.title, "intents": _Flow(t.intents)},
            keywords=_Flow(t.keywords),
        )
        for t in list_topics(session=session)
    ]
    written.append(dump_yaml(topics, files.topics))
    units = [
        {
            **_optional(
                {
                    "code": u.code,
                    "name": u.name,
                    "kind": u.kind,
                    "old_names": _Flow(u.old_names),
                },
                old_names_in_part=_Flow(u.old_names_in_part),
            ),
            "address": u.address,
            "phone": u.phone,
            "hours": u.hours,
            "reception_schedule": u.reception_schedule,
            "note": u.note,
        }
        for u in list_units(session=session)
    ]
    written.append(dump_yaml(units, files.units))
    canned = [
        _optional({"title": c.title}, kind=c.kind, status=c.status)
        | {"text": c.text}
        | ({} if c.active else {"active": False})
        for c in session.scalars(select(CannedReply).order_by(CannedReply.id))
    ]
    written.append(dump_yaml(canned, files.canned))
    examples = examples_by_intent(session=session, active_only=False)
    written += write_intent_files(examples, files.train)
    return written


def import_knowledge(
    *,
    session: Session,
    directory: Path | None,
    overwrite: bool,
    skip: Iterable[str] = (),
) -> dict[str, int]:
    """Load a knowledge folder (None: the repository's files) into the database: what the
    database lacks, or with `overwrite` everything the folder has (it becomes the truth for
    what it lists; nothing else is deleted). Intents in `skip` are left out. Parts missing
    from the folder are left alone. Returns how many of each were added or replaced."""
    files = REPOSITORY if directory is None else KnowledgeFiles.in_folder(directory)
    skipped = set(skip)
    counts = {"units": 0, "topics": 0, "canned_replies": 0, "answers": 0, "examples": 0}
    if files.units.exists():
        rows = read_units_file(files.units)
        counts["units"] = import_units(session=session, rows=rows, overwrite=overwrite)
    if files.topics.exists():
        counts["topics"] = import_topics(
            session=session, rows=read_topics_file(files.topics), overwrite=overwrite, skip=skipped
        )
    if files.canned.exists():
        rows = read_canned_file(files.canned)
        counts["canned_replies"] = import_canned(session=session, rows=rows, overwrite=overwrite)
    answers = read_answers(files)
    if answers:
        counts["answers"] = import_answers(
            session=session, answers=answers, overwrite=overwrite, skip=skipped
        )
    if files.train.is_dir():
        counts["examples"] = import_examples(
            session=session,
            examples=read_examples(training_files(files.train)),
            overwrite=overwrite,
            skip=skipped,
        )
    return counts


def knowledge_imported(*, session: Session) -> bool:
    """True when an admin (in the console) or an operator (`tiepdan faq import DIR`) ever
    loaded a knowledge folder of their own."""
    stmt = select(AuditEntry.id).where(
        AuditEntry.target_type == KNOWLEDGE_TARGET, AuditEntry.action == IMPORT_ACTION
    )
    return session.scalars(stmt.limit(1)).first() is not None


def seed_knowledge(*, session: Session) -> dict[str, int]:
    """At start: add from the repository's files what the database lacks, except the
    intents an admin deleted; admins' edits are never overwritten. The training examples
    of intents nobody has edited follow the files (a release's new examples reach a
    running deployment), unless an admin ever imported a knowledge folder: then that is
    the truth ("examples_updated" counts the intents changed)."""
    counts = import_knowledge(
        session=session,
        directory=None,
        overwrite=False,
        skip=deleted_intents(session=session),
    )
    counts["examples_updated"] = 0
    if not knowledge_imported(session=session) and REPOSITORY.train.is_dir():
        counts["examples_updated"] = refresh_seeded_examples(
            session=session,
            examples=read_examples(training_files(REPOSITORY.train)),
            keep=edited_intents(session=session),
        )
    return counts


def import_canned(*, session: Session, rows: list[dict[str, Any]], overwrite: bool) -> int:
    """Canned replies: all of them when there are none yet (admins may delete some, and
    those must not come back), or with `overwrite` by title: update those with the same
    title and add the others. The number added or replaced."""
    by_title = {row.title: row for row in session.scalars(select(CannedReply))}
    if by_title and not overwrite:
        return 0
    changed = 0
    for raw in rows:
        row = by_title.get(raw["title"])
        if row is None:
            row = by_title[raw["title"]] = CannedReply(title=raw["title"], updated_by="system")
            session.add(row)
        row.text = str(raw["text"]).strip()
        row.kind, row.status = raw.get("kind"), raw.get("status")
        row.active = bool(raw.get("active", True))
        changed += 1
    session.flush()
    return changed

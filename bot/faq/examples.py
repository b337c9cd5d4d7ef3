"""Training examples of the intents, kept in the database (the source of truth at run
time); `nlu/data/train/*.yml` seeds a new database and is the import/export format."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from bot.faq.models import FaqAnswer, FaqExample
from nlu.normalize import folded_text
from nlu.training_data import TRAIN_DIR, read_examples, training_files

MIN_EXAMPLES = 5
EXAMPLE_MAX = 300
# Two examples whose folded texts are at least this alike count as nearly identical.
NEAR_RATIO = 0.95
# Who added the examples that start-up seeding took from the repository's files.
SEED_ACTOR = "seed"


@dataclass(frozen=True)
class Clash:
    """An example (nearly) identical to one of another intent."""

    text: str
    other_intent: str
    other_title: str
    other_text: str


def clean_texts(texts: Iterable[str]) -> list[str]:
    """Texts stripped, without empty ones and exact repeats, in their first order."""
    return list(dict.fromkeys(t.strip() for t in texts if t.strip()))


def list_examples(*, session: Session, intent: str) -> list[FaqExample]:
    """An intent's examples in the order they were added."""
    stmt = select(FaqExample).where(FaqExample.intent == intent).order_by(FaqExample.id)
    return list(session.scalars(stmt))


def example_counts(*, session: Session) -> dict[str, int]:
    """Number of examples of every intent that has any."""
    stmt = select(FaqExample.intent, func.count()).group_by(FaqExample.intent)
    return {intent: int(count) for intent, count in session.execute(stmt)}


def examples_by_intent(*, session: Session, active_only: bool) -> dict[str, list[str]]:
    """Intent → example texts, intents sorted, examples in the order they were added.
    With `active_only`, intents whose answer is switched off are left out (intents with no
    answer, such as greet or complaint, always stay)."""
    inactive = set(session.scalars(select(FaqAnswer.intent).where(FaqAnswer.active.is_(False))))
    grouped: dict[str, list[str]] = {}
    for intent, text in session.execute(
        select(FaqExample.intent, FaqExample.text).order_by(FaqExample.id)
    ):
        if not (active_only and intent in inactive):
            grouped.setdefault(intent, []).append(text)
    return {intent: grouped[intent] for intent in sorted(grouped)}


def add_examples(
    *,
    session: Session,
    actor_tag: str,
    intent: str,
    texts: list[str],
    source: str = "admin",
) -> list[FaqExample]:
    """Add `texts` to `intent`, skipping exact duplicates of the intent's own examples."""
    have = {row.text for row in list_examples(session=session, intent=intent)}
    added = [
        FaqExample(intent=intent, text=text, source=source, created_by=actor_tag)
        for text in clean_texts(texts)
        if text not in have
    ]
    session.add_all(added)
    session.flush()
    return added


def replace_examples(
    *, session: Session, actor_tag: str, intent: str, texts: list[str], source: str = "admin"
) -> None:
    """Make the intent's examples exactly `texts`; unchanged ones keep their source and
    date, new ones get `source`."""
    wanted = clean_texts(texts)
    gone = [
        row.id for row in list_examples(session=session, intent=intent) if row.text not in wanted
    ]
    if gone:
        session.execute(delete(FaqExample).where(FaqExample.id.in_(gone)))
    add_examples(session=session, actor_tag=actor_tag, intent=intent, texts=wanted, source=source)


def delete_examples(*, session: Session, intent: str) -> int:
    """Remove every example of `intent`; the number removed."""
    result = session.execute(delete(FaqExample).where(FaqExample.intent == intent))
    return int(getattr(result, "rowcount", 0) or 0)


def seed_examples(
    *, session: Session, directory: Path = TRAIN_DIR, skip: Iterable[str] = ()
) -> int:
    """Add the examples of `directory` (Rasa yml files) for intents that have none yet (and
    are not in `skip`); the number of examples added."""
    return import_examples(
        session=session, examples=read_examples(training_files(directory)), skip=skip
    )


def import_examples(
    *,
    session: Session,
    examples: dict[str, list[str]],
    overwrite: bool = False,
    skip: Iterable[str] = (),
) -> int:
    """Examples for intents that have none (with `overwrite`: every intent's set becomes
    the given one); the number of examples added (with `overwrite`: in the sets given)."""
    have = example_counts(session=session)
    skipped = set(skip)
    added = 0
    for intent, texts in examples.items():
        if intent in skipped:
            continue
        if overwrite:
            replace_examples(
                session=session, actor_tag="import", intent=intent, texts=texts, source="seed"
            )
            added += len(clean_texts(texts))
        elif not have.get(intent):
            rows = add_examples(
                session=session, actor_tag=SEED_ACTOR, intent=intent, texts=texts, source="seed"
            )
            added += len(rows)
    return added


def refresh_seeded_examples(
    *, session: Session, examples: dict[str, list[str]], keep: Iterable[str] = ()
) -> int:
    """Bring intents that still hold only what start-up seeding gave them up to `examples`
    (the repository's files of a new release): their sets become the given ones. Intents in
    `keep` (changed by an admin) and intents with any example not from seeding (an admin's,
    a citizen's question assigned) are left alone. Returns the number of intents changed."""
    held = examples_by_intent(session=session, active_only=False)
    edited = set(keep) | set(
        session.scalars(
            select(FaqExample.intent)
            .where(or_(FaqExample.created_by.is_(None), FaqExample.created_by != SEED_ACTOR))
            .distinct()
        )
    )
    changed = 0
    for intent, texts in examples.items():
        wanted = clean_texts(texts)
        if intent in edited or intent not in held or set(held[intent]) == set(wanted):
            continue
        replace_examples(
            session=session, actor_tag=SEED_ACTOR, intent=intent, texts=wanted, source="seed"
        )
        changed += 1
    return changed


def near_duplicates(*, session: Session, intent: str, texts: Sequence[str]) -> list[Clash]:
    """The `texts` identical or nearly identical (after `folded_text` folding) to an
    example of another intent, each with the first such example."""
    titles = {
        intent: title
        for intent, title in session.execute(select(FaqAnswer.intent, FaqAnswer.title))
    }
    others = [
        (other, text, folded_text(text))
        for other, text in session.execute(
            select(FaqExample.intent, FaqExample.text)
            .where(FaqExample.intent != intent)
            .order_by(FaqExample.id)
        )
    ]
    exact: dict[str, tuple[str, str]] = {}
    for other, text, folded in others:
        exact.setdefault(folded, (other, text))
    clashes = []
    for text in clean_texts(texts):
        folded = folded_text(text)
        hit = exact.get(folded) or _nearest(folded, others)
        if hit is not None:
            other, other_text = hit
            clashes.append(Clash(text, other, titles.get(other, other), other_text))
    return clashes


def _nearest(folded: str, others: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """The first example whose folded text is at least NEAR_RATIO alike."""
    if not folded:
        return None
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded)
    for other, text, other_folded in others:
        matcher.set_seq1(other_folded)
        if (
            matcher.real_quick_ratio() >= NEAR_RATIO
            and matcher.quick_ratio() >= NEAR_RATIO
            and matcher.ratio() >= NEAR_RATIO
        ):
            return other, text
    return None

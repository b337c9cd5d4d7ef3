"""Scoring the bot's understanding against the held-out sets of issue 12.

Pure functions over what the bot did (an `Outcome`) and what the data expects (an
`Expectation`): used by `tiepdan bench understanding` (decisions of `decide`) and by the
end-to-end dialogue test (replies read back from the sandbox).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.answering.context import subject_after
from bot.faq.referrals import REFERRAL_PREFIX

OVERVIEW = "overview"
# Actions that commit to a subject (right when it is the expected one).
OUTRIGHT = frozenset({"faq", "refer", "complaint", "status"})
# An answer or referral given outright: a wrong one is a confident wrong answer (a wrong
# complaint or status offer only asks the citizen, so it counts as "other").
CONFIDENT = frozenset({"faq", "refer"})
SMALLTALK = frozenset({"smalltalk", "greet"})
CATEGORIES = ("answered", "referred", "suggested", "declined", "confident_wrong", "other")


@dataclass(frozen=True)
class Expectation:
    """One message or dialogue turn of the held-out data (README of nlu/data/test)."""

    text: str
    expect: str  # answer | refer | decline | suggest | smalltalk
    intents: tuple[str, ...] = ()  # the right intent(s); several only for `suggest`
    referral: str | None = None
    aspects: tuple[str, ...] = ()  # any of them is right; empty: not scored
    kind: str = ""

    @classmethod
    def from_data(cls, raw: Mapping[str, Any]) -> Expectation:
        intent = raw.get("intent")
        aspect = raw.get("aspect")
        return cls(
            text=str(raw["text"]),
            expect=str(raw["expect"]),
            intents=tuple(_strings(intent)),
            referral=str(raw["referral"]) if raw.get("referral") else None,
            aspects=tuple(_strings(aspect)),
            kind=str(raw.get("kind") or ""),
        )


@dataclass(frozen=True)
class Outcome:
    """What the bot did with one text: `tiepdan ask`'s action, intent, aspect, suggestions."""

    action: str
    intent: str | None
    aspect: str | None = None  # None for an overview or a reply that is no answer
    suggestions: tuple[str, ...] = ()


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def referral_intent(key: str) -> str:
    """The intent of the catalogue entry `key`."""
    return f"{REFERRAL_PREFIX}{key}"


def category(expected: Expectation, outcome: Outcome) -> str:
    """How the bot handled the text: one of CATEGORIES."""
    if expected.expect in ("answer", "suggest", "smalltalk") and outcome.intent in expected.intents:
        if expected.expect == "smalltalk" and outcome.action in SMALLTALK:
            return "answered"
        if outcome.action in OUTRIGHT - {"refer"}:
            return "answered"
    if (
        expected.expect == "refer"
        and expected.referral is not None
        and outcome.action == "refer"
        and outcome.intent == referral_intent(expected.referral)
    ):
        return "referred"
    if outcome.action == "fallback":
        if expected.expect == "decline":
            return "declined"
        if set(expected.intents) & set(outcome.suggestions):
            return "suggested"
    if outcome.action in CONFIDENT:
        return "confident_wrong"
    return "other"


def correct(expected: Expectation, outcome: Outcome) -> bool:
    """The right procedure, referral or action for the text."""
    return category(expected, outcome) not in ("confident_wrong", "other")


def aspect_right(expected: Expectation, outcome: Outcome) -> bool | None:
    """Whether the reply leads with an expected aspect (None: the text expects none)."""
    if not expected.aspects:
        return None
    given = outcome.aspect or OVERVIEW
    return category(expected, outcome) == "answered" and given in expected.aspects


def context_after(outcome: Outcome, previous: str | None) -> str | None:
    """The procedure the bot's context holds after `outcome`, as handlers/question.py keeps
    it (`bot.answering.context.subject_after`): the procedure just answered (a follow-up
    too); after small talk or a reply that answers nothing, still `previous`; a referral,
    a complaint or a status request ends the subject."""
    return subject_after(outcome.action, outcome.intent, previous)


@dataclass
class Tally:
    """Counts of categories, and of aspects right among texts that expect one."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    aspect_total: int = 0
    aspect_right: int = 0

    def add(self, expected: Expectation, outcome: Outcome) -> None:
        self.total += 1
        self.counts[category(expected, outcome)] += 1
        right = aspect_right(expected, outcome)
        if right is not None:
            self.aspect_total += 1
            self.aspect_right += int(right)

    @property
    def correct(self) -> int:
        return self.total - self.counts["confident_wrong"] - self.counts["other"]

    def share(self, name: str) -> float:
        count = self.correct if name == "correct" else self.counts[name]
        return count / self.total if self.total else 0.0

    @property
    def aspect_share(self) -> float | None:
        return self.aspect_right / self.aspect_total if self.aspect_total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            **{name: round(self.share(name), 4) for name in (*CATEGORIES, "correct")},
            "counts": dict(self.counts),
            "aspect_total": self.aspect_total,
            "aspect_right": None if self.aspect_share is None else round(self.aspect_share, 4),
        }


def tally_by(
    scored: Iterable[tuple[str, Expectation, Outcome]],
) -> dict[str, Tally]:
    """Tallies per group (e.g. per kind, per turn number), plus "all"."""
    tallies: dict[str, Tally] = {"all": Tally()}
    for group, expected, outcome in scored:
        tallies.setdefault(group, Tally()).add(expected, outcome)
        tallies["all"].add(expected, outcome)
    return tallies


def percent(share: float | None) -> str:
    return "-" if share is None else f"{100 * share:.1f} %"


def adversarial_table(tallies: Mapping[str, Tally]) -> str:
    """Markdown: per kind and overall, the share of each outcome."""
    rows = [
        "| kind | n | answered | referred | suggested | declined | **confident wrong** "
        "| other | aspect right |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group in sorted(tallies, key=lambda g: (g == "all", g)):
        t = tallies[group]
        cells = [percent(t.share(name)) for name in CATEGORIES]
        label = "**all**" if group == "all" else group
        rows.append(
            f"| {label} | {t.total} | " + " | ".join(cells) + f" | {percent(t.aspect_share)} |"
        )
    return "\n".join(rows)


def dialogue_table(tallies: Mapping[str, Tally]) -> str:
    """Markdown: per turn number and overall, right procedure/action and right aspect."""
    rows = [
        "| turn | n | right procedure / referral / action | confident wrong | aspects scored "
        "| right aspect |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for group in sorted(tallies, key=lambda g: (g == "all", g)):
        t = tallies[group]
        label = "**all**" if group == "all" else group
        rows.append(
            f"| {label} | {t.total} | {percent(t.share('correct'))} | "
            f"{percent(t.share('confident_wrong'))} | {t.aspect_total} | "
            f"{percent(t.aspect_share)} |"
        )
    return "\n".join(rows)


def load_messages(raw: Mapping[str, Any]) -> list[Expectation]:
    """adversarial.yml's messages."""
    return [Expectation.from_data(m) for m in raw.get("messages") or []]


def load_dialogues(raw: Mapping[str, Any]) -> list[tuple[str, list[Expectation]]]:
    """dialogues.yml's conversations: (id, turns)."""
    return [
        (str(d["id"]), [Expectation.from_data(t) for t in d.get("turns") or []])
        for d in raw.get("dialogues") or []
    ]


def turn_groups(dialogue: Sequence[Expectation]) -> list[str]:
    """The group name of each turn: its number."""
    return [f"turn {i}" for i in range(1, len(dialogue) + 1)]

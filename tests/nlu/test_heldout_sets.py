"""Structure of the issue 12 held-out sets and the referral catalogue.

The checks are pure functions returning a list of problems, run on the committed files and,
to show they can fail, on small broken samples.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from nlu.evaluate import load_test_set
from nlu.normalize import folded_text, has_diacritics
from nlu.training_data import read_examples, training_files

ROOT = Path(__file__).resolve().parents[2]
ADVERSARIAL = ROOT / "nlu" / "data" / "test" / "adversarial.yml"
DIALOGUES = ROOT / "nlu" / "data" / "test" / "dialogues.yml"
DEV_ADVERSARIAL = ROOT / "nlu" / "data" / "dev" / "adversarial.yml"
REFERRALS = ROOT / "bot" / "faq" / "data" / "referrals.yml"

ASPECTS = frozenset({"documents", "where", "time", "fee", "online", "legal", "notes", "overview"})
SMALLTALK_INTENTS = frozenset({"greet", "thanks", "goodbye", "bot_challenge"})
KIND_MINIMUMS = {
    "other_body": 30,
    "lookalike": 25,
    "folding_collision": 20,
    "typo": 15,
    "mixed": 10,
    "very_short": 10,
    "very_long": 10,
    "aspect_question": 1,
}
MESSAGE_FIELDS = {"text", "expect", "intent", "referral", "aspect", "kind"}
TURN_FIELDS = {"text", "expect", "intent", "aspect", "referral"}
REFERRAL_FIELDS = {"key", "title", "body", "contact", "online", "note", "confidence", "examples"}
# Every row of domain.md §6 except lý lịch tư pháp, which is one of our own answers.
DOMAIN_ROWS = frozenset(
    {
        "ly_hon",
        "ho_chieu",
        "giay_phep_lai_xe",
        "dang_ky_xe",
        "bao_hiem_xa_hoi",
        "tro_cap_that_nghiep",
        "thue",
        "thanh_lap_doanh_nghiep",
        "giay_phep_lao_dong",
        "visa",
        "cong_chung",
        "luu_tru_tam_vang",
        "cap_dien",
        "cap_nuoc",
        "vien_thong",
        "thu_gom_rac",
    }
)
PHONE_LIKE = re.compile(r"\d[\d .]{5,}\d")

Record = Mapping[str, Any]


def _load(path: Path, key: str) -> list[Record]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    items: list[Record] = document[key]
    return items


@cache
def faq_intents() -> frozenset[str]:
    return frozenset(p.stem for p in (ROOT / "bot" / "faq" / "data" / "answers").glob("*.yml"))


@cache
def known_intents() -> frozenset[str]:
    trained = frozenset(p.stem for p in (ROOT / "nlu" / "data" / "train").glob("*.yml"))
    return faq_intents() | trained


def _aspect_problems(where: str, aspect: object, required: bool) -> list[str]:
    if aspect is None:
        return [f"{where}: aspect missing"] if required else []
    aspects = aspect if isinstance(aspect, list) else [aspect]
    if not aspects or any(a not in ASPECTS for a in aspects):
        return [f"{where}: bad aspect {aspect!r}"]
    return []


def item_problems(where: str, item: Record, expects: Sequence[str], keys: set[str]) -> list[str]:
    """What is wrong with one message or dialogue turn (shared rules of both files)."""
    expect, intent, referral = item.get("expect"), item.get("intent"), item.get("referral")
    aspect = item.get("aspect")
    faq, known = faq_intents(), known_intents()
    if not isinstance(item.get("text"), str) or not item["text"].strip():
        return [f"{where}: empty text"]
    if expect not in expects:
        return [f"{where}: bad expect {expect!r}"]
    problems: list[str] = []
    if expect == "answer":
        if intent not in known:
            problems.append(f"{where}: unknown intent {intent!r}")
        problems += _aspect_problems(where, aspect, required=intent in faq)
    elif expect == "suggest":
        if not isinstance(intent, list) or len(set(intent)) < 2 or not set(intent) <= faq:
            problems.append(f"{where}: suggest needs two or more FAQ intents, got {intent!r}")
        problems += _aspect_problems(where, aspect, required=False)
    elif expect == "smalltalk":
        if intent not in SMALLTALK_INTENTS:
            problems.append(f"{where}: smalltalk needs a greet/thanks/goodbye intent")
    elif intent is not None:
        problems.append(f"{where}: {expect} takes no intent")
    if expect == "refer":
        if referral not in keys:
            problems.append(f"{where}: unknown referral {referral!r}")
    elif referral is not None:
        problems.append(f"{where}: only refer takes a referral")
    if expect in ("refer", "decline", "smalltalk") and aspect is not None:
        problems.append(f"{where}: {expect} takes no aspect")
    return problems


def message_problems(messages: Sequence[Record], keys: set[str]) -> list[str]:
    """What is wrong with each message of an adversarial.yml (held-out or development)."""
    expects = ("answer", "refer", "decline", "suggest")
    problems: list[str] = []
    for n, message in enumerate(messages):
        where = f"adversarial #{n} {message.get('text')!r}"
        if set(message) != MESSAGE_FIELDS:
            problems.append(f"{where}: fields {sorted(message)}")
            continue
        problems += item_problems(where, message, expects, keys)
        kind, text = message["kind"], message["text"]
        if kind not in KIND_MINIMUMS:
            problems.append(f"{where}: bad kind {kind!r}")
        if kind == "very_long" and len(text) < 400:
            problems.append(f"{where}: very_long under 400 characters")
        if kind == "very_short" and len(text.split()) > 3:
            problems.append(f"{where}: very_short over 3 words")
        if kind == "folding_collision" and not has_diacritics(text):
            problems.append(f"{where}: a folding collision is typed with diacritics")
    return problems


def adversarial_problems(messages: Sequence[Record], keys: set[str]) -> list[str]:
    """The held-out set's messages, and its size and mix of kinds."""
    problems = message_problems(messages, keys)
    kinds = Counter(m.get("kind") for m in messages)
    for kind, minimum in KIND_MINIMUMS.items():
        if kinds[kind] < minimum:
            problems.append(f"adversarial: {kinds[kind]} {kind}, fewer than {minimum}")
    if len(messages) < 140:
        problems.append(f"adversarial: {len(messages)} messages, fewer than 140")
    covered = {m.get("referral") for m in messages if m.get("kind") == "other_body"}
    if len(covered - {None}) < 15:
        problems.append(f"adversarial: other_body covers {len(covered)} referrals, fewer than 15")
    return problems


def dialogue_problems(dialogues: Sequence[Record], keys: set[str]) -> list[str]:
    expects = ("answer", "refer", "decline", "suggest", "smalltalk")
    problems: list[str] = []
    ids = Counter(d.get("id") for d in dialogues)
    problems += [f"dialogue id {i!r} used {n} times" for i, n in ids.items() if n > 1]
    for dialogue in dialogues:
        turns = dialogue.get("turns") or []
        if set(dialogue) != {"id", "turns"} or not 2 <= len(turns) <= 3:
            problems.append(f"dialogue {dialogue.get('id')!r}: needs an id and 2-3 turns")
            continue
        for n, turn in enumerate(turns):
            where = f"dialogue {dialogue['id']} turn {n}"
            if set(turn) != TURN_FIELDS:
                problems.append(f"{where}: fields {sorted(turn)}")
                continue
            problems += item_problems(where, turn, expects, keys)
    if len(dialogues) < 70:
        problems.append(f"dialogues: {len(dialogues)}, fewer than 70")
    return problems


def referral_problems(referrals: Sequence[Record]) -> list[str]:
    problems: list[str] = []
    keys = Counter(r.get("key") for r in referrals)
    problems += [f"referral key {k!r} used {n} times" for k, n in keys.items() if n > 1]
    for referral in referrals:
        where = f"referral {referral.get('key')!r}"
        if set(referral) != REFERRAL_FIELDS:
            problems.append(f"{where}: fields {sorted(referral)}")
            continue
        for field in ("key", "title", "body", "contact"):
            if not isinstance(referral[field], str) or not referral[field].strip():
                problems.append(f"{where}: empty {field}")
        for field in ("online", "note"):
            if referral[field] is not None and not isinstance(referral[field], str):
                problems.append(f"{where}: {field} is text or null")
        if referral["confidence"] not in ("✅", "⚠️"):
            problems.append(f"{where}: confidence {referral['confidence']!r}")
        examples = referral["examples"]
        if not isinstance(examples, list) or not 6 <= len(examples) <= 40:
            problems.append(f"{where}: needs 6-40 examples")
        if PHONE_LIKE.search(f"{referral['contact']} {referral['note'] or ''}"):
            problems.append(f"{where}: looks like a phone number")
    if len(referrals) < 22:
        problems.append(f"referrals: {len(referrals)}, fewer than 22")
    missing = DOMAIN_ROWS - set(keys)
    if missing:
        problems.append(f"referrals: domain.md §6 rows missing {sorted(missing)}")
    return problems


def duplicate_problems(texts: Mapping[str, list[str]]) -> list[str]:
    """Texts that occur twice anywhere, compared as the model sees them (folded)."""
    seen: dict[str, str] = {}
    problems: list[str] = []
    for source, items in texts.items():
        for text in items:
            folded = folded_text(text)
            if folded in seen:
                problems.append(f"{text!r} in {source} repeats {seen[folded]}")
            seen.setdefault(folded, f"{source}: {text!r}")
    return problems


@pytest.fixture(scope="module")
def messages() -> list[Record]:
    return _load(ADVERSARIAL, "messages")


@pytest.fixture(scope="module")
def dialogues() -> list[Record]:
    return _load(DIALOGUES, "dialogues")


@pytest.fixture(scope="module")
def referrals() -> list[Record]:
    # An entry's training phrasings live in nlu/data/train/ref_<key>.yml.
    examples = read_examples(training_files())
    return [
        {**r, "examples": examples.get(f"ref_{r['key']}")} for r in _load(REFERRALS, "referrals")
    ]


@pytest.fixture(scope="module")
def keys(referrals: list[Record]) -> set[str]:
    return {r["key"] for r in referrals}


def test_referral_catalogue_is_complete(referrals: list[Record]) -> None:
    assert referral_problems(referrals) == []


def test_adversarial_set_is_well_formed(messages: list[Record], keys: set[str]) -> None:
    assert adversarial_problems(messages, keys) == []


def test_development_set_is_well_formed_and_apart_from_the_held_out_sets(
    messages: list[Record], dialogues: list[Record], keys: set[str]
) -> None:
    """nlu/data/dev/adversarial.yml may be tuned against: no text of it is within 0.6 word
    overlap (folded) of a held-out text, so tuning there is not tuning on these."""
    development = _load(DEV_ADVERSARIAL, "messages")
    assert len(development) >= 150 and message_problems(development, keys) == []
    held_out = [m["text"] for m in messages] + [t["text"] for d in dialogues for t in d["turns"]]
    held_out += [example.text for example in load_test_set()]
    words = [frozenset(folded_text(text).split()) for text in held_out]
    for message in development:
        mine = frozenset(folded_text(message["text"]).split())
        closest = max(len(mine & other) / len(mine | other) for other in words)
        assert closest < 0.6, f"too close to a held-out text: {message['text']!r}"


def test_dialogue_set_is_well_formed(dialogues: list[Record], keys: set[str]) -> None:
    assert dialogue_problems(dialogues, keys) == []


def test_no_text_repeats_across_or_within_files(
    messages: list[Record], dialogues: list[Record], referrals: list[Record]
) -> None:
    texts = {
        "adversarial": [m["text"] for m in messages],
        "dialogues": [t["text"] for d in dialogues for t in d["turns"]],
        "referral examples": [e for r in referrals for e in r["examples"]],
    }
    assert duplicate_problems(texts) == []


def test_sets_mix_text_with_and_without_diacritics(
    messages: list[Record], dialogues: list[Record]
) -> None:
    texts = [m["text"] for m in messages] + [t["text"] for d in dialogues for t in d["turns"]]
    bare = sum(not has_diacritics(t) for t in texts) / len(texts)
    assert 0.3 <= bare <= 0.5


BROKEN_MESSAGES = """
- {text: x, expect: answer, intent: no_such, referral: null, aspect: documents, kind: typo}
- {text: y, expect: refer, intent: null, referral: no_such_body, aspect: null, kind: other_body}
- {text: z, expect: suggest, intent: [khai_sinh], referral: null, aspect: null, kind: mixed}
- {text: giam can, expect: decline, intent: null, referral: null, aspect: null,
   kind: folding_collision}
- {text: khai sinh, expect: answer, intent: khai_sinh, referral: null, aspect: colour,
   kind: very_short}
"""
BROKEN_DIALOGUES = """
- {id: x, turns: [{text: a, expect: answer, intent: khai_sinh, aspect: fee, referral: null}]}
"""
BROKEN_REFERRALS = """
- {key: k, title: t, body: b, contact: gọi 0203 123 456, online: null, note: null,
   confidence: "?", examples: [e]}
"""


def test_the_checks_catch_broken_data(keys: set[str]) -> None:
    problems = " | ".join(adversarial_problems(yaml.safe_load(BROKEN_MESSAGES), keys))
    for expected in (
        "unknown intent 'no_such'",
        "unknown referral 'no_such_body'",
        "suggest needs two",
        "typed with diacritics",
        "bad aspect 'colour'",
        "fewer than 140",
    ):
        assert expected in problems
    assert "2-3 turns" in " ".join(dialogue_problems(yaml.safe_load(BROKEN_DIALOGUES), keys))
    assert duplicate_problems({"a": ["Làm khai sinh?"], "b": ["lam khai sinh"]})
    problems = " | ".join(referral_problems(yaml.safe_load(BROKEN_REFERRALS)))
    for expected in ("phone number", "confidence", "6-40 examples", "fewer than 22"):
        assert expected in problems

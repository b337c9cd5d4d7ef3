"""The training data and the held-out test set stay apart and big enough to mean something."""

from __future__ import annotations

import yaml

from nlu.evaluate import ADVERSARIAL_FILE, OUT_OF_SCOPE, load_adversarial, load_test_set
from nlu.normalize import has_diacritics, normalize, strip_diacritics
from nlu.training_data import TEST_DIR, read_examples, read_off_topic, training_files

# Referrals to other bodies (bot/faq/referrals.py) have 6-40 examples each and are measured
# on the second held-out set (nlu/data/test/adversarial.yml), not on this one.
REFERRAL_PREFIX = "ref_"


def key(text: str) -> frozenset[str]:
    return frozenset(strip_diacritics(normalize(text)).split())


def test_held_out_set_is_large_and_varied() -> None:
    test = load_test_set()
    assert len(test) >= 300
    assert sum(not has_diacritics(e.text) for e in test) >= 100
    assert sum(e.intent == OUT_OF_SCOPE for e in test) >= 40
    ours = {i for i in read_examples(training_files()) if not i.startswith(REFERRAL_PREFIX)}
    assert {e.intent for e in test} == ours


def test_every_intent_has_twenty_training_examples() -> None:
    for intent, lines in read_examples(training_files()).items():
        assert len(lines) >= (6 if intent.startswith(REFERRAL_PREFIX) else 20), intent


def test_no_held_out_example_is_a_copy_or_near_copy_of_a_training_example() -> None:
    train = [key(t) for lines in read_examples(training_files()).values() for t in lines]
    for example in load_test_set():
        words = key(example.text)
        for other in train:
            overlap = len(words & other) / len(words | other)
            assert overlap < 0.6, f"{example.text!r} is too close to a training example"


def test_no_held_out_text_is_a_copy_or_near_copy_of_an_off_topic_line() -> None:
    """The off-topic check's lists (nlu/data/offtopic/) train a model too: every held-out
    set stays apart from them, as from the intent examples."""
    lines = {key(t) for t in read_off_topic()}
    dialogues = yaml.safe_load((TEST_DIR / "dialogues.yml").read_text(encoding="utf-8"))
    held_out = [e.text for e in load_test_set()]
    held_out += [trap.text for trap in load_adversarial(ADVERSARIAL_FILE)]
    held_out += [turn["text"] for d in dialogues["dialogues"] for turn in d["turns"]]
    assert len(held_out) > 600 and len(lines) > 1500
    for text in held_out:
        words = key(text)
        for other in lines:
            overlap = len(words & other) / len(words | other)
            assert overlap < 0.6, f"a held-out text is too close to an off-topic line: {text!r}"

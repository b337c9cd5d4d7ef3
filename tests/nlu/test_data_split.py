"""The training data and the held-out test set stay apart and big enough to mean something."""

from __future__ import annotations

from nlu.evaluate import OUT_OF_SCOPE, load_test_set
from nlu.normalize import has_diacritics, normalize, strip_diacritics
from nlu.training_data import read_examples, training_files

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

"""Whether a text names another procedure than the one a conversation is about.

A follow-up ("mất bao lâu", "có mất tiền không", "nếu quá hạn thì sao") names no
procedure, yet the classifier may be sure of one: such words occur in the examples of
every procedure, and some procedure's examples use them most. So before a confident
classification ends the conversation's subject, the text must name that procedure: hold
one of its own n-grams (most of the examples that use it are that procedure's, two at
least) that its examples use `LIKELIER` times as often as those of the procedure
discussed. "căn cước" names the card procedure after a birth registration; "mất",
"tiền", "bao lâu" name no procedure; "hợp đồng" after a land transfer, whose examples
often speak of the contract, stays a follow-up.

Computed from the training examples in the database (accent-folded word unigrams and
bigrams), once per knowledge snapshot.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import pairwise

from sqlalchemy.orm import Session

from bot.answering.condition import asked_after_condition
from bot.faq.examples import examples_by_intent
from bot.faq.knowledge import Knowledge
from nlu.normalize import folded_text

OWN_SHARE = 0.5  # of the examples that contain an n-gram, the share one intent must hold
OWN_LEAST = 2  # and at least this many of them
LIKELIER = 5.0  # how much more often than in the discussed procedure's examples


# A paper to bring is no subject: "có phải mang căn cước không" and "có cần công chứng hợp
# đồng không" ask for the documents of the procedure discussed (folded text; the paper's
# name, up to three words).
_PAPER = re.compile(
    r"\b(?:mang|dem|xuat trinh|photo|ban sao|kem theo|(?:can|phai) (?:cong chung|chung thuc))"
    r"(?: \w+){1,3}"
)


def ngrams(folded: str) -> set[str]:
    """The word unigrams and bigrams of an already folded text (`folded_text`)."""
    words = folded.split()
    return {*words, *(f"{a} {b}" for a, b in pairwise(words))}


def subject_ngrams(text: str) -> set[str]:
    """`ngrams` of `text` without the papers it asks to bring."""
    return ngrams(_PAPER.sub(" ", folded_text(text)))


class Vocabulary:
    """How many of each intent's examples use each n-gram, and each intent's own n-grams."""

    def __init__(self, examples: Mapping[str, Iterable[str]]) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)  # n-gram → intent → n
        self.sizes: dict[str, int] = {}
        for intent, texts in examples.items():
            # an example and its accent-less copy count once
            distinct = {folded_text(t) for t in texts}
            self.sizes[intent] = len(distinct)
            for text in distinct:
                for gram in ngrams(text):
                    self.counts[gram][intent] += 1
        self.own: dict[str, set[str]] = defaultdict(set)
        for gram, by_intent in self.counts.items():
            intent, most = by_intent.most_common(1)[0]
            if most >= OWN_LEAST and most >= OWN_SHARE * sum(by_intent.values()):
                self.own[intent].add(gram)
        owned = set().union(*self.own.values())
        self.counts = {gram: self.counts[gram] for gram in owned}  # all `rate` reads

    def rate(self, gram: str, intent: str) -> float:
        """The share of `intent`'s examples that use `gram` (smoothed; 0 for an intent
        without examples)."""
        size = self.sizes.get(intent, 0)
        count = self.counts[gram][intent] if gram in self.counts else 0
        return (count + 0.5) / (size + 1) if size else 0.0

    def mentions(self, text: str, intent: str) -> bool:
        """True when `text` holds any own n-gram of `intent`."""
        return bool(self.own.get(intent, set()) & subject_ngrams(text))

    def names_other(self, text: str, intent: str, previous: str) -> bool:
        """True when `text` holds an own n-gram of `intent` that `intent`'s examples use
        `LIKELIER` times as often as `previous`'s; for an intent without examples, always
        (the classifier's word is all there is)."""
        if not self.sizes.get(intent):
            return True
        named = self.own.get(intent, set()) & subject_ngrams(text)
        return any(
            self.rate(gram, intent) >= LIKELIER * self.rate(gram, previous) for gram in named
        )


def names_other_procedure(
    *, session: Session, known: Knowledge, text: str, intent: str, previous: str
) -> bool:
    """True when `text` names `intent` rather than following up on `previous`
    (`Vocabulary.names_other`). A procedure named only in a stated condition ("bố mẹ chưa
    đăng ký kết hôn thì có làm được không") is a circumstance of `previous`: what is asked
    after it must mention `intent` too. The vocabulary is built from the examples the first
    time a snapshot needs it (example edits change the knowledge revision, hence the
    snapshot)."""
    vocabulary = known.memo(
        "subject.vocabulary",
        lambda: Vocabulary(examples_by_intent(session=session, active_only=False)),
    )
    asked = asked_after_condition(text)
    if (
        asked is not None
        and vocabulary.sizes.get(intent)
        and not vocabulary.mentions(asked, intent)
    ):
        return False
    return vocabulary.names_other(text, intent, previous)

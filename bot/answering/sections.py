"""Which part of a procedure's answer speaks of what a question mentions.

A question about the procedure discussed that names no aspect ("chủ trọ không chịu làm
hợp đồng thì sao", "có bắt buộc đi xét nghiệm ADN không") is best answered by the section
that speaks of the same thing: the rental contract is among the documents of a temporary
residence, the DNA test among those of a parentage recognition. Words are weighed by how
few of all the answers' sections use them (inverse document frequency over the sections
of every procedure), so "hợp đồng" or "ADN" count and "có", "được", "làm" hardly do.

Computed from the answers of the knowledge snapshot, once per snapshot.
"""

from __future__ import annotations

import math
from collections import Counter

from bot.answering.subject import ngrams
from bot.faq.aspects import Aspect
from bot.faq.knowledge import Knowledge
from bot.faq.render import aspect_sections
from nlu.normalize import folded_text

# A section must share this much weight with the question: about one rare word pair, or
# two rare words (a word in 1 section of 150 weighs ~4.3).
ENOUGH = 6.0
# Words of every question, folded: they say nothing of what it is about (pronouns, kin
# words used as pronouns, particles, the verbs of any request).
# fmt: off
FUNCTION_WORDS = frozenset({
    "a", "ah", "anh", "ba", "bac", "be", "bo", "cac", "cai", "can", "chi", "cho", "chu", "co",
    "con", "cua", "cung", "da", "dang", "de", "den", "di", "do", "duoc", "em", "gi", "hay",
    "hoi", "ho", "khi", "khong", "la", "lai", "lam", "luon", "ma", "me", "minh", "mot", "nay",
    "neu", "nha", "nhe", "nhi", "nhung", "no", "nua", "o", "oi", "ong", "phai", "ra", "roi",
    "sao", "se", "tai", "thi", "the", "toi", "tu", "va", "vao", "vay", "ve", "voi",
})
# fmt: on


class SectionIndex:
    """The folded words and word pairs of each (procedure, aspect) section, and their
    weights."""

    def __init__(self, known: Knowledge) -> None:
        self.terms: dict[str, dict[Aspect, set[str]]] = {}
        for intent in known.answers:
            answer = known.active(intent)
            if answer is None:
                continue
            self.terms[intent] = {
                aspect: ngrams(
                    folded_text(" ".join(text for _, text in aspect_sections(answer, aspect)))
                )
                for aspect in known.aspects(intent)
                if aspect is not Aspect.ONLINE  # lines of the other sections
            }
        documents = [terms for by_aspect in self.terms.values() for terms in by_aspect.values()]
        frequency = Counter(term for terms in documents for term in terms)
        self.weight = {
            term: math.log((1 + len(documents)) / count) for term, count in frequency.items()
        }

    def speaking_of(self, intent: str, text: str) -> Aspect | None:
        """The aspect of `intent` whose section shares the most weight with `text`, if
        that is `ENOUGH` and no other section shares as much."""
        asked = _content(ngrams(folded_text(text)))
        scores = sorted(
            (
                (sum(self.weight[t] for t in asked & terms), aspect)
                for aspect, terms in self.terms.get(intent, {}).items()
            ),
            key=lambda scored: -scored[0],
        )
        if not scores or scores[0][0] < ENOUGH:
            return None
        if len(scores) > 1 and scores[1][0] >= scores[0][0]:
            return None
        return scores[0][1]


def _content(terms: set[str]) -> set[str]:
    """`terms` without those made of function words only."""
    return {t for t in terms if any(w not in FUNCTION_WORDS for w in t.split())}


def section_speaking_of(*, known: Knowledge, intent: str, text: str) -> Aspect | None:
    """`SectionIndex.speaking_of` over the snapshot's answers."""
    index = known.memo("sections.index", lambda: SectionIndex(known))
    return index.speaking_of(intent, text)

"""Within a conversation, the procedure being discussed is the likeliest subject of the
next message: a prior over the NLU's ranking.

The classifier reads one message alone. "vợ chồng phải cùng đến không" after a marriage
registration names no procedure, and the classifier may spread its belief thinly, or
lean on a generic phrase ("hai bên", "ký") towards another procedure. Multiplying the
subject's probability by `SUBJECT_PRIOR` and renormalising is Bayes' rule with a prior
that the next message is about the same procedure ten times as often as about any other
given one. A message that really changes the subject still does: it names its procedure,
so the classifier puts it far above the previous one.
"""

from __future__ import annotations

from dataclasses import replace

from nlu.client import IntentScore, ParseResult

# Chosen on the development dialogues (nlu/data/dev/, docs/nlu-choices.md): 3, 5, 10 and 20
# compared; at 10 every changed reply was a better one.
SUBJECT_PRIOR = 10.0


def favour_subject(parse: ParseResult, subject: str, factor: float = SUBJECT_PRIOR) -> ParseResult:
    """`parse` with `subject`'s probability multiplied by `factor`, renormalised and
    ranked again (unchanged when the NLU does not rank `subject`)."""
    if all(score.name != subject for score in parse.ranking):
        return parse
    weighted = [
        IntentScore(s.name, s.confidence * (factor if s.name == subject else 1.0))
        for s in parse.ranking
    ]
    total = sum(s.confidence for s in weighted)
    if total <= 0.0:
        return parse
    ranking = tuple(
        sorted(
            (IntentScore(s.name, s.confidence / total) for s in weighted),
            key=lambda s: -s.confidence,
        )
    )
    return replace(parse, intent=ranking[0].name, confidence=ranking[0].confidence, ranking=ranking)

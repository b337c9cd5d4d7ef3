"""Decides what the bot does with a citizen's free text, given the NLU result."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy.orm import Session

from bot import texts
from bot.answering.asked import asked_aspects
from bot.answering.elsewhere import asks_about_elsewhere
from bot.answering.followup import (
    contrasts_subject,
    followup_aspect,
    names_other_field,
    question_aspect,
)
from bot.answering.prior import favour_subject
from bot.answering.subject import names_other_procedure
from bot.faq.aspects import aspects_in
from bot.faq.knowledge import Knowledge
from bot.faq.knowledge_cache import knowledge_of
from bot.messages.service import own_message
from bot.settings import Settings
from bot.texts import cases as case_texts
from nlu.client import ParseResult
from nlu.gate import AnswerGate, read_gate


class Action(StrEnum):
    """What the bot does with a text (the `action` of `tiepdan ask`)."""

    FAQ = "faq"
    COMPLAINT = "complaint"
    STATUS = "status"
    GREET = "greet"
    SMALLTALK = "smalltalk"
    FALLBACK = "fallback"
    REFER = "refer"


SMALLTALK_REPLIES = {
    "thanks": texts.THANKS_REPLY,
    "goodbye": texts.GOODBYE_REPLY,
    "bot_challenge": texts.BOT_CHALLENGE_REPLY,
}
CONVERSATION_ACTIONS = {
    "greet": (Action.GREET, texts.GREET_REPLY),
    "complaint": (Action.COMPLAINT, case_texts.OFFER_START),
    "case_status": (Action.STATUS, texts.STATUS_HOWTO),
    "out_of_scope": (Action.FALLBACK, texts.OUT_OF_SCOPE),
    **{intent: (Action.SMALLTALK, reply) for intent, reply in SMALLTALK_REPLIES.items()},
}
# What the citizen asks the office to do rather than to explain: never read as a question
# about the procedure being discussed.
ACTS = {"complaint", "case_status"}
# Confident intents that do not end a conversation about a procedure: a follow-up such as
# "chào em, còn lệ phí thì sao" or "còn lệ phí?" (no procedure: often out of scope).
KEEPS_SUBJECT = {"out_of_scope", "greet", *SMALLTALK_REPLIES}


@dataclass(frozen=True)
class Suggestion:
    """A FAQ intent offered as a button when the bot is unsure."""

    intent: str
    title: str


@dataclass(frozen=True)
class Decision:
    """The bot's reply to one text."""

    text: str
    intent: str | None
    confidence: float
    action: Action
    reply: str
    suggestions: list[Suggestion] = field(default_factory=list)
    # The aspect the reply leads with (an `Aspect` value), None for the overview.
    aspect: str | None = None
    # The other aspects asked in the same message, which the reply gives after it.
    also: tuple[str, ...] = ()
    # True when the text named no procedure and was answered for the previous one.
    followup: bool = False


@dataclass(frozen=True)
class Thresholds:
    """When an answer is given outright rather than offered among suggestions.

    The defaults were chosen by cross-validation on the training data
    (docs/nlu-choices.md): fewer wrong answers and declined off-topic text than
    looser settings, with under 5 % of in-scope questions falling back.
    """

    confident: float = 0.5
    # The top intent must be this many times as likely as the runner-up.
    ratio: float = 2.0
    # A procedure or a referral is not given outright when the off-topic check
    # (nlu/offtopic.py) scores the text above this.
    off_topic: float = 0.0
    # Nor when the answer gate (nlu/gate.py), if any, gives it a probability under `gate`.
    answer_gate: AnswerGate | None = None
    gate: float = 0.5
    suggest_floor: float = 0.05
    max_suggestions: int = 3


def thresholds_from(settings: Settings) -> Thresholds:
    """The thresholds configured by NLU_CONFIDENT, NLU_RATIO, NLU_OFF_TOPIC and NLU_GATE,
    with the fitted answer gate (none when NLU_GATE is 0)."""
    return Thresholds(
        confident=settings.nlu_confident,
        ratio=settings.nlu_ratio,
        off_topic=settings.nlu_off_topic,
        answer_gate=read_gate() if settings.nlu_gate > 0 else None,
        gate=settings.nlu_gate,
    )


def is_confident(parse: ParseResult, thresholds: Thresholds) -> bool:
    """True when the top intent is likely enough, and clearly ahead of the runner-up; for
    an answer (a procedure, a referral), also when the text does not look off-topic and
    the answer gate finds it likely enough to be right."""
    return passes_rules(parse, thresholds) and not held_by_gate(parse, thresholds)


def passes_rules(parse: ParseResult, thresholds: Thresholds) -> bool:
    """`is_confident` without the answer gate: the thresholds set by hand."""
    runner_up = parse.ranking[1].confidence if len(parse.ranking) > 1 else 0.0
    return (
        parse.confidence >= thresholds.confident
        and parse.confidence >= thresholds.ratio * runner_up
        and not looks_off_topic(parse, thresholds)
    )


def held_by_gate(parse: ParseResult, thresholds: Thresholds) -> bool:
    """True when the answer gate gives the top intent, an answer, a probability of being
    right under the threshold. Complaints, status requests and small talk pass, and so
    does a parse of a model without the off-topic check (the gate was fitted on its
    score: Rasa's stock pipeline in `tiepdan nlu evaluate --baseline`)."""
    return (
        thresholds.answer_gate is not None
        and parse.off_topic is not None
        and parse.intent not in CONVERSATION_ACTIONS
        and thresholds.answer_gate.probability(parse) < thresholds.gate
    )


def looks_off_topic(parse: ParseResult, thresholds: Thresholds) -> bool:
    """True when the off-topic check scores `parse` above the threshold and its top intent
    is an answer: "đổi tên facebook" is not a question about changing one's name in the
    register however sure the classifier is. Complaints, status requests and small talk
    are never held back."""
    return (
        parse.off_topic is not None
        and parse.off_topic > thresholds.off_topic
        and parse.intent not in CONVERSATION_ACTIONS
    )


def decide(
    *,
    session: Session,
    text: str,
    parse: ParseResult | None,
    thresholds: Thresholds,
    previous: str | None = None,
) -> Decision:
    """The reply for `text`: an answer, a referral, a conversation reply, suggestions or a
    fallback. `previous` is the procedure the conversation is about, if any: the likelier
    subject (`prior.favour_subject`), and a text naming only an aspect, a place or a
    circumstance of it is answered for it. The knowledge is
    read from the snapshot (bot/faq/knowledge_cache.py), not queried."""
    known = knowledge_of(session)
    if previous is not None and parse is not None:
        contrast = contrasts_subject(known=known, text=text)  # "còn X thì …" sets a subject
        followup = _followup(
            session=session,
            known=known,
            text=text,
            parse=parse,
            thresholds=thresholds,
            previous=previous,
            contrast=contrast,
        )
        if followup is not None:
            return followup
        # A complaint or a status request is an act, not a subject.
        if parse.intent not in ACTS and not contrast:
            parse = favour_subject(parse, previous)
    topic = _topic_choice(known=known, text=text, parse=parse)
    if topic is not None:
        return topic
    if parse is None:
        return Decision(text, None, 0.0, Action.FALLBACK, texts.NLU_DOWN)
    intent, confidence = parse.intent, parse.confidence
    sure = is_confident(parse, thresholds)
    if previous is not None and not sure and _leans_to_subject(parse=parse, previous=previous):
        # answered as the same procedure asked again, with the NLU's score for it
        intent, sure = previous, True
        confidence = next(s.confidence for s in parse.ranking if s.name == previous)
    if sure and asks_about_elsewhere(intent, text):  # another place's hours
        return Decision(text, intent, confidence, Action.FALLBACK, texts.OUT_OF_SCOPE)
    if intent in CONVERSATION_ACTIONS and sure:
        action, reply = CONVERSATION_ACTIONS[intent]
        return Decision(text, intent, confidence, action, reply)
    if intent is not None and sure:
        if known.is_referral(intent):
            referral = known.referral_html(intent)
            if referral is not None:
                return Decision(text, intent, confidence, Action.REFER, referral)
        else:
            asked = asked_aspects(known=known, intent=intent, text=text)
            aspect, also = (asked[0], tuple(asked[1:])) if asked else (None, ())
            if intent == previous and aspect is None:  # the same procedure asked again:
                # its overview was just shown, so the part that answers the question
                found = followup_aspect(known=known, text=text)
                aspect = question_aspect(known=known, intent=intent, text=text, found=found)
            answer = known.answer_html(intent, text=text, aspect=aspect, also=also)
            if answer is not None:
                return Decision(
                    text, intent, confidence, Action.FAQ, answer, aspect=aspect, also=also
                )
    suggestions = _suggestions(known=known, parse=parse, thresholds=thresholds)
    reply = texts.DID_YOU_MEAN if suggestions else texts.NOT_UNDERSTOOD
    return Decision(text, intent, confidence, Action.FALLBACK, reply, suggestions)


def _leans_to_subject(*, parse: ParseResult, previous: str) -> bool:
    """True when the NLU, unsure, still ranks the subject of the conversation first (after
    `prior.favour_subject`): a question about the procedure discussed, though it names
    nothing of it ("sổ đỏ bên bán làm mất rồi thì có làm được không"). Ranked second, it
    is only offered: answering it would go against the NLU's first choice."""
    return bool(parse.ranking) and parse.ranking[0].name == previous


def _office_answer_for_an_aspect(*, known: Knowledge, intent: str | None, text: str) -> bool:
    """True when `intent` is an office answer (opening hours, the one-stop desk, the online
    channels …: no procedure sections) and `text` names an aspect: within a conversation
    about a procedure, "làm online được không" asks about that procedure, not the general
    guide to filing online."""
    if intent is None or not aspects_in(text):
        return False
    ours = known.titles([intent])  # active, never a referral
    return intent in ours and not known.aspects(intent)


def _followup(
    *,
    session: Session,
    known: Knowledge,
    text: str,
    parse: ParseResult,
    thresholds: Thresholds,
    previous: str,
    contrast: bool,
) -> Decision | None:
    """The answer for `previous` when `text` names an aspect, a place or a circumstance
    but no procedure; None when it names one (the NLU is sure of another subject that the
    text names, or sets against `previous` with "còn … thì": `contrast`; or a field that
    is not `previous`'s), or names nothing to follow up. A procedure or field named only
    in a stated condition ("bố mẹ chưa đăng ký kết hôn thì …") is a circumstance."""
    if (
        is_confident(parse, thresholds)
        and parse.intent is not None
        and parse.intent not in KEEPS_SUBJECT
        and not _office_answer_for_an_aspect(known=known, intent=parse.intent, text=text)
        and (
            parse.intent == previous
            or contrast
            or names_other_procedure(
                session=session, known=known, text=text, intent=parse.intent, previous=previous
            )
        )
    ):
        return None  # another procedure, a referral, a complaint, or `previous` named again
    if known.is_referral(previous):
        return None
    if names_other_field(known=known, text=text, intent=previous):
        return None
    found = followup_aspect(known=known, text=text)
    if found is None:
        return None
    aspect = question_aspect(known=known, intent=previous, text=text, found=found)
    asked = asked_aspects(known=known, intent=previous, text=text)
    also = tuple(a for a in asked if a is not aspect)
    answer = known.answer_html(previous, text=text, aspect=aspect, also=also)
    if answer is None:
        return None
    score = next((s.confidence for s in parse.ranking if s.name == previous), 0.0)
    return Decision(
        text, previous, score, Action.FAQ, answer, aspect=aspect, also=also, followup=True
    )


def _topic_choice(*, known: Knowledge, text: str, parse: ParseResult | None) -> Decision | None:
    """A text naming only a field: all that topic's procedures, most likely first; a
    text naming no field at all ("thủ tục", "giấy tờ"): the topics to choose from."""
    intent, confidence = (parse.intent, parse.confidence) if parse else (None, 0.0)
    field = known.field_named_by(text)
    if field.no_field:
        return Decision(text, intent, confidence, Action.FALLBACK, texts.PICK_FIELD)
    listed = known.topic_procedures(field.topic) if field.topic else None
    if listed is None or not listed[1]:
        return None
    title, procedures = listed
    rank = {s.name: i for i, s in enumerate(parse.ranking)} if parse else {}
    ordered = sorted(procedures, key=lambda p: rank.get(p[0], len(rank)))
    reply = texts.TOPIC_CHOICE.format(topic=html.escape(title))
    suggestions = [Suggestion(name, label) for name, label in ordered]
    return Decision(text, intent, confidence, Action.FALLBACK, reply, suggestions)


def _suggestions(
    *, known: Knowledge, parse: ParseResult, thresholds: Thresholds
) -> list[Suggestion]:
    """The best-ranked intents that have a FAQ answer, most likely first."""
    candidates = [s.name for s in parse.ranking if s.confidence >= thresholds.suggest_floor]
    return _with_answers(known=known, intents=candidates, limit=thresholds.max_suggestions)


def _with_answers(*, known: Knowledge, intents: list[str], limit: int) -> list[Suggestion]:
    """The first `limit` of `intents` that have a FAQ answer, with their titles, in order
    (`titles` knows only our procedures: a referral is never offered as a button)."""
    titles = known.titles(intents)
    return [Suggestion(name, titles[name]) for name in intents if name in titles][:limit]


def alternatives(
    *,
    session: Session,
    chat_id: int,
    inbound_message_id: int | None,
    answered: str,
    limit: int = 3,
) -> list[Suggestion]:
    """After "Chưa đúng": the next-ranked procedures for that question, best first.

    Only the chat's own question counts; conversation intents and the procedure already
    answered are left out.
    """
    message = own_message(session=session, chat_id=chat_id, message_id=inbound_message_id)
    if message is None:
        return []
    ranked = [str(item.get("name")) for item in message.ranking if item.get("name") != answered]
    return _with_answers(known=knowledge_of(session), intents=ranked, limit=limit)

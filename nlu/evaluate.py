"""`tiepdan nlu evaluate`: accuracy of the NLU on the held-out test set, beside Rasa's
stock pipeline; with `--adversarial`, the classifier on the second held-out set."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.answering.service import Thresholds, is_confident
from bot.settings import Settings
from nlu.client import ParseResult
from nlu.gate import REFERRAL_PREFIX
from nlu.normalize import has_diacritics, model_text
from nlu.train import TrainingRun, read_stats, run_rasa_script, train, train_model
from nlu.training_data import TEST_DIR, read_examples, training_files

OUT_OF_SCOPE = "out_of_scope"
ADVERSARIAL_FILE = TEST_DIR / "adversarial.yml"
STOCK_CONFIG = """# Rasa's stock pipeline with default settings, for comparison only.
recipe: default.v1
language: vi
assistant_id: stock-baseline
pipeline:
  - name: WhitespaceTokenizer
  - name: CountVectorsFeaturizer
  - name: DIETClassifier
policies: []
"""


@dataclass(frozen=True)
class Example:
    """One held-out text and its true intent."""

    text: str
    intent: str


@dataclass
class Report:
    """The figures the issue asks for, for one pipeline."""

    name: str
    examples: int
    accuracy: float
    macro_f1: float
    accuracy_no_diacritics: float
    no_diacritics: int
    oos_recall: float
    false_fallback: float
    training_seconds: float | None
    peak_mb: float | None
    confusions: list[tuple[str, str, int]] = field(default_factory=list)
    errors: list[tuple[str, str, str, float]] = field(default_factory=list)


def load_test_set(directory: Path = TEST_DIR) -> list[Example]:
    """Every example of the first held-out set (Rasa NLU files only: the adversarial and
    dialogue sets beside it have their own format and their own scoring)."""
    examples = read_examples(sorted(directory.glob("heldout*.yml")))
    return [Example(text, intent) for intent, texts in examples.items() for text in texts]


def predict(
    settings: Settings, model: Path, texts: Sequence[str], *, timeout: float | None = None
) -> list[ParseResult]:
    """Parse `texts` (as given) with `model`, offline in the Rasa venv (the process is
    killed after `timeout` seconds: subprocess.TimeoutExpired)."""
    raw = run_rasa_script(settings, "rasa_predict.py", list(texts), str(model), timeout=timeout)
    return [ParseResult.from_rasa(text, text, body) for text, body in zip(texts, raw, strict=True)]


def is_ours(intent: str) -> bool:
    """Our procedures and replies; another body's (cross-validation's referral examples)
    count in the accuracy only: referring them is right, and is no answer of ours."""
    return intent != OUT_OF_SCOPE and not intent.startswith(REFERRAL_PREFIX)


def declined(parse: ParseResult, thresholds: Thresholds) -> bool:
    """True when the bot gives no answer of ours. A referral to another body is none
    either: the held-out set predates the referral catalogue and labels those questions
    out_of_scope."""
    return (
        parse.intent == OUT_OF_SCOPE
        or (parse.intent or "").startswith(REFERRAL_PREFIX)
        or not is_confident(parse, thresholds)
    )


def score(
    name: str,
    examples: Sequence[Example],
    predictions: Sequence[ParseResult],
    thresholds: Thresholds,
    run: TrainingRun | None,
) -> Report:
    """Compare predictions with the truth the way the bot would act on them."""
    correct = [p.intent == e.intent for e, p in zip(examples, predictions, strict=True)]
    plain = [i for i, e in enumerate(examples) if not has_diacritics(e.text)]
    oos = [i for i, e in enumerate(examples) if e.intent == OUT_OF_SCOPE]
    in_scope = [i for i, e in enumerate(examples) if is_ours(e.intent)]

    pairs = Counter(
        (e.intent, p.intent or "-")
        for e, p, ok in zip(examples, predictions, correct, strict=True)
        if not ok
    )
    return Report(
        name=name,
        examples=len(examples),
        accuracy=_mean(correct),
        macro_f1=_macro_f1([e.intent for e in examples], [p.intent or "-" for p in predictions]),
        accuracy_no_diacritics=_mean([correct[i] for i in plain]),
        no_diacritics=len(plain),
        oos_recall=_mean([declined(predictions[i], thresholds) for i in oos]),
        false_fallback=_mean([declined(predictions[i], thresholds) for i in in_scope]),
        training_seconds=run.seconds if run else None,
        peak_mb=run.peak_mb if run else None,
        confusions=[(t, p, n) for (t, p), n in pairs.most_common(12)],
        errors=[
            (e.text, e.intent, p.intent or "-", round(p.confidence, 2))
            for e, p, ok in zip(examples, predictions, correct, strict=True)
            if not ok
        ],
    )


def evaluate_current(settings: Settings, thresholds: Thresholds) -> Report:
    """Our pipeline: the model for the current data (trained if needed), normalised input."""
    model = train(settings)
    examples = load_test_set()
    predictions = predict(settings, model, [model_text(e.text) for e in examples])
    return score("tiepdan (config.yml)", examples, predictions, thresholds, read_stats(model))


def evaluate_stock(
    settings: Settings, thresholds: Thresholds, workdir: Path, epochs: int | None = None
) -> Report:
    """Rasa's stock pipeline, trained on the raw examples and asked the raw text.

    Default settings, except `epochs` when given: DIET's default 300 epochs with its
    transformer take far longer than a session on two cores allows.
    """
    config = workdir / "stock-config.yml"
    text = (
        STOCK_CONFIG
        if epochs is None
        else STOCK_CONFIG.replace(
            "  - name: DIETClassifier\n", f"  - name: DIETClassifier\n    epochs: {epochs}\n"
        )
    )
    config.write_text(text, encoding="utf-8")
    run = train_model(
        settings,
        config=config,
        examples=read_examples(training_files()),
        target=workdir / "stock.tar.gz",
    )
    examples = load_test_set()
    predictions = predict(settings, run.model, [e.text for e in examples])
    name = "Rasa stock pipeline" + (f" ({epochs} epochs)" if epochs else "")
    return score(name, examples, predictions, thresholds, run)


def markdown(
    reports: Sequence[Report], thresholds: Thresholds, examples: str = "held-out examples"
) -> str:
    """The side-by-side table and the main confusions, as Markdown."""
    rows: list[tuple[str, Callable[[Report], str]]] = [
        (examples, lambda r: str(r.examples)),
        ("top-1 intent accuracy", lambda r: _pct(r.accuracy)),
        ("macro-F1", lambda r: f"{r.macro_f1:.3f}"),
        (
            "accuracy, no-diacritics subset",
            lambda r: f"{_pct(r.accuracy_no_diacritics)} (n={r.no_diacritics})",
        ),
        ("out-of-scope recall", lambda r: _pct(r.oos_recall)),
        ("in-scope false fallback", lambda r: _pct(r.false_fallback)),
        ("training time", lambda r: f"{r.training_seconds:.0f} s" if r.training_seconds else "—"),
        ("training peak memory", lambda r: f"{r.peak_mb:.0f} MB" if r.peak_mb else "—"),
    ]
    head = "| figure | " + " | ".join(r.name for r in reports) + " |"
    lines = [head, "|---|" + "---|" * len(reports)]
    lines += [f"| {label} | " + " | ".join(get(r) for r in reports) + " |" for label, get in rows]
    lines.append("")
    lines.append(
        f"Fallback rule (the bot's own): answer only when confidence ≥ {thresholds.confident} "
        f"and ≥ {thresholds.ratio}× the runner-up's, and, for a procedure or a referral, "
        f"when the off-topic check scores the text at most {thresholds.off_topic} (a model "
        "without the check: not applied)"
        + (
            f" and the answer gate (nlu/gate.py) gives it at least {thresholds.gate}"
            if thresholds.answer_gate is not None
            else ""
        )
        + "; otherwise suggest or decline."
    )
    for report in reports:
        lines += ["", f"Most frequent confusions, {report.name} (true → predicted, count):", ""]
        lines += [f"- {t} → {p}: {n}" for t, p, n in report.confusions] or ["- none"]
    return "\n".join(lines) + "\n"


def _mean(values: Sequence[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _macro_f1(truth: Sequence[str], predicted: Sequence[str]) -> float:
    """Unweighted mean F1 over the intents of the test set."""
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == label and p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(t != label and p == label for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label and p != label for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class Trap:
    """One message of the adversarial set: what the bot should do, and which top
    intents are right for it (none for a decline: out_of_scope or below the threshold)."""

    text: str
    expect: str
    kind: str
    acceptable: frozenset[str]


@dataclass
class KindFigures:
    """The classifier on the adversarial messages of one kind (or all of them)."""

    kind: str
    messages: int
    right: float
    confident_wrong: float
    wrong: list[tuple[str, str, str, float]] = field(default_factory=list)


def load_adversarial(path: Path = ADVERSARIAL_FILE) -> list[Trap]:
    """The adversarial set (nlu/data/test/README.md has the format)."""
    document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [_trap(item) for item in document["messages"]]


def _trap(item: dict[str, Any]) -> Trap:
    expect = str(item["expect"])
    if expect == "refer":
        acceptable = {REFERRAL_PREFIX + str(item["referral"])}
    elif expect == "decline":
        acceptable = {OUT_OF_SCOPE}
    else:  # answer: one intent; suggest: a list of acceptable ones
        intents = item["intent"]
        acceptable = {str(i) for i in (intents if isinstance(intents, list) else [intents])}
    return Trap(str(item["text"]), expect, str(item["kind"]), frozenset(acceptable))


def score_adversarial(
    traps: Sequence[Trap], predictions: Sequence[ParseResult], thresholds: Thresholds
) -> list[KindFigures]:
    """Per kind, then for all messages: the share whose top intent is right (a decline
    is also right below the threshold), and the share confident and wrong (confident by
    the bot's rule, top intent not an acceptable one: an answer or referral given outright
    that is not the right one)."""
    kinds: dict[str, list[tuple[Trap, ParseResult]]] = {}
    for trap, parse in zip(traps, predictions, strict=True):
        kinds.setdefault(trap.kind, []).append((trap, parse))
    kinds["all"] = list(zip(traps, predictions, strict=True))

    def right(trap: Trap, parse: ParseResult) -> bool:
        if trap.expect == "decline" and not is_confident(parse, thresholds):
            return True
        return (parse.intent or "-") in trap.acceptable

    def confident_wrong(trap: Trap, parse: ParseResult) -> bool:
        return is_confident(parse, thresholds) and (parse.intent or "-") not in trap.acceptable

    return [
        KindFigures(
            kind=kind,
            messages=len(pairs),
            right=_mean([right(t, p) for t, p in pairs]),
            confident_wrong=_mean([confident_wrong(t, p) for t, p in pairs]),
            wrong=[
                (t.text, "|".join(sorted(t.acceptable)), p.intent or "-", round(p.confidence, 2))
                for t, p in pairs
                if confident_wrong(t, p)
            ],
        )
        for kind, pairs in kinds.items()
    ]


def evaluate_adversarial(settings: Settings, thresholds: Thresholds) -> list[KindFigures]:
    """Our model for the current data (trained if needed) on the adversarial set."""
    model = train(settings)
    traps = load_adversarial()
    predictions = predict(settings, model, [model_text(t.text) for t in traps])
    return score_adversarial(traps, predictions, thresholds)


def adversarial_markdown(figures: Sequence[KindFigures]) -> str:
    """The per-kind table, as Markdown."""
    lines = [
        "| kind | messages | top intent right | confident and wrong |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {f.kind} | {f.messages} | {_pct(f.right)} | {_pct(f.confident_wrong)} |"
        for f in figures
    ]
    return "\n".join(lines) + "\n"

"""`tiepdan nlu crossval --fit-gate`: fit the answer gate (nlu/gate.py) on out-of-fold
predictions, and show what each threshold would cost and save.

The rows are the answers the hand-set rules would give outright (a procedure or a
referral: `passes_rules`): every training example and every off-topic line, each
predicted by a fold's model that never saw it. An answer is right when it is the
example's intent; an off-topic line has no right answer. The figures for each threshold
come from the gate fitted on the other folds' rows, so they are out of fold twice over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answering.service import CONVERSATION_ACTIONS, Thresholds, passes_rules
from bot.settings import Settings
from nlu.client import ParseResult
from nlu.crossval import OutOfFold
from nlu.evaluate import declined, is_ours
from nlu.gate import AnswerGate, features
from nlu.train import run_rasa_script

THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
# Issue 12: at most this share of our questions may go unanswered (held out; applied here
# to the out-of-fold predictions, which are harsher).
FALSE_FALLBACK_LIMIT = 0.05


@dataclass(frozen=True)
class GateRow:
    """What a threshold does out of fold."""

    threshold: float
    wrong_answers: int  # answers given outright that are wrong, examples and lines
    false_fallback: float  # share of our questions not answered outright


@dataclass(frozen=True)
class GateFit:
    """The gate fitted on every row, and the out-of-fold figures per threshold."""

    gate: AnswerGate
    answers: int  # answers the rules give outright
    wrong: int  # of which wrong
    without_gate: GateRow
    rows: list[GateRow]

    @property
    def suggested(self) -> float | None:
        """The strictest threshold whose false fallback stays within the limit."""
        within = [r.threshold for r in self.rows if r.false_fallback <= FALSE_FALLBACK_LIMIT]
        return max(within, default=None)


def fit_gate(settings: Settings, oof: OutOfFold, thresholds: Thresholds) -> GateFit:
    """Fit the gate on `oof` under the rules of `thresholds` (its own gate left out)."""
    rules = replace(thresholds, answer_gate=None)
    parses = [*oof.predictions, *oof.line_predictions]
    truths: list[str | None] = [e.intent for e in oof.examples] + [None] * len(oof.lines)
    folds = [*oof.example_folds, *oof.line_folds]
    answered = [i for i, p in enumerate(parses) if _answers(p, rules)]
    right = [parses[i].intent == truths[i] for i in answered]
    fitted = _fit(
        settings,
        [list(features(parses[i])) for i in answered],
        right,
        [folds[i] for i in answered],
    )
    probability = dict(zip(answered, fitted.out_of_fold, strict=True))
    ours = [i for i, e in enumerate(oof.examples) if is_ours(e.intent)]

    def row(threshold: float) -> GateRow:
        wrong = sum(parses[i].intent != truths[i] for i in answered if probability[i] >= threshold)
        held = sum(declined(parses[i], rules) or probability.get(i, 1.0) < threshold for i in ours)
        return GateRow(threshold, wrong, held / len(ours) if ours else 0.0)

    gate = AnswerGate(
        weights=fitted.weights,
        bias=fitted.bias,
        fitted_on=(
            f"tiepdan nlu crossval --fit-gate: {len(set(folds))} folds, "
            f"{len(answered)} answers given outright by the rules, {right.count(False)} wrong"
        ),
    )
    return GateFit(gate, len(answered), right.count(False), row(0.0), [row(t) for t in THRESHOLDS])


def _answers(parse: ParseResult, rules: Thresholds) -> bool:
    """A procedure or a referral the rules give outright."""
    return parse.intent not in CONVERSATION_ACTIONS and passes_rules(parse, rules)


@dataclass(frozen=True)
class _Fitted:
    weights: tuple[float, ...]
    bias: float
    out_of_fold: list[float]


def _fit(settings: Settings, x: list[list[float]], y: list[bool], folds: list[int]) -> _Fitted:
    """The logistic model, fitted in the Rasa venv (nlu/rasa_fit_gate.py)."""
    raw = run_rasa_script(settings, "rasa_fit_gate.py", {"X": x, "y": y, "folds": folds})
    return _Fitted(
        weights=tuple(float(w) for w in raw["weights"]),
        bias=float(raw["bias"]),
        out_of_fold=[float(p) for p in raw["out_of_fold"]],
    )


def gate_table(fit: GateFit) -> str:
    """The figures per threshold, as Markdown."""
    lines = [
        f"Answer gate fitted on {fit.answers} out-of-fold answers the rules give outright, "
        f"{fit.wrong} of them wrong.",
        "",
        "| NLU_GATE | wrong answers given outright | in-scope false fallback |",
        "|---|---|---|",
    ]
    for row in (fit.without_gate, *fit.rows):
        name = "0 (no gate)" if row.threshold == 0.0 else f"{row.threshold:.1f}"
        lines.append(f"| {name} | {row.wrong_answers} | {100 * row.false_fallback:.1f} % |")
    suggested = fit.suggested
    lines += [
        "",
        "Suggested NLU_GATE (the strictest with false fallback within "
        f"{100 * FALSE_FALLBACK_LIMIT:.0f} %): "
        + ("none" if suggested is None else f"{suggested:.1f}"),
    ]
    return "\n".join(lines)

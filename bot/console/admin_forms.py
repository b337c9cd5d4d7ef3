"""What the admin's editors share: one item a line, problems placed next to their field,
and a 404 page for what is not there."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from starlette.exceptions import HTTPException

from bot.faq.examples import clean_texts
from bot.faq.intent_rules import Problem

T = TypeVar("T")


def lines(text: str) -> list[str]:
    """One item per non-empty line, trimmed, each once, in the order typed."""
    return clean_texts(text.splitlines())


def by_field(
    problems: Iterable[Problem], fields: Iterable[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Problems shown next to their field ("sections.2.text" goes with "sections"), and
    the others (shown above the form)."""
    known = set(fields)
    placed: dict[str, list[str]] = {}
    others: list[str] = []
    for problem in problems:
        name = problem.field.split(".", 1)[0].split("[", 1)[0]
        if name in known:
            placed.setdefault(name, []).append(problem.message)
        else:
            others.append(problem.message)
    return placed, others


def found(load: Callable[[], T]) -> T:
    """What `load` returns; a 404 page when it raises LookupError (no such intent, unit)."""
    try:
        return load()
    except LookupError:
        raise HTTPException(404) from None

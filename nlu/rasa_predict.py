"""Runs inside the Rasa venv (Python 3.10): parse many texts with one model, offline.

Usage: python nlu/rasa_predict.py MODEL IN_JSON OUT_JSON — IN_JSON holds a list of
texts, OUT_JSON receives one {"intent", "intent_ranking", "off_topic"} object per text. Only the
standard library and Rasa are imported, so the app's packages need not be installed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any


async def _parse_all(model: str, texts: list[str]) -> list[dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        results.append(
            {
                "intent": parsed["intent"],
                "intent_ranking": parsed["intent_ranking"],
                "off_topic": parsed.get("off_topic"),
            }
        )
    return results


def main(argv: list[str]) -> int:
    """Entry point."""
    logging.disable(logging.WARNING)
    model, source, target = argv
    with open(source, encoding="utf-8") as handle:
        texts = json.load(handle)
    results = asyncio.run(_parse_all(model, texts))
    with open(target, "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

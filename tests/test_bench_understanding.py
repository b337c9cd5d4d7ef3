"""`tiepdan bench understanding` end to end on small files: a fake NLU, a real SQLite
database with the repository's answers and referrals, the real `decide`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import SecretStr

from bot.bench_understanding import Report, markdown, run_understanding_bench, tables
from bot.bootstrap import prepare_database
from bot.settings import get_settings
from nlu.normalize import model_text
from tests.fake_nlu import fake_nlu

ADVERSARIAL = """
messages:
  - {text: "làm căn cước cần gì", expect: answer, intent: can_cuoc, referral: null, aspect: documents, kind: aspect_question}
  - {text: "thủ tục ly hôn", expect: refer, intent: null, referral: ly_hon, aspect: null, kind: other_body}
  - {text: "giảm cân", expect: decline, intent: null, referral: null, aspect: null, kind: folding_collision}
"""
DIALOGUES = """
dialogues:
  - id: d1
    turns:
      - {text: "làm căn cước cần gì", expect: answer, intent: can_cuoc, aspect: documents, referral: null}
      - {text: "còn lệ phí thì sao?", expect: answer, intent: can_cuoc, aspect: fee, referral: null}
  - id: d2
    turns:
      - {text: "thủ tục ly hôn", expect: refer, intent: null, aspect: null, referral: ly_hon}
      - {text: "còn lệ phí thì sao?", expect: decline, intent: null, aspect: null, referral: null}
"""
# The fake NLU: sure of these; everything else (the follow-ups) is out of scope to it.
UNDERSTOOD = {
    "làm căn cước cần gì": [("can_cuoc", 0.95), ("tam_tru", 0.02)],
    "thủ tục ly hôn": [("ref_ly_hon", 0.9), ("ket_hon", 0.05)],
    "giảm cân": [("giam_ho", 0.97), ("out_of_scope", 0.01)],
}


def bench(sets: Path) -> Report:
    """The bench over the files in `sets`, with a fake NLU and a database beside them."""
    with fake_nlu({model_text(t): r for t, r in UNDERSTOOD.items()}) as url:
        settings = get_settings().model_copy(
            update={
                "rasa_url": url,
                "rasa_token": SecretStr("t"),
                "database_url": f"sqlite:///{sets}/bench.db",
                "var_dir": sets,
            }
        )
        prepare_database(settings)
        return asyncio.run(run_understanding_bench(settings, sets))


def test_a_folder_with_dialogues_only_is_scored_on_them(tmp_path: Path) -> None:
    """`--sets DIR` where DIR has no adversarial.yml (nlu/data/dev/written)."""
    (tmp_path / "dialogues.yml").write_text(DIALOGUES, encoding="utf-8")
    report = bench(tmp_path)
    assert report.adversarial["all"].total == 0 and report.dialogues["all"].total == 4
    printed = tables(report, tmp_path)
    assert "| turn 2 |" in printed and "| kind |" not in printed


def test_the_bench_scores_messages_alone_and_dialogues_with_the_previous_intent(
    tmp_path: Path,
) -> None:
    (tmp_path / "adversarial.yml").write_text(ADVERSARIAL, encoding="utf-8")
    (tmp_path / "dialogues.yml").write_text(DIALOGUES, encoding="utf-8")
    report = bench(tmp_path)
    adversarial = report.adversarial["all"]
    assert adversarial.counts["answered"] == 1
    assert adversarial.counts["referred"] == 1
    # The folding collision answered outright is the one confident wrong answer.
    assert adversarial.counts["confident_wrong"] == 1
    assert report.confident_wrong == [
        {
            "in": "adversarial",
            "text": "giảm cân",
            "expected": "decline",
            "given": "giam_ho",
            "action": "faq",
        }
    ]
    # The follow-up is answered for căn cước (its previous turn), not after a referral.
    assert report.dialogues["turn 2"].correct == 2
    assert (report.dialogues["all"].aspect_total, report.dialogues["all"].aspect_right) == (2, 2)
    assert "| **all** | 4 | 100.0 % | 0.0 % | 2 | 100.0 % |" in markdown(report)

"""Training examples in the database: seeding, editing, near-duplicate detection."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from bot.faq import examples as ex
from bot.faq.models import FaqAnswer
from bot.faq.service import import_answers
from nlu.training_data import read_examples, training_files
from tests.factories import answer_data


def _write(directory: Path, intent: str, *texts: str) -> None:
    lines = "\n".join(f"    - {t}" for t in texts)
    (directory / f"{intent}.yml").write_text(
        f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n{lines}\n', encoding="utf-8"
    )


def test_seed_adds_the_repository_examples_in_order_once(session: Session) -> None:
    added = ex.seed_examples(session=session)
    repo = read_examples(training_files())
    assert added == sum(len(v) for v in repo.values())
    assert ex.examples_by_intent(session=session, active_only=False) == dict(sorted(repo.items()))
    assert {e.source for e in ex.list_examples(session=session, intent="greet")} == {"seed"}
    assert ex.seed_examples(session=session) == 0


def test_seed_only_fills_intents_without_examples(session: Session, tmp_path: Path) -> None:
    ex.add_examples(session=session, actor_tag="staff:a", intent="greet", texts=["chào ad"])
    _write(tmp_path, "greet", "xin chào", "hi")
    _write(tmp_path, "khai_sinh", "làm giấy khai sinh")
    _write(tmp_path, "khai_tu", "khai tử")
    assert ex.seed_examples(session=session, directory=tmp_path, skip={"khai_tu"}) == 1
    assert [e.text for e in ex.list_examples(session=session, intent="greet")] == ["chào ad"]
    assert ex.example_counts(session=session) == {"greet": 1, "khai_sinh": 1}


def test_add_skips_duplicates_and_replace_keeps_unchanged_rows(session: Session) -> None:
    added = ex.add_examples(
        session=session, actor_tag="staff:a", intent="khai_sinh", texts=[" a ", "b", "a", ""]
    )
    assert [(e.text, e.source, e.created_by) for e in added] == [
        ("a", "admin", "staff:a"),
        ("b", "admin", "staff:a"),
    ]
    assert (
        ex.add_examples(session=session, actor_tag="staff:b", intent="khai_sinh", texts=["a"]) == []
    )
    kept = ex.list_examples(session=session, intent="khai_sinh")[1]
    ex.replace_examples(session=session, actor_tag="staff:b", intent="khai_sinh", texts=["b", "c"])
    rows = ex.list_examples(session=session, intent="khai_sinh")
    assert [(e.text, e.created_by) for e in rows] == [("b", "staff:a"), ("c", "staff:b")]
    assert rows[0].id == kept.id
    assert ex.delete_examples(session=session, intent="khai_sinh") == 2


def test_inactive_intents_are_left_out_of_the_active_examples(session: Session) -> None:
    import_answers(session=session, answers=[answer_data("khai_sinh"), answer_data("khai_tu")])
    for intent in ("khai_sinh", "khai_tu", "greet"):
        ex.add_examples(session=session, actor_tag="t", intent=intent, texts=[f"{intent} 1"])
    row = session.get(FaqAnswer, "khai_tu")
    assert row is not None
    row.active = False
    assert list(ex.examples_by_intent(session=session, active_only=True)) == ["greet", "khai_sinh"]
    assert len(ex.examples_by_intent(session=session, active_only=False)) == 3


def test_near_duplicates_name_the_other_intent(session: Session) -> None:
    import_answers(session=session, answers=[answer_data("khai_sinh", "Đăng ký khai sinh")])
    ex.add_examples(
        session=session,
        actor_tag="t",
        intent="khai_sinh",
        texts=["làm giấy khai sinh cho con cần những giấy tờ gì"],
    )
    ex.add_examples(session=session, actor_tag="t", intent="greet", texts=["xin chào"])
    clashes = ex.near_duplicates(
        session=session,
        intent="khai_tu",
        texts=[
            "Lam giay khai sinh cho con can nhung giay to gi?",  # identical once folded
            "làm giấy khai sinh cho con cần những giấy tờ gì ạ",  # nearly identical
            "XIN CHAO",  # an intent with no answer: named by its id
            "làm giấy chứng tử cho bố",
        ],
    )
    assert [(c.text, c.other_intent, c.other_title) for c in clashes] == [
        ("Lam giay khai sinh cho con can nhung giay to gi?", "khai_sinh", "Đăng ký khai sinh"),
        ("làm giấy khai sinh cho con cần những giấy tờ gì ạ", "khai_sinh", "Đăng ký khai sinh"),
        ("XIN CHAO", "greet", "greet"),
    ]
    assert clashes[0].other_text == "làm giấy khai sinh cho con cần những giấy tờ gì"
    # The intent's own examples never clash with it.
    assert (
        ex.near_duplicates(
            session=session,
            intent="khai_sinh",
            texts=["lam giay khai sinh cho con can nhung giay to gi"],
        )
        == []
    )

"""Import and export of what the bot knows, in the repository's YAML format."""

from __future__ import annotations

from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.cases.canned import read_canned_file
from bot.faq.archive import export_archive, import_archive
from bot.faq.examples import add_examples, examples_by_intent, replace_examples
from bot.faq.intents import load_intent, save_intent
from bot.faq.portable import (
    REPOSITORY,
    export_knowledge,
    import_knowledge,
    read_answers,
    seed_knowledge,
)
from bot.faq.service import read_answer_file, read_answer_files
from bot.faq.topics import list_topics, read_topics_file
from bot.staff.roles import Actor, Role
from bot.units.admin import load_unit, save_unit
from bot.units.service import list_units, read_units_file
from nlu.training_data import read_examples, training_files

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)


def _tree(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def test_a_seeded_database_exports_the_repository_content(session: Session, tmp_path: Path) -> None:
    seed_knowledge(session=session)
    out = tmp_path / "out"
    export_knowledge(session=session, directory=out)
    # The repository keeps its referrals in one catalogue; the export as answer files.
    assert read_answer_files(out / "answers") == read_answers(REPOSITORY)
    assert yaml.safe_load((out / "topics.yml").read_text(encoding="utf-8")) == read_topics_file()
    assert yaml.safe_load((out / "units.yml").read_text(encoding="utf-8")) == read_units_file()
    canned = yaml.safe_load((out / "canned_replies.yml").read_text(encoding="utf-8"))
    assert canned == [{**r, "text": r["text"].strip()} for r in read_canned_file()]
    assert read_examples(training_files(out / "train")) == read_examples(training_files())
    # The training files are even the same bytes.
    assert _tree(out / "train") == _tree(REPOSITORY.train)


def test_round_trip_is_exact_also_after_admins_edits(
    session: Session, fresh: Session, tmp_path: Path
) -> None:
    seed_knowledge(session=session)
    form = load_intent(session=session, intent="khai_tu")
    form.active, form.title = False, "Khai tử: «báo tử» & giấy tờ"
    form.summary = "  dòng một\n\n   dòng hai thụt lề  \n"
    form.sections = [{"label": "Lưu ý: #1", "text": "- a: b\n- 'c' \"d\"\n\n  e"}]
    form.examples = [
        *form.examples,
        "bố tôi mất, làm khai tử ở đâu: phường hay xã?",
        "# không phải chú thích",
    ]
    save_intent(session=session, actor=ADMIN, form=form)
    unit = load_unit(session=session, code="QH")
    unit.phone, unit.hours = "0203 3862 123", "Sáng: 7:30–11:30\nChiều: 13:30–17:00"
    unit.old_names_in_part = ["Quang Hanh"]
    save_unit(session=session, actor=ADMIN, form=unit)
    first, second = tmp_path / "first", tmp_path / "second"
    export_knowledge(session=session, directory=first)
    counts = import_knowledge(session=fresh, directory=first, overwrite=False)
    assert counts["answers"] == 60 and counts["units"] == 5 and counts["examples"] > 2900
    export_knowledge(session=fresh, directory=second)
    assert _tree(first) == _tree(second)
    assert read_answer_file(second / "answers" / "khai_tu.yml").active is False
    assert [u.phone for u in list_units(session=fresh) if u.code == "QH"] == ["0203 3862 123"]


def test_a_start_adds_only_what_is_missing_and_overwrite_resets(
    session: Session, tmp_path: Path
) -> None:
    seed_knowledge(session=session)
    form = load_intent(session=session, intent="khai_sinh")
    form.title, form.topic_id = "Khai sinh (sửa)", "thong_tin_chung"
    save_intent(session=session, actor=ADMIN, form=form)
    unit = load_unit(session=session, code="CP")
    unit.address = "Số 1 đường A"
    save_unit(session=session, actor=ADMIN, form=unit)
    assert seed_knowledge(session=session) == {
        "units": 0,
        "topics": 0,
        "canned_replies": 0,
        "answers": 0,
        "examples": 0,
        "examples_updated": 0,
    }
    assert load_intent(session=session, intent="khai_sinh").title == "Khai sinh (sửa)"
    assert load_intent(session=session, intent="khai_sinh").topic_id == "thong_tin_chung"
    assert load_unit(session=session, code="CP").address == "Số 1 đường A"
    counts = import_knowledge(session=session, directory=None, overwrite=True)
    assert counts["answers"] == 60 and counts["topics"] == 7 and counts["units"] == 5
    assert load_intent(session=session, intent="khai_sinh").title == "Đăng ký khai sinh"
    assert load_intent(session=session, intent="khai_sinh").topic_id == "ho_tich"
    assert load_unit(session=session, code="CP").address == ""
    assert list_topics(session=session)[0].id == "ho_tich"


def test_a_new_repository_intent_joins_its_topic_at_the_next_start(
    session: Session, tmp_path: Path
) -> None:
    seed_knowledge(session=session)
    folder = tmp_path / "k"
    export_knowledge(session=session, directory=folder)
    answer = (folder / "answers" / "khai_sinh.yml").read_text(encoding="utf-8")
    (folder / "answers" / "karaoke.yml").write_text(
        answer.replace("intent: khai_sinh", "intent: karaoke"), encoding="utf-8"
    )
    topics = read_topics_file(folder / "topics.yml")
    topics[0]["intents"].append("karaoke")
    (folder / "topics.yml").write_text(yaml.safe_dump(topics, allow_unicode=True), encoding="utf-8")
    counts = import_knowledge(session=session, directory=folder, overwrite=False)
    assert counts["answers"] == 1 and counts["topics"] == 0
    assert list_topics(session=session)[0].intents[-1] == "karaoke"


def test_a_release_s_examples_reach_intents_nobody_edited(session: Session) -> None:
    """An older release seeded fewer examples; the next start brings every intent no admin
    touched up to the files, and leaves the edited ones, and a citizen's question assigned,
    as they are."""
    seed_knowledge(session=session)
    shipped = read_examples(training_files(REPOSITORY.train))
    for intent in ("ket_hon", "khai_tu", "ho_ngheo"):  # as an older release left them
        replace_examples(
            session=session, actor_tag="seed", intent=intent, texts=shipped[intent][:5]
        )
    form = load_intent(session=session, intent="ket_hon")
    form.examples = [*shipped["ket_hon"][:5], "đăng ký kết hôn ở phường mình"]
    save_intent(session=session, actor=ADMIN, form=form)
    add_examples(
        session=session,
        actor_tag="canbo",
        intent="ho_ngheo",
        texts=["hộ cận nghèo"],
        source="citizen",
    )
    counts = seed_knowledge(session=session)
    assert counts["examples_updated"] == 1
    held = examples_by_intent(session=session, active_only=False)
    assert held["khai_tu"] == shipped["khai_tu"]
    assert held["ket_hon"] == [*shipped["ket_hon"][:5], "đăng ký kết hôn ở phường mình"]
    assert held["ho_ngheo"] == [*shipped["ho_ngheo"][:5], "hộ cận nghèo"]
    assert seed_knowledge(session=session)["examples_updated"] == 0


def test_after_a_knowledge_folder_import_the_files_no_longer_refresh_examples(
    session: Session,
) -> None:
    seed_knowledge(session=session)
    shipped = read_examples(training_files(REPOSITORY.train))
    data = export_archive(session=session, actor=ADMIN)
    import_archive(session=session, actor=ADMIN, data=data, overwrite=True)
    replace_examples(
        session=session, actor_tag="seed", intent="khai_tu", texts=shipped["khai_tu"][:5]
    )
    assert seed_knowledge(session=session)["examples_updated"] == 0
    assert len(examples_by_intent(session=session, active_only=False)["khai_tu"]) == 5

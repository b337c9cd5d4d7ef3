"""Training data from the database: deterministic files, the same model for the same data."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.faq.examples import add_examples, seed_examples
from bot.faq.models import FaqAnswer
from bot.faq.service import import_answers
from bot.settings import Settings
from nlu import train as train_module
from nlu.train import TrainingRun, model_file, model_path, train, train_from
from nlu.training_data import training_files
from nlu.training_export import export_training_data
from tests.factories import answer_data


def test_a_seeded_database_exports_the_repository_files_byte_for_byte(
    session: Session, tmp_path: Path
) -> None:
    seed_examples(session=session)
    files = export_training_data(session=session, directory=tmp_path)
    repo = training_files()
    assert [f.name for f in files] == [f.name for f in repo]
    assert all(f.read_bytes() == r.read_bytes() for f, r in zip(files, repo, strict=True))
    assert model_file(tmp_path, files).name == model_file(tmp_path, repo).name


def test_inactive_intents_are_not_trained(session: Session, tmp_path: Path) -> None:
    import_answers(session=session, answers=[answer_data("khai_sinh")])
    add_examples(session=session, actor_tag="t", intent="khai_sinh", texts=["khai sinh"])
    add_examples(session=session, actor_tag="t", intent="greet", texts=["xin chào"])
    row = session.get(FaqAnswer, "khai_sinh")
    assert row is not None
    row.active = False
    files = export_training_data(session=session, directory=tmp_path)
    assert [f.name for f in files] == ["greet.yml"]


def test_the_export_depends_on_content_not_on_row_ids(session: Session, tmp_path: Path) -> None:
    add_examples(session=session, actor_tag="t", intent="greet", texts=["x", "y"])
    first = [
        f.read_bytes() for f in export_training_data(session=session, directory=tmp_path / "a")
    ]
    add_examples(session=session, actor_tag="t", intent="thanks", texts=["cảm ơn"])
    add_examples(session=session, actor_tag="t", intent="greet", texts=["z"])
    session.rollback()
    add_examples(session=session, actor_tag="other", intent="greet", texts=["x", "y"])
    again = [
        f.read_bytes() for f in export_training_data(session=session, directory=tmp_path / "b")
    ]
    assert again == first


@pytest.fixture
def fake_rasa(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, list[str]]]:
    """Replace `rasa train nlu` with writing an empty model file; records what it got."""
    calls: list[dict[str, list[str]]] = []

    def fake(
        settings: Settings,
        *,
        config: Path,
        examples: dict[str, list[str]],
        target: Path,
        output: object = None,
    ) -> TrainingRun:
        calls.append(examples)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"model")
        return TrainingRun(target, 0.1, 1.0, sum(map(len, examples.values())))

    monkeypatch.setattr(train_module, "train_model", fake)
    return calls


def test_train_uses_the_database_and_trains_only_when_needed(
    db_url: str, tmp_path: Path, fake_rasa: list[dict[str, list[str]]]
) -> None:
    settings = Settings(database_url=db_url, models_dir=tmp_path / "models", var_dir=tmp_path)
    expected = model_file(settings.models_dir, training_files())
    assert model_path(settings) == expected  # seeded from the repository: the same model
    assert train(settings) == expected and len(fake_rasa) == 1
    assert "greet" in fake_rasa[0] and all(fake_rasa[0].values())
    assert train(settings) == expected and len(fake_rasa) == 1  # nothing changed
    assert train(settings, force=True) == expected and len(fake_rasa) == 2


def test_train_from_always_trains_into_out_dir(
    tmp_path: Path, fake_rasa: list[dict[str, list[str]]]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "greet.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - Xin chào\n', encoding="utf-8"
    )
    settings = Settings(models_dir=tmp_path / "models")
    out = tmp_path / "out"
    path = train_from(settings, data, out_dir=out, log=io.StringIO())
    assert path == model_file(out, [data / "greet.yml"]) and path.exists()
    train_from(settings, data, out_dir=out)
    assert fake_rasa == [{"greet": ["xin chào", "xin chao"]}] * 2  # prepared: as written + folded
    with pytest.raises(ValueError):
        train_from(settings, tmp_path / "empty", out_dir=out)

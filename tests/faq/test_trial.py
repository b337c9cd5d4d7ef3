from __future__ import annotations

import math
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot import texts as bot_texts
from bot.answering.service import Action, Thresholds
from bot.faq import service as faq
from bot.faq import trial
from bot.faq.candidate import CandidatePredictions, Prediction
from bot.faq.topics import topic_of
from bot.settings import Settings
from bot.staff.permissions import Forbidden
from bot.staff.roles import Actor, Role
from bot.texts import answers as answer_texts
from nlu.client import ParseResult
from nlu.gate import AnswerGate
from tests.factories import parse_result
from tests.fake_nlu import fake_nlu
from tests.training.factories import add_model

ADMIN = Actor(id=1, username="quantri", role=Role.ADMIN, unit_code=None)
OFFICER = Actor(id=2, username="canbo.qh", role=Role.OFFICER, unit_code="QH")
THRESHOLDS = Thresholds()


def _try(session: Session, *ranking: tuple[str, float]) -> trial.Trial:
    parse = parse_result(*ranking)
    return trial.try_text(
        session=session, actor=ADMIN, text=parse.text, parse=parse, thresholds=THRESHOLDS
    )


def test_a_confident_parse_gives_the_answer_and_its_buttons(knowledge: Session) -> None:
    result = _try(knowledge, ("khai_sinh", 0.9), ("ket_hon", 0.05))
    assert result.decision.action is Action.FAQ
    assert result.decision.reply.startswith("<b>ĐĂNG KÝ KHAI SINH</b>")
    topic = topic_of(session=knowledge, intent="khai_sinh")
    assert topic is not None
    parts = faq.answer_aspects(session=knowledge, intent="khai_sinh")
    assert result.buttons[0] == [bot_texts.FEEDBACK_HELPFUL, bot_texts.FEEDBACK_WRONG]
    assert result.buttons[-2:] == [
        [bot_texts.MENU_BUTTON_BACK_TOPIC.format(topic=topic.title)],
        [bot_texts.MENU_BUTTON_BACK],
    ]
    offered = [label for row in result.buttons[1:-2] for label in row]
    assert offered == [answer_texts.ASPECT_BUTTONS[a] for a in parts] + [answer_texts.FULL_BUTTON]
    assert [(r.intent, r.title) for r in result.ranking] == [
        ("khai_sinh", "Đăng ký khai sinh"),
        ("ket_hon", "Đăng ký kết hôn"),
    ]
    assert not result.nlu_down
    assert not result.off_topic


def test_a_lookalike_held_back_by_the_off_topic_check_says_so(knowledge: Session) -> None:
    parse = replace(parse_result(("khai_sinh", 0.97), ("ket_hon", 0.01)), off_topic=0.6)
    result = trial.try_text(
        session=knowledge,
        actor=ADMIN,
        text="bé mới sinh bị vàng da",
        parse=parse,
        thresholds=THRESHOLDS,
    )
    assert result.off_topic
    assert result.decision.action is Action.FALLBACK
    assert result.decision.reply == bot_texts.DID_YOU_MEAN


def test_an_answer_held_back_by_the_answer_gate_says_so_with_its_probability(
    knowledge: Session,
) -> None:
    gate = AnswerGate(weights=(10.0, 0.0, -5.0, 0.0, 0.0), bias=-6.0)
    gated = replace(THRESHOLDS, answer_gate=gate, gate=0.5, off_topic=1.0)
    half = replace(parse_result(("khai_sinh", 0.7), ("ket_hon", 0.1)), off_topic=0.3)
    result = trial.try_text(
        session=knowledge, actor=ADMIN, text="mượn loa phường", parse=half, thresholds=gated
    )
    assert result.decision.action is Action.FALLBACK
    assert not result.off_topic
    assert result.gated == trial.GateHold(pytest.approx(1 / (1 + math.exp(0.5))), 0.5)
    sure = replace(half, confidence=0.95, off_topic=-0.5)
    result = trial.try_text(
        session=knowledge, actor=ADMIN, text="khai sinh", parse=sure, thresholds=gated
    )
    assert result.decision.action is Action.FAQ and result.gated is None
    # held back by the other rules (a close runner-up): not the gate's doing
    close = replace(half, ranking=(half.ranking[0], replace(half.ranking[1], confidence=0.6)))
    result = trial.try_text(
        session=knowledge, actor=ADMIN, text="giấy tờ", parse=close, thresholds=gated
    )
    assert result.decision.action is Action.FALLBACK and result.gated is None


def test_an_unsure_parse_offers_suggestions(knowledge: Session) -> None:
    result = _try(knowledge, ("khai_sinh", 0.4), ("ket_hon", 0.35))
    assert result.decision.action is Action.FALLBACK
    assert result.decision.reply == bot_texts.DID_YOU_MEAN
    assert result.buttons == [
        ["Đăng ký khai sinh"],
        ["Đăng ký kết hôn"],
        [bot_texts.MENU_BUTTON_BACK],
    ]


def test_without_the_nlu_the_fallback_and_the_main_menu(knowledge: Session) -> None:
    result = trial.try_text(
        session=knowledge, actor=ADMIN, text="alo", parse=None, thresholds=THRESHOLDS
    )
    assert result.nlu_down
    assert result.decision.reply == bot_texts.NLU_DOWN
    assert result.ranking == []
    assert result.buttons[-1] == [bot_texts.MENU_BUTTON_HELP]


def test_non_admins_are_forbidden(knowledge: Session) -> None:
    with pytest.raises(Forbidden):
        trial.try_text(
            session=knowledge, actor=OFFICER, text="x", parse=None, thresholds=THRESHOLDS
        )
    with pytest.raises(Forbidden):
        trial.models(session=knowledge, actor=OFFICER)


def test_models_are_the_active_and_the_candidate(knowledge: Session, tmp_path: Path) -> None:
    assert trial.models(session=knowledge, actor=ADMIN) == trial.Models(None, None)
    add_model(knowledge, "v1", "active", directory=tmp_path)
    add_model(knowledge, "v2", "ready", directory=tmp_path)
    found = trial.models(session=knowledge, actor=ADMIN)
    assert found.active is not None and found.active.version == "v1"
    assert found.candidate == trial.ModelInfo("v2", tmp_path / "v2.tar.gz")


@pytest.mark.parametrize("text", ["", "   ", "x" * 501])
def test_check_text_refuses_empty_and_long_texts(text: str) -> None:
    with pytest.raises(trial.TrialProblem):
        trial.check_text(text)
    assert trial.check_text(" câu hỏi ") == "câu hỏi"


async def test_parse_active_asks_the_server_with_the_normalised_text(tmp_path: Path) -> None:
    with fake_nlu({"làm giấy khai sinh": [("khai_sinh", 0.97)]}) as url:
        settings = Settings(rasa_url=url, var_dir=tmp_path)
        parse = await trial.parse_active(settings, "Làm giấy khai sinh")
    assert parse is not None
    assert (parse.intent, parse.text) == ("khai_sinh", "Làm giấy khai sinh")


async def test_parse_active_is_none_when_no_server_answers(tmp_path: Path) -> None:
    settings = Settings(rasa_url="http://127.0.0.1:9", var_dir=tmp_path)
    assert await trial.parse_active(settings, "alo") is None


def _wait(predictions: CandidatePredictions, model: Path, text: str) -> Prediction:
    deadline = time.monotonic() + 5
    while (found := predictions.get(version="v2", path=model, text=text)).pending:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    return found


def test_candidate_predictions_run_in_the_background_and_are_kept(tmp_path: Path) -> None:
    model = tmp_path / "v2.tar.gz"
    model.write_bytes(b"model")
    release = threading.Event()
    calls: list[str] = []

    def predict(path: Path, text: str) -> ParseResult:
        release.wait(5)
        calls.append(text)
        return parse_result(("khai_sinh", 0.8), text=text)

    predictions = CandidatePredictions(predict)
    try:
        assert predictions.get(version="v2", path=model, text="Khai sinh").pending
        release.set()
        found = _wait(predictions, model, "Khai sinh")
        assert found.parse is not None and found.parse.intent == "khai_sinh"
        # The same text, typed without diacritics: kept, not predicted again.
        again = predictions.get(version="v2", path=model, text="khai sinh")
        assert again.parse is not None and again.parse.text == "khai sinh"
        assert calls == ["Khai sinh"]
    finally:
        predictions.shutdown()


def test_candidate_prediction_failures_and_missing_files_are_told(tmp_path: Path) -> None:
    model = tmp_path / "v2.tar.gz"
    model.write_bytes(b"model")

    def predict(path: Path, text: str) -> ParseResult:
        raise OSError("no rasa")

    predictions = CandidatePredictions(predict)
    try:
        missing = predictions.get(version="v2", path=tmp_path / "gone.tar.gz", text="x")
        assert missing.error is not None and not missing.pending
        failed = _wait(predictions, model, "x")
        assert failed.error is not None and "OSError" in failed.error
    finally:
        predictions.shutdown()

"""The registry side of activation: the start-up model, claiming a requested activation,
and its outcome; and the bot process's watcher on a stand-in switch."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.audit.models import AuditEntry
from bot.db import session_scope
from bot.settings import Settings
from bot.training.activation import (
    claim_activation,
    complete_activation,
    fail_activation,
    model_to_serve,
    register_serving,
    startup_model,
    watch_activations,
)
from bot.training.models import TrainedModel
from nlu.switch import SwitchFailed


def model_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.tar.gz"
    path.write_bytes(b"model")
    return path


def add_row(session: Session, path: Path, status: str, by: str = "staff:quantri") -> TrainedModel:
    row = TrainedModel(
        version=path.name.removesuffix(".tar.gz"),
        path=str(path),
        status=status,
        trained_by=by,
        figures={},
    )
    session.add(row)
    session.flush()
    return row


def statuses(session: Session) -> dict[str, str]:
    return {r.version: r.status for r in session.scalars(select(TrainedModel))}


def test_the_start_up_model_is_registered_as_active(db: Session, tmp_path: Path) -> None:
    assert model_to_serve(session=db) is None
    first = model_file(tmp_path, "nlu-5bf3fc3160fd865d")
    row = register_serving(session=db, model=first)
    assert (row.status, row.trained_by, row.fingerprint) == ("active", "system", "5bf3fc3160fd865d")
    assert model_to_serve(session=db) == first

    second = model_file(tmp_path, "nlu-0123456789abcdef-20261203T1200")
    register_serving(session=db, model=second)
    assert statuses(db) == {
        "nlu-5bf3fc3160fd865d": "ready",
        "nlu-0123456789abcdef-20261203T1200": "active",
    }
    assert model_to_serve(session=db) == second


def test_an_active_model_whose_file_is_gone_is_not_served(db: Session, tmp_path: Path) -> None:
    gone = model_file(tmp_path, "nlu-gone")
    add_row(db, gone, "active")
    gone.unlink()
    assert model_to_serve(session=db) is None
    register_serving(session=db, model=model_file(tmp_path, "nlu-fresh"))
    assert statuses(db) == {"nlu-gone": "retired", "nlu-fresh": "active"}


def test_an_activation_is_claimed_then_completed(db: Session, tmp_path: Path) -> None:
    add_row(db, model_file(tmp_path, "nlu-a"), "active")
    older = add_row(db, model_file(tmp_path, "nlu-b"), "activating")
    newest = add_row(db, model_file(tmp_path, "nlu-c"), "activating")
    newest.activated_by = "staff:quantri"
    pending = claim_activation(session=db)
    assert pending is not None and pending.version == "nlu-c"
    assert pending.path == tmp_path / "nlu-c.tar.gz"
    assert older.status == "ready" and newest.progress
    assert claim_activation(session=db) is not None  # still activating until done

    complete_activation(session=db, version="nlu-c")
    assert statuses(db) == {"nlu-a": "ready", "nlu-b": "ready", "nlu-c": "active"}
    assert newest.activated_at is not None and newest.progress is None
    assert claim_activation(session=db) is None
    entry = db.scalars(select(AuditEntry).where(AuditEntry.target_id == "nlu-c")).one()
    assert entry.actor == "staff:quantri" and entry.action == "nlu_model.activated"
    assert entry.before == {"status": "activating", "error": None}
    assert entry.after is not None and entry.after["previous"] == ["nlu-a"]


def test_a_failed_activation_goes_back_to_ready_with_the_reason(
    db: Session, tmp_path: Path
) -> None:
    add_row(db, model_file(tmp_path, "nlu-a"), "active")
    add_row(db, model_file(tmp_path, "nlu-b"), "activating")
    claim_activation(session=db)
    fail_activation(session=db, version="nlu-b", detail="the new Rasa server exited")
    assert statuses(db) == {"nlu-a": "active", "nlu-b": "ready"}
    row = db.scalars(select(TrainedModel).where(TrainedModel.version == "nlu-b")).one()
    assert row.error is not None and "the new Rasa server exited" in row.error
    assert "mô hình cũ vẫn đang phục vụ" in row.error


class FakeSwitch:
    """Stands in for nlu.switch.ModelSwitch."""

    def __init__(self, model: Path, fail: bool = False) -> None:
        self.model: Path | None = model
        self.fail = fail
        self.calls: list[Path] = []

    async def switch(self, model: Path) -> None:
        self.calls.append(model)
        if self.fail:
            raise SwitchFailed("the new Rasa server exited (exit code -9) while loading")
        self.model = model


@pytest.mark.parametrize("fail", [False, True])
async def test_the_watcher_carries_out_a_requested_activation(
    db_url: str, tmp_path: Path, fail: bool
) -> None:
    settings = Settings(database_url=db_url, var_dir=tmp_path)
    old, new = model_file(tmp_path, "nlu-old"), model_file(tmp_path, "nlu-new")
    with session_scope(db_url) as session:
        add_row(session, old, "active")
        add_row(session, new, "activating")
    switch = FakeSwitch(old, fail=fail)
    stop = asyncio.Event()
    watcher = asyncio.create_task(
        watch_activations(settings, switch, stop, interval=0.05)  # type: ignore[arg-type]
    )
    try:
        for _ in range(200):
            with session_scope(db_url) as session:
                if statuses(session)["nlu-new"] != "activating":
                    break
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(watcher, timeout=5)
    assert switch.calls == [new]
    with session_scope(db_url) as session:
        expected = (
            {"nlu-old": "active", "nlu-new": "ready"}
            if fail
            else {"nlu-old": "ready", "nlu-new": "active"}
        )
        assert statuses(session) == expected


def test_startup_serves_the_active_model_without_training(db_url: str, tmp_path: Path) -> None:
    settings = Settings(database_url=db_url, var_dir=tmp_path)
    trained: list[Path] = []

    def train(_: Settings) -> Path:
        trained.append(model_file(tmp_path, "nlu-trained"))
        return trained[-1]

    assert startup_model(settings, train) == tmp_path / "nlu-trained.tar.gz"
    with session_scope(db_url) as session:
        add_row(session, model_file(tmp_path, "nlu-admin"), "activating")
        complete_activation(session=session, version="nlu-admin")
    assert startup_model(settings, train) == tmp_path / "nlu-admin.tar.gz"
    assert len(trained) == 1

"""Runs inside the Rasa venv (tests/nlu/test_rasa_components.py starts it): trains
nlu.offtopic.OffTopicCheck on a few intent examples and an off-topic list, saves it, loads
it back and checks its scores. Exits non-zero, with the failed assertion, on error."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.offtopic import OUTPUT, OffTopicCheck, read_off_topic

EXAMPLES = [
    ("thay_doi_ho_tich", "đổi tên cho con"),
    ("thay_doi_ho_tich", "thủ tục đổi tên trong giấy khai sinh"),
    ("thay_doi_ho_tich", "muốn đổi tên con thì làm thế nào"),
    ("thay_doi_ho_tich", "cải chính họ tên"),
    ("ket_hon", "đăng ký kết hôn"),
    ("ket_hon", "làm giấy đăng ký kết hôn ở đâu"),
    ("ket_hon", "kết hôn cần giấy tờ gì"),
    ("out_of_scope", "giá vàng hôm nay"),
    ("out_of_scope", "thời tiết ngày mai"),
    # Small talk is on neither side: a greeting made off-topic would count against "chào"
    ("greet", "xin chào facebook zalo tiktok"),
]
LIST = """# comments are skipped
- đổi tên facebook
- đổi tên zalo thế nào
- doi ten tiktok
- in giấy mời đám cưới
- chụp ảnh cưới ở đâu đẹp
"""


def check_reading(directory: Path) -> None:
    (directory / "a.txt").write_text(LIST, encoding="utf-8")
    (directory / "ignored.md").write_text("- not a list\n", encoding="utf-8")
    texts = read_off_topic(directory)
    assert texts[:2] == ["đổi tên facebook", "doi ten facebook"], texts
    assert "doi ten tiktok" in texts and len(texts) == 9, texts  # one has no marks
    assert not any(t.startswith("#") or "not a list" in t for t in texts), texts


def check_train_save_load(directory: Path, lists: Path) -> None:
    storage = LocalModelStorage(directory)
    resource = Resource("off_topic")
    context = ExecutionContext(GraphSchema({}), node_name="off_topic")
    config = {"C": 1.0, "random_seed": 42, "lists": str(lists)}
    training = TrainingData([Message(data={"text": t, "intent": i}) for i, t in EXAMPLES])
    trained = OffTopicCheck.create(config, storage, resource, context)
    trained.train(training)
    loaded = OffTopicCheck.load(config, storage, resource, context)
    for component in (trained, loaded):
        queries = [Message(data={"text": t}) for t in ("đổi tên facebook", "đổi tên cho con")]
        component.process(queries)
        lookalike, ours = (float(q.get(OUTPUT)) for q in queries)
        assert lookalike > 0 > ours, (lookalike, ours)
        assert OUTPUT in queries[0].as_dict(only_output_properties=True)
    empty = Message(data={"text": ""})
    loaded.process([empty])
    assert isinstance(empty.get(OUTPUT), float)


def main() -> int:
    with tempfile.TemporaryDirectory() as lists, tempfile.TemporaryDirectory() as tmp:
        check_reading(Path(lists))
        check_train_save_load(Path(tmp), Path(lists))
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())

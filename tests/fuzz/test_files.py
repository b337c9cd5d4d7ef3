"""Photos and documents with lying types, sizes and names at the attachment step."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from bot.cases.draft import Step, next_step
from bot.cases.files import detected_type
from bot.cases.validation import clean_text
from tests.fuzz import strategies
from tests.fuzz.drafts import current, start_at
from tests.fuzz.profiles import fuzz
from tests.fuzz.stack import BotThread, canary_escaped, check_replies

PNG = strategies.MAGIC["png"]


def _expected(data: bytes, declared_size: int | None, max_bytes: int) -> str | None:
    """The MIME type the bot must store the file under, or None when it must refuse it."""
    if declared_size is not None and declared_size > max_bytes:
        return None  # refused before downloading, on the announced size
    if len(data) > max_bytes:
        return None
    return detected_type(data)


@fuzz
@given(
    data=strategies.file_contents,
    name=strategies.file_names,
    declared_type=strategies.declared_types,
    declared_size=strategies.declared_sizes,
    caption=st.one_of(st.none(), strategies.texts.filter(lambda t: len(t) <= 1024)),
)
@example(
    data=b"MZ\x90\x00",
    name="scan.pdf",
    declared_type="application/pdf",
    declared_size=None,
    caption=None,
)
@example(data=b"", name="empty.png", declared_type="image/png", declared_size=0, caption=None)
@example(data=PNG, name="big.png", declared_type="image/png", declared_size=2**53, caption=None)
@example(
    data=strategies.MAGIC["pdf"],
    name="x.bin",
    declared_type=None,
    declared_size=None,
    caption="<b>ZQXCANARY</b>",
)
def test_document(
    stack: BotThread,
    data: bytes,
    name: str,
    declared_type: str | None,
    declared_size: int | None,
    caption: str | None,
) -> None:
    chat = stack.chat("documents")
    before = start_at(chat, "attachments")
    body: dict[str, Any] = {"content_base64": base64.b64encode(data).decode(), "file_name": name}
    if declared_type is not None:
        body["mime_type"] = declared_type
    if declared_size is not None:
        body["file_size"] = declared_size
    if caption is not None:
        body["caption"] = caption
    chat.post("document", **body)
    replies = chat.replies()
    check_replies(replies, stack.failures.take())
    canary_escaped(replies, strategies.CANARY, strategies.CANARY_TAGS)
    after = current(chat)
    assert next_step(after)[0] is Step.ATTACHMENTS, "a file moved the intake on"
    assert stack.settings is not None
    mime = _expected(data, declared_size, stack.settings.attachment_max_mb * 1024 * 1024)
    if mime is None:
        assert after["attachments"] == before["attachments"], "a refused file was kept"
        return
    [stored] = after["attachments"]
    assert stored["mime_type"] == mime, "the type came from the sender's word"
    assert stored["original_name"] in (None, clean_text(name)[:255])
    assert stored["sha256"] == hashlib.sha256(data).hexdigest()
    assert (stack.settings.var_dir / "attachments" / stored["sha256"]).read_bytes() == data


@fuzz
@given(data=strategies.file_contents.filter(bool), name=st.one_of(st.none(), strategies.file_names))
def test_photo(stack: BotThread, data: bytes, name: str | None) -> None:
    chat = stack.chat("photos")
    start_at(chat, "attachments")
    body: dict[str, Any] = {"content_base64": base64.b64encode(data).decode()}
    if name is not None:
        body["file_name"] = name
    chat.post("photo", **body)
    check_replies(chat.replies(), stack.failures.take())
    after = current(chat)
    mime = detected_type(data)
    assert [a["mime_type"] for a in after["attachments"]] == ([mime] if mime else [])

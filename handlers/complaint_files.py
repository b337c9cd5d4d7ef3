"""Photos and documents a citizen sends with a case: checked, downloaded, typed by their
bytes, stored by hash."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict

from telegram import Document, PhotoSize, Update
from telegram.error import TelegramError

from bot.cases import files
from bot.cases.draft import AttachmentData, Step, next_step
from bot.cases.validation import clean_text
from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_render import html
from handlers.complaint_steps import advance
from handlers.complaint_ui import current_draft, done_keyboard, say

log = logging.getLogger(__name__)
NAME_MAX = 255  # case_attachments.original_name


def limits(context: Context) -> files.Limits:
    """The attachment limits from the settings."""
    settings = context.services.settings
    return files.Limits(settings.attachment_max_count, settings.attachment_max_mb * 1024 * 1024)


async def receive(update: Update, context: Context, count_so_far: int) -> AttachmentData | str:
    """Download and store the photo or document of the update, or say why not (a text).

    `count_so_far` counts every file the case already has, so no session resets the limit.
    """
    message = update.effective_message
    assert message is not None
    bounds = limits(context)
    media: PhotoSize | Document
    if message.photo:
        media = message.photo[-1]
        name: str | None = texts.PHOTO_NAME.format(number=count_so_far + 1)
        source = "photo"
    elif message.document is not None:
        media, source = message.document, "document"
        # The sender's word: no control or bidi characters, and what the column holds.
        name = clean_text(message.document.file_name or "")[:NAME_MAX] or None
    else:
        return texts.NOT_HERE
    shown = html(name or "tệp")
    rejection = files.check(size=media.file_size, count_so_far=count_so_far, limits=bounds)
    if rejection is not None:
        return _rejected(rejection, shown, bounds)
    try:
        data = bytes(await (await media.get_file()).download_as_bytearray())
    except TelegramError:
        log.warning("Could not download an attachment", exc_info=True)
        return texts.ATTACHMENT_FAILED
    mime = files.check_content(data, bounds)
    if isinstance(mime, files.Rejection):
        return _rejected(mime, shown, bounds)
    try:
        return await asyncio.to_thread(
            files.store,
            var_dir=context.services.settings.var_dir,
            data=data,
            mime_type=mime,
            original_name=name,
            source=source,
        )
    except OSError:
        # A full or read-only disk: the draft stays as it is; the citizen may send again.
        log.error("Could not store an attachment", exc_info=True)
        return texts.ATTACHMENT_NOT_SAVED.format(name=shown)


def _rejected(rejection: files.Rejection, name: str, bounds: files.Limits) -> str:
    max_mb = bounds.max_bytes // (1024 * 1024)
    if rejection is files.Rejection.TOO_MANY:
        return texts.ATTACHMENT_TOO_MANY.format(max_count=bounds.max_count)
    if rejection is files.Rejection.TOO_BIG:
        return texts.ATTACHMENT_TOO_BIG.format(name=name, max_mb=max_mb)
    return texts.ATTACHMENT_BAD_TYPE.format(name=name)


async def intake_file(update: Update, context: Context) -> str | int:
    """A photo or document during the intake's attachment step."""
    draft = current_draft(context)
    if draft is None or next_step(draft)[0] is not Step.ATTACHMENTS:
        return await advance(update, context)
    stored = await receive(update, context, len(draft["attachments"]))
    if isinstance(stored, str):
        await say(update, context, stored, done_keyboard())
        return Step.ATTACHMENTS.value
    draft["attachments"].append(asdict(stored))
    message = update.effective_message
    if message is not None and message.caption:
        draft.setdefault("captions", []).append(clean_text(message.caption)[:1000])
    count = len(draft["attachments"])
    text = texts.ATTACHMENT_SAVED.format(
        name=html(stored.original_name or ""), count=count, max_count=limits(context).max_count
    )
    await say(update, context, text, done_keyboard())
    return Step.ATTACHMENTS.value

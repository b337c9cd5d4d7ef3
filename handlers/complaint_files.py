"""Photos and documents a citizen sends with a case: checked, downloaded, stored by hash."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict

from telegram import Update
from telegram.error import TelegramError

from bot.cases import files
from bot.cases.draft import AttachmentData, Step, next_step
from bot.context import Context
from bot.texts import cases as texts
from handlers.complaint_render import html
from handlers.complaint_steps import advance
from handlers.complaint_ui import current_draft, done_keyboard, say

log = logging.getLogger(__name__)


def limits(context: Context) -> files.Limits:
    """The attachment limits from the settings."""
    settings = context.services.settings
    return files.Limits(settings.attachment_max_count, settings.attachment_max_mb * 1024 * 1024)


async def receive(update: Update, context: Context, count_so_far: int) -> AttachmentData | str:
    """Download and store the photo or document of the update, or say why not (a text)."""
    message = update.effective_message
    assert message is not None
    bounds = limits(context)
    if message.photo:
        media = message.photo[-1]
        name: str | None = texts.PHOTO_NAME.format(number=count_so_far + 1)
        mime, source = "image/jpeg", "photo"
    elif message.document is not None:
        media = message.document  # type: ignore[assignment]
        name = message.document.file_name
        mime = files.mime_type_of(name, message.document.mime_type)  # type: ignore[assignment]
        source = "document"
    else:
        return texts.NOT_HERE
    shown = html(name or "tệp")
    rejection = files.check(
        size=media.file_size, mime_type=mime, count_so_far=count_so_far, limits=bounds
    )
    if rejection is None:
        try:
            data = bytes(await (await media.get_file()).download_as_bytearray())
        except TelegramError:
            log.warning("Could not download an attachment", exc_info=True)
            return texts.ATTACHMENT_FAILED
        if len(data) > bounds.max_bytes:
            rejection = files.Rejection.TOO_BIG
    if rejection is not None:
        return _rejected(rejection, shown, bounds)
    var_dir = context.services.settings.var_dir
    return await asyncio.to_thread(
        files.store,
        var_dir=var_dir,
        data=data,
        mime_type=mime or "application/octet-stream",
        original_name=name,
        source=source,
    )


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
        draft.setdefault("captions", []).append(message.caption[:1000])
    count = len(draft["attachments"])
    text = texts.ATTACHMENT_SAVED.format(
        name=html(stored.original_name or ""), count=count, max_count=limits(context).max_count
    )
    await say(update, context, text, done_keyboard())
    return Step.ATTACHMENTS.value

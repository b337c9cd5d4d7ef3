"""What Telegram does to a message's text and keyboard before storing it, and what it rejects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sandbox.params import Params, bad_request
from bot.sandbox.tghtml import MarkupError, parse_html, utf16_len

JSON = dict[str, Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
_UNPARSED_MODES = frozenset({"markdown", "markdownv2"})
# An inline button needs one of these besides its text.
_INLINE_ACTIONS = frozenset(
    {
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    }
)


@dataclass(frozen=True)
class Formatted:
    """A text or caption: what the bot sent and what the citizen reads."""

    source: str
    parse_mode: str | None
    text: str
    entities: list[JSON]

    def fields(self, text_key: str, entities_key: str) -> JSON:
        """The Message fields for it (entities only when there are some)."""
        fields: JSON = {text_key: self.text}
        if self.entities:
            fields[entities_key] = self.entities
        return fields


def format_text(params: Params, *, caption: bool = False) -> Formatted | None:
    """Parse `text` (or `caption`) with parse_mode or explicit entities, as Telegram does."""
    text_key, entities_key = ("caption", "caption_entities") if caption else ("text", "entities")
    source = params.text(text_key)
    if source is None:
        if caption:
            return None
        raise bad_request("message text is empty")
    parse_mode = params.text("parse_mode") or None
    explicit = params.decoded(entities_key)
    if explicit is not None:
        if not isinstance(explicit, list) or not all(isinstance(e, dict) for e in explicit):
            raise bad_request(f"can't parse {entities_key} JSON object")
        plain, entities = source, explicit
    elif parse_mode is None or parse_mode.lower() in _UNPARSED_MODES:
        plain, entities = source, []
    elif parse_mode.lower() == "html":
        try:
            plain, entities = parse_html(source)
        except MarkupError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    else:
        raise bad_request("unsupported parse_mode")
    plain, entities = _trim(plain, entities)
    if not plain and not caption:
        raise bad_request("message text is empty")
    if utf16_len(plain) > (CAPTION_LIMIT if caption else TEXT_LIMIT):
        raise bad_request("message caption is too long" if caption else "message is too long")
    return Formatted(source, parse_mode, plain, entities)


def _trim(text: str, entities: list[JSON]) -> tuple[str, list[JSON]]:
    """Strip surrounding whitespace like Telegram, moving and clipping entities to match."""
    stripped = text.lstrip()
    lead = utf16_len(text) - utf16_len(stripped)
    stripped = stripped.rstrip()
    end = utf16_len(stripped)
    kept: list[JSON] = []
    for entity in entities:
        start = max(int(entity.get("offset", 0)) - lead, 0)
        stop = min(int(entity.get("offset", 0)) + int(entity.get("length", 0)) - lead, end)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def check_markup(markup: Any, *, inline_only: bool = False) -> JSON | None:
    """Validate reply_markup like Telegram and return it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for button in _buttons(markup["inline_keyboard"]):
            _check_inline_button(button)
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = [
            [b if isinstance(b, dict) else {"text": str(b)} for b in row]
            for row in _rows(markup["keyboard"])
        ]
        if any(not b.get("text") for row in rows for b in row):
            raise bad_request("keyboard button text is empty")
        return {**markup, "keyboard": rows}
    if "remove_keyboard" in markup or "force_reply" in markup:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(value: Any) -> list[list[Any]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return value


def _buttons(value: Any) -> list[JSON]:
    buttons = [button for row in _rows(value) for button in row]
    if not all(isinstance(button, dict) for button in buttons):
        raise bad_request("can't parse inline keyboard button: InlineKeyboardButton expected")
    return buttons


def _check_inline_button(button: JSON) -> None:
    if not button.get("text"):
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if not _INLINE_ACTIONS & button.keys():
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        size = len(data.encode()) if isinstance(data, str) else 0
        if not 1 <= size <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")

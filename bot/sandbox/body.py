"""Control API input: JSON bodies and query parameters, validated into typed values."""

from __future__ import annotations

import base64
import binascii
import json
import math
from typing import Any

from starlette.requests import Request

from bot.digits import is_digits
from bot.sandbox.citizen import ControlError

JSON = dict[str, Any]


class Body:
    """A control request's JSON object with typed, validated access to its fields."""

    def __init__(self, values: JSON) -> None:
        self._values = values

    @classmethod
    async def read(cls, request: Request) -> Body:
        """Parse the request body (an empty body is an empty object)."""
        raw = await request.body()
        try:
            values = json.loads(raw) if raw.strip() else {}
        except ValueError:
            raise ControlError(400, "body is not valid JSON") from None
        if not isinstance(values, dict):
            raise ControlError(400, "body must be a JSON object")
        return cls(values)

    def integer(self, key: str, default: int | None = None) -> int:
        """An integer field (numeric strings accepted)."""
        value = self._values.get(key, default)
        if isinstance(value, str) and is_digits(value.removeprefix("-")):
            value = int(value)
        if value is None or isinstance(value, bool) or not isinstance(value, int):
            raise ControlError(400, f"{key} must be an integer")
        return value

    def number(self, key: str, default: float | None = None) -> float:
        """A number field."""
        value = self._values.get(key, default)
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            raise ControlError(400, f"{key} must be a number")
        return float(value)

    def text(self, key: str) -> str:
        """A required string field."""
        value = self._values.get(key)
        if not isinstance(value, str):
            raise ControlError(400, f"{key} must be a string")
        return value

    def optional_text(self, key: str) -> str | None:
        """An optional string field."""
        return self.text(key) if self._values.get(key) is not None else None

    def content(self, key: str = "content_base64") -> bytes:
        """A base64 field, decoded."""
        try:
            return base64.b64decode(self.text(key), validate=True)
        except (binascii.Error, ValueError):
            raise ControlError(400, f"{key} is not valid base64") from None

    def flag(self, key: str, default: bool) -> bool:
        """A boolean field."""
        value = self._values.get(key, default)
        if not isinstance(value, bool):
            raise ControlError(400, f"{key} must be true or false")
        return value

    def has(self, key: str) -> bool:
        """True when the field is present and not null."""
        return self._values.get(key) is not None


def query_int(request: Request, key: str, default: int | None = None) -> int:
    """An integer query parameter."""
    value = request.query_params.get(key)
    if value is None and default is not None:
        return default
    try:
        return int(value or "")
    except ValueError:
        raise ControlError(400, f"query parameter {key} must be an integer") from None


def query_number(request: Request, key: str, default: float) -> float:
    """A finite number query parameter (e.g. wait=0.5)."""
    value = request.query_params.get(key)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ControlError(400, f"query parameter {key} must be a number")
    return number

"""Bot API request parameters: query string, form, multipart or JSON, decoded like Telegram."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse

JSON = dict[str, Any]


class BotApiError(Exception):
    """An error the Bot API answers with: HTTP status plus Telegram's description."""

    def __init__(self, status: int, description: str, parameters: JSON | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSON:
        """The error object Telegram sends."""
        body: JSON = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body

    def response(self) -> JSONResponse:
        """The HTTP response carrying this error."""
        return JSONResponse(self.body(), status_code=self.status)


def bad_request(detail: str) -> BotApiError:
    """A 400 with Telegram's "Bad Request: ..." wording."""
    return BotApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True)
class Upload:
    """A file sent in a multipart body."""

    data: bytes
    filename: str | None
    content_type: str | None


class Params:
    """Typed access to one request's parameters; non-string values arrive JSON-encoded in forms."""

    def __init__(self, values: dict[str, Any]) -> None:
        self._values = values

    def has(self, name: str) -> bool:
        """True when the parameter was sent (and is not JSON null)."""
        return self._values.get(name) is not None

    def raw(self, name: str) -> Any:
        """The value as received: str, Upload, or an already decoded JSON value."""
        return self._values.get(name)

    def text(self, name: str) -> str | None:
        """A string parameter, taken literally."""
        value = self._values.get(name)
        if value is None or isinstance(value, Upload):
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def decoded(self, name: str) -> Any:
        """A parameter that is JSON-encoded in forms (objects, arrays, numbers, booleans)."""
        value = self._values.get(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None

    def integer(self, name: str, default: int | None = None) -> int | None:
        """An integer parameter."""
        value = self.decoded(name) if self.has(name) else None
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise bad_request(f"invalid {name} specified")
        try:
            return int(value)
        except ValueError:
            raise bad_request(f"invalid {name} specified") from None

    def require_int(self, name: str) -> int:
        """An integer parameter that must be present."""
        value = self.integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def number(self, name: str) -> float | None:
        """A number parameter."""
        value = self.decoded(name) if self.has(name) else None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad_request(f"invalid {name} specified")
        return float(value)

    def flag(self, name: str) -> bool:
        """A boolean parameter (false when absent)."""
        value = self.decoded(name) if self.has(name) else False
        return bool(value)

    def upload(self, name: str) -> Upload | None:
        """The uploaded file for a parameter, sent directly or through attach://<field>."""
        value = self._values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = self._values.get(value.removeprefix("attach://"))
        return value if isinstance(value, Upload) else None


async def read_params(request: Request) -> Params:
    """Collect parameters from the query string and the body, whatever its encoding."""
    values: dict[str, Any] = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        try:
            decoded = json.loads(body) if body else {}
        except ValueError:
            raise bad_request("can't parse JSON object") from None
        if not isinstance(decoded, dict):
            raise bad_request("JSON object expected")
        values.update(decoded)
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        async with request.form(max_part_size=16 * 1024 * 1024) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    data = await value.read()
                    values[key] = Upload(data, value.filename, value.content_type)
                else:
                    values[key] = value
    return Params(values)

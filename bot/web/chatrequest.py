"""Reading a chat request body: pure functions, so they can be fuzzed without a server.

Every failure is a :class:`Refusal` with a 4xx status and a sentence the widget can show.
Nothing here ever echoes what was sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.web.sanitize import clean_message
from bot.web.texts import text


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, as an HTTP status and a plain sentence."""

    status: int
    message: str


def content_type_is_json(content_type: str | None) -> bool:
    """True if a Content-Type header says the body is JSON."""
    return (content_type or "").split(";")[0].strip().lower() == "application/json"


def refuse_envelope(size: int, content_type: str | None, max_bytes: int) -> Refusal | None:
    """Too large (413) or not JSON (415), judged before the body is parsed."""
    if size > max_bytes:
        return Refusal(413, f"The request is larger than {max_bytes} bytes.")
    if not content_type_is_json(content_type):
        return Refusal(415, "Send JSON with Content-Type: application/json.")
    return None


def parse_object(body: bytes) -> dict[str, Any] | Refusal:
    """The body as a JSON object, or a 400 (broken JSON, deep nesting, not an object)."""
    try:
        value = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
        return Refusal(400, "The request body is not valid JSON.")
    if not isinstance(value, dict):
        return Refusal(400, "Send a JSON object with 'sender' and 'message'.")
    return value


def read_message(body: dict[str, Any]) -> str | Refusal:
    """The cleaned ``message`` (controls and bidi overrides removed), or a 400."""
    raw = body.get("message")
    if not isinstance(raw, str):
        return Refusal(400, "'message' must be text.")
    message = clean_message(raw)
    if not message:
        return Refusal(400, text("message_empty"))
    return message


def parse_chat(
    body: bytes, content_type: str | None, max_bytes: int
) -> tuple[dict[str, Any], str] | Refusal:
    """All of the above in order: (object, cleaned message) or the first refusal."""
    refused = refuse_envelope(len(body), content_type, max_bytes)
    if refused:
        return refused
    obj = parse_object(body)
    if isinstance(obj, Refusal):
        return obj
    message = read_message(obj)
    if isinstance(message, Refusal):
        return message
    return obj, message

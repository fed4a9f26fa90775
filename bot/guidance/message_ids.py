"""The message-id retry protocol between the gateway and Rasa's channel (pure logic).

Every message the gateway forwards carries ``metadata.message_id``, an idempotency key that
stays the same when the message is tried again (on another Rasa instance, or because the
client retried it with its own ``message_id``); a retry also carries ``metadata.retry: true``.
Rasa's channel answers a retried message whose key is already in the conversation from the
stored turn, instead of handling it twice.

This module is the one place that knows the format of an id, how a key is made and how the
metadata is built and read: :mod:`bot.web.upstream` and :mod:`bot.web.chat` build, and
:mod:`bot.rasa_plugins.channel` reads.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from typing import Any

MESSAGE_ID = "message_id"  # the metadata key of the idempotency key
RETRY = "retry"  # the metadata key saying "this may have been handled already"
KEY_LETTERS = 24
_ID_FORMAT = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def well_formed(value: object) -> bool:
    """True for an id of 8 to 64 letters, digits, '-' or '_' (a client's or a key)."""
    return isinstance(value, str) and _ID_FORMAT.match(value) is not None


def new_key() -> str:
    """An idempotency key for one message the client did not name.

    Lower-case letters only, so no redaction rule (phone numbers, names) can change it.
    """
    return "".join(secrets.choice(string.ascii_lowercase) for _ in range(KEY_LETTERS))


def key_for(sender: str, client_id: str) -> str:
    """The key for a message the client named: the same for every retry of it.

    Derived rather than passed on, so it is lower-case letters like :func:`new_key`.
    """
    digest = int(hashlib.sha256(f"{sender}\0{client_id}".encode()).hexdigest(), 16)
    letters = []
    for _ in range(KEY_LETTERS):
        digest, index = divmod(digest, 26)
        letters.append(string.ascii_lowercase[index])
    return "".join(letters)


def build(key: str, retry: bool = False) -> dict[str, Any]:
    """The metadata sent with a message: its key, and ``retry`` when it may be a repeat."""
    metadata: dict[str, Any] = {MESSAGE_ID: key}
    if retry:
        metadata[RETRY] = True
    return metadata


def parse(metadata: Any) -> str | None:
    """The key in a message's metadata, if it is well formed."""
    if not isinstance(metadata, dict):
        return None
    value = metadata.get(MESSAGE_ID)
    return value if well_formed(value) else None


def is_retry(metadata: Any) -> bool:
    """True when the metadata says the message may have been handled already."""
    return isinstance(metadata, dict) and metadata.get(RETRY) is True

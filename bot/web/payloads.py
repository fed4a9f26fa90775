"""Which button payloads (``/intent{...}``) a sender may send: only the ones offered to them.

This keeps people from typing ``/intent{"slot": ...}`` to set what the assistant believes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any


class OfferedPayloads:
    """Remembers the buttons last offered to each sender (bounded, least recently used first)."""

    def __init__(self, always: Iterable[str], max_senders: int = 50_000) -> None:
        self.always = frozenset(always)
        self._max = max_senders
        self._offered: OrderedDict[str, frozenset[str]] = OrderedDict()

    def remember(self, sender: str, messages: list[dict[str, Any]]) -> None:
        """Record the payloads of the buttons in a reply (an empty reply keeps the old ones)."""
        payloads = {
            b["payload"]
            for m in messages
            for b in (m.get("buttons") or [])
            if isinstance(b, dict) and isinstance(b.get("payload"), str)
        }
        if not payloads:
            return
        self._offered.pop(sender, None)
        self._offered[sender] = frozenset(payloads)
        while len(self._offered) > self._max:
            self._offered.popitem(last=False)

    def allowed(self, sender: str, message: str) -> bool:
        """True if the message is plain text or a payload we offered this sender."""
        if not message.startswith("/"):
            return True
        return message in self.always or message in self._offered.get(sender, frozenset())

    def forget(self, sender: str) -> None:
        """Drop what was offered to a sender."""
        self._offered.pop(sender, None)


def as_text(message: str) -> str:
    """A command we did not offer, turned into plain text so Rasa reads it as words."""
    return message.lstrip("/").strip()

"""Keep each conversation's tracker in memory between its turns, checked against the database.

The gateway sends every message of a conversation to the same Rasa process, so the
tracker a turn ends with is usually exactly what the next turn would read back: Rasa
would query its events, parse them and replay them into a new tracker, which was
about a sixth of the CPU a turn costs. This store hands the same tracker back instead,
after one indexed query proves the database holds nothing newer for the conversation
(another process answered in between) and no deletion marker newer than the one it saw
when it read the tracker (the conversation was deleted or purged, by any process:
:mod:`bot.storage.deletions`). Event ids alone cannot tell: SQLite hands out a deleted row's id
again.

A tracker is handed out once: a turn that fails before saving leaves nothing in the
cache, so the next turn reads the database. A tracker whose history was just folded
into a checkpoint (:mod:`bot.rasa_plugins.tracker_window`) is not kept, so the next turn reads the
short window. At most ``cached_conversations`` trackers are kept (least recently used
go first).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins.tracker_window import FOLDED
from bot.storage import deletions

DEFAULT_CACHED_CONVERSATIONS = 1000
Stamp = tuple[int | None, int]  # (newest event id or None, newest deletion marker or 0)


class RecentTrackerCacheMixin:
    """Reuses the tracker a conversation's last turn saved, if it is still the latest.

    Every read notes the newest deletion marker it saw (:data:`bot.storage.deletions.SEEN`), which
    the write of the turn checks. Its place in the store's class chain (outermost but for
    the fault recording): :mod:`bot.rasa_plugins.tracker_store`.
    """

    SQLEvent: Any

    def __init__(
        self,
        *args: Any,
        cached_conversations: int = DEFAULT_CACHED_CONVERSATIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cached_conversations = max(0, int(cached_conversations))
        self._recent: OrderedDict[str, tuple[DialogueStateTracker, Stamp]] = OrderedDict()
        # What a read that found nothing saw, for the new tracker Rasa then makes and saves.
        self._seen_when_new: OrderedDict[str, int] = OrderedDict()
        self._stamp_query = deletions.stamp_query(self.SQLEvent.__table__)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's tracker: from memory if nothing newer is stored, else read."""
        stamp = self._stamp(sender_id)
        entry = self._recent.pop(sender_id, None)
        if entry is not None and entry[1] == stamp:
            return entry[0]
        tracker = await super().retrieve(sender_id)  # type: ignore[misc]
        if tracker is None:
            self._seen_when_new[sender_id] = stamp[1]
            while len(self._seen_when_new) > max(self.cached_conversations, 100):
                self._seen_when_new.popitem(last=False)
        else:
            setattr(tracker, deletions.SEEN, stamp[1])
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, then keep the tracker for the conversation's next turn."""
        sender_id = tracker.sender_id
        self._recent.pop(sender_id, None)
        seen_when_new = self._seen_when_new.pop(sender_id, None)
        if getattr(tracker, deletions.SEEN, None) is None and seen_when_new is not None:
            setattr(tracker, deletions.SEEN, seen_when_new)
        await super().save(tracker)  # type: ignore[misc]
        if getattr(tracker, deletions.DISCARDED, False):
            return
        if self.cached_conversations == 0 or getattr(tracker, FOLDED, False):
            return
        self._recent[sender_id] = (tracker, self._stamp(sender_id))
        while len(self._recent) > self.cached_conversations:
            self._recent.popitem(last=False)

    def forget(self, sender_id: str) -> int:
        """Delete the conversation (call it under the conversation's lock); events deleted."""
        self._recent.pop(sender_id, None)
        self._seen_when_new.pop(sender_id, None)
        with self.engine.begin() as connection:  # type: ignore[attr-defined]
            removed = deletions.erase(connection, [sender_id], time.time())
        deletions.truncate_log(self.engine)  # type: ignore[attr-defined]
        return removed

    def _stamp(self, sender_id: str) -> Stamp:
        # A plain connection: an ORM session costs several times the query itself.
        with self.engine.connect() as connection:  # type: ignore[attr-defined]
            return deletions.stamp(connection, self._stamp_query, sender_id)

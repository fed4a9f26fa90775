"""Keep each conversation's tracker in memory between its turns, checked against the database.

The gateway sends every message of a conversation to the same Rasa process, so the
tracker a turn ends with is usually exactly what the next turn would read back: Rasa
would query its events, parse them and replay them into a new tracker, which was
about a sixth of the CPU a turn costs. This store hands the same tracker back instead,
after one indexed query proves the database holds nothing newer for the conversation
(another process answered in between, the conversation was deleted or purged).

A tracker is handed out once: a turn that fails before saving leaves nothing in the
cache, so the next turn reads the database. A tracker whose history was just folded
into a checkpoint (:mod:`bot.tracker_window`) is not kept, so the next turn reads the
short window. At most ``cached_conversations`` trackers are kept (least recently used
go first).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_window import FOLDED

DEFAULT_CACHED_CONVERSATIONS = 1000


def last_event_id_query(events: sa.Table) -> Any:
    """The id of the newest stored event of a conversation (``sender``), None if none."""
    return sa.select(sa.func.max(events.c.id)).where(events.c.sender_id == sa.bindparam("sender"))


class RecentTrackerCacheMixin:
    """Reuses the tracker a conversation's last turn saved, if it is still the latest.

    Put it before the SQL store and its other mixins.
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
        self._recent: OrderedDict[str, tuple[DialogueStateTracker, int | None]] = OrderedDict()
        self._last_event_query = last_event_id_query(self.SQLEvent.__table__)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's tracker: from memory if nothing newer is stored, else read."""
        entry = self._recent.pop(sender_id, None)
        if entry is not None:
            tracker, saved_up_to = entry
            if self._last_event_id(sender_id) == saved_up_to:
                return tracker
        return await super().retrieve(sender_id)  # type: ignore[misc]

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store the new events, then keep the tracker for the conversation's next turn."""
        self._recent.pop(tracker.sender_id, None)
        await super().save(tracker)  # type: ignore[misc]
        if self.cached_conversations == 0 or getattr(tracker, FOLDED, False):
            return
        self._recent[tracker.sender_id] = (tracker, self._last_event_id(tracker.sender_id))
        while len(self._recent) > self.cached_conversations:
            self._recent.popitem(last=False)

    def _last_event_id(self, sender_id: str) -> int | None:
        # A plain connection: an ORM session costs several times the query itself.
        with self.engine.connect() as connection:  # type: ignore[attr-defined]
            return connection.execute(self._last_event_query, {"sender": sender_id}).scalar()

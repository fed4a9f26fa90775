"""A bounded history for Rasa's SQL tracker store, so a turn costs the same at turn 5 or 500.

Stock Rasa reads every event since the conversation session started on each turn,
replays them into a tracker, turns the whole history into policy states, and sends it
all to the action server: each of those grows with the length of the conversation.
This assistant does not need that history. Its rules look back at most two turns, and
its actions at most at the last two user messages ("two misses in a row"), so a turn
needs only the state the conversation is in (the slot values, the active form) and its
last few turns.

So once a conversation has more than ``2 × history_turns`` turns since its session
started (or since its last checkpoint), the store writes a *checkpoint*: the state just
before the ``history_turns``-th last user message, written as the few events that
recreate it (``session_started``, one ``slot`` per set slot, ``active_loop``,
``action_listen``), which is the shape of a new session with its slots carried over.
Reading a conversation then gives those events followed by the events stored since
the checkpoint. The ``events`` table keeps every event, so reports, deletion and
retention are unchanged; a checkpoint row holds only slot values, redacted like the
events (:class:`bot.rasa_plugins.tracker_store.RedactingMixin`), and is deleted with its
conversation (:mod:`bot.storage.deletions`).

Set ``history_turns`` in the ``tracker_store`` section of the endpoints file
(default :data:`DEFAULT_HISTORY_TURNS`; at least 2).
"""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import (
    ActionExecuted,
    ActionExecutionRejected,
    ActiveLoop,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.storage.deletions import DISCARDED
from bot.storage.tracker_tables import CHECKPOINTS, create_our_tables

log = logging.getLogger(__name__)

DEFAULT_HISTORY_TURNS = 3
MIN_HISTORY_TURNS = 2  # the rules look back two turns
WINDOW_KEY = "window"  # metadata of the first event of a tracker read from a checkpoint
_STORED = "_stored_event_count"  # set on trackers this store read or saved
FOLDED = "_history_folded"  # set on a tracker whose older turns were just checkpointed


@dataclass(frozen=True)
class Window:
    """Where a tracker read from a checkpoint starts in the events table."""

    from_event_id: int  # the first stored event after the checkpoint's own events
    prefix: int  # how many events at the start of the tracker recreate the state


def window_of(tracker: DialogueStateTracker) -> Window | None:
    """The window a tracker was read through, or None if it holds the whole session."""
    if not tracker.events:
        return None
    first = tracker.events[0]
    if not isinstance(first, SessionStarted):
        return None
    marker = (first.metadata or {}).get(WINDOW_KEY)
    if not isinstance(marker, dict):
        return None
    try:
        return Window(int(marker["from_event_id"]), int(marker["prefix"]))
    except (KeyError, TypeError, ValueError):
        return None


def turn_starts(events: list[Event]) -> list[int]:
    """Indexes of the user messages that start a turn in the latest session.

    A turn starts where the bot was listening and the user spoke; a cut there leaves
    every rule, form and action with what it looks at.
    """
    session_start = max(
        (i for i, e in enumerate(events) if isinstance(e, SessionStarted)), default=0
    )
    return [
        i
        for i in range(session_start + 1, len(events))
        if isinstance(events[i], UserUttered)
        and isinstance(events[i - 1], ActionExecuted)
        and events[i - 1].action_name == ACTION_LISTEN_NAME
    ]


def state_events(state: DialogueStateTracker, timestamp: float) -> list[Event]:
    """The events that put a new session in the state ``state`` is in, listening."""
    events: list[Event] = [SessionStarted(timestamp=timestamp)]
    for name, slot in state.slots.items():
        if slot.value != slot.initial_value:
            events.append(SlotSet(name, slot.value, timestamp=timestamp))
    loop = state.active_loop_name
    if loop:
        events.append(ActiveLoop(loop, timestamp=timestamp))
        if state.is_active_loop_rejected:
            events.append(ActionExecutionRejected(loop, timestamp=timestamp))
    if state.is_paused():
        events.append(ConversationPaused(timestamp=timestamp))
    events.append(ActionExecuted(ACTION_LISTEN_NAME, timestamp=timestamp))
    return events


class HistoryWindowMixin:
    """Reads a conversation from its latest checkpoint; writes checkpoints as it grows.

    Below the redaction, above the engine and the save, in the store's class chain
    (:mod:`bot.rasa_plugins.tracker_store`).
    """

    engine: Any
    domain: Any
    SQLEvent: Any

    def __init__(self, *args: Any, history_turns: int = DEFAULT_HISTORY_TURNS, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.history_turns = max(MIN_HISTORY_TURNS, int(history_turns))
        create_our_tables(self.engine)  # made before start (bot/operations/schema.py)

    def _storable(self, data: dict[str, Any]) -> dict[str, Any]:
        """A serialised event as it may be written to the database (redacted by a mixin)."""
        return data

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The conversation's latest session, from its latest checkpoint if it has one."""
        events = None
        if self.domain is not None:
            with self.session_scope() as session:  # type: ignore[attr-defined]
                events = self._events_from_checkpoint(session, sender_id)
        if events is None:
            tracker = await super().retrieve(sender_id)  # type: ignore[misc]
        else:
            tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        if tracker is not None:
            setattr(tracker, _STORED, len(tracker.events))
        return tracker

    def _events_from_checkpoint(self, session: Any, sender_id: str) -> list[dict] | None:
        checkpoint = session.execute(
            sa.select(CHECKPOINTS.c.from_event_id, CHECKPOINTS.c.data)
            .where(CHECKPOINTS.c.sender_id == sender_id)
            .order_by(CHECKPOINTS.c.id.desc())
            .limit(1)
        ).first()
        if checkpoint is None:
            return None
        event = self.SQLEvent
        rows = (
            session.query(event.type_name, event.data)
            .filter(event.sender_id == sender_id, event.id >= checkpoint.from_event_id)
            .order_by(event.id)
            .all()
        )
        if not rows or any(r.type_name == SessionStarted.type_name for r in rows):
            return None  # deleted, or a new session began: read the session as usual
        prefix = json.loads(checkpoint.data)
        marker = {"from_event_id": checkpoint.from_event_id, "prefix": len(prefix)}
        prefix[0] = {**prefix[0], "metadata": {WINDOW_KEY: marker}}
        return prefix + [json.loads(r.data) for r in rows]

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Event]:
        """The tracker's events that are not in the database yet."""
        stored = getattr(tracker, _STORED, None)
        if stored is None:
            window = window_of(tracker)
            if window is None:
                return super()._additional_events(session, tracker)  # type: ignore[misc]
            event = self.SQLEvent
            in_db = (
                session.query(sa.func.count(event.id))
                .filter(event.sender_id == tracker.sender_id, event.id >= window.from_event_id)
                .scalar()
            )
            stored = window.prefix + int(in_db or 0)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write the new events, then a checkpoint if the conversation has grown long."""
        await super().save(tracker)  # type: ignore[misc]
        if getattr(tracker, DISCARDED, False):
            return  # its conversation was deleted during the turn: nothing was stored
        setattr(tracker, _STORED, len(tracker.events))
        try:
            if self._checkpoint_if_long(tracker):
                setattr(tracker, FOLDED, True)
        except sa.exc.SQLAlchemyError as err:  # the events are safe; the next turn tries again
            log.warning("could not write a checkpoint: %s", type(err).__name__)

    def _checkpoint_if_long(self, tracker: DialogueStateTracker) -> bool:
        """Write a checkpoint if the tracker holds too many turns; True if one was written."""
        events = list(tracker.events)
        starts = turn_starts(events)
        if self.domain is None or len(starts) <= 2 * self.history_turns:
            return False
        cut = starts[-self.history_turns]
        newer = len(events) - cut
        event = self.SQLEvent
        with self.session_scope() as session:  # type: ignore[attr-defined]
            tail = (
                session.query(event.id, event.type_name)
                .filter(event.sender_id == tracker.sender_id)
                .order_by(event.id.desc())
                .limit(newer)
                .all()
            )
            if len(tail) < newer or tail[-1].type_name != UserUttered.type_name:
                log.debug("stored events do not line up with the tracker; no checkpoint")
                return False
            state = DialogueStateTracker.from_events(
                tracker.sender_id, events[:cut], slots=self.domain.slots
            )
            recreate = state_events(state, timestamp=events[cut - 1].timestamp)
            mine = CHECKPOINTS.c.sender_id == tracker.sender_id
            session.execute(CHECKPOINTS.delete().where(mine))
            session.execute(
                CHECKPOINTS.insert().values(
                    sender_id=tracker.sender_id,
                    from_event_id=tail[-1].id,
                    timestamp=events[cut - 1].timestamp,
                    data=json.dumps([self._storable(e.as_dict()) for e in recreate]),
                )
            )
            session.commit()
        return True

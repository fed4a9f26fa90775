"""Rasa tracker store that redacts personal details before they are written.

The gateway already redacts what people type before Rasa sees it; this is the second line of
defence for anything that reaches Rasa another way (a channel without the gateway, a bot
message that repeats a detail). Configure it in ``endpoints.yml``::

    tracker_store:
      type: bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore
      dialect: "sqlite"
      db: "var/tracker.db"

It takes the same settings as Rasa's ``type: SQL`` store (PostgreSQL included), plus
``history_turns`` (see :mod:`bot.rasa_plugins.tracker_window`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.guidance.privacy import redact
from bot.rasa_plugins import speedups as rasa_speedups
from bot.rasa_plugins.sql_engine import BulkSaveMixin, TunedEngineMixin
from bot.rasa_plugins.tracker_cache import RecentTrackerCacheMixin
from bot.rasa_plugins.tracker_window import HistoryWindowMixin

log = logging.getLogger(__name__)

# Where people's words can appear in a serialised event.
_TEXT_KEYS = ("text",)


def redact_value(value: Any) -> Any:
    """Redact every string inside a JSON-like value (dicts, lists, strings)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_value(v) for v in value]
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    return value


def redact_event(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a serialised event with user text, entities and metadata redacted.

    Intent names, action names, slot names and numbers are kept: they are not personal.
    """
    event = dict(data)
    kind = event.get("event")
    for key in _TEXT_KEYS:
        if isinstance(event.get(key), str):
            event[key] = redact(event[key])
    if kind == "user":
        parse = dict(event.get("parse_data") or {})
        if isinstance(parse.get("text"), str):
            parse["text"] = redact(parse["text"])
        if isinstance(parse.get("entities"), list):
            parse["entities"] = [_redact_entity(e) for e in parse["entities"]]
        if parse:
            event["parse_data"] = parse
        if event.get("metadata"):
            event["metadata"] = redact_value(event["metadata"])
    elif kind == "slot":
        event["value"] = redact_value(event.get("value"))
    elif kind == "bot" and isinstance(event.get("data"), dict):
        event["data"] = redact_value(event["data"])
    return event


def _redact_entity(entity: Any) -> Any:
    if not isinstance(entity, dict):
        return entity
    return {**entity, "value": redact_value(entity.get("value"))}


class RedactedEvent:
    """What the SQL store reads from an event (``type_name``, ``as_dict()``), redacted."""

    def __init__(self, event: Event) -> None:
        self.type_name = event.type_name
        self._data = redact_event(event.as_dict())

    def as_dict(self) -> dict[str, Any]:
        """The redacted, serialised event."""
        return self._data


class RedactingMixin:
    """Redacts events on their way to the database and to any event broker.

    Rasa's SQL store writes ``event.as_dict()`` for each event ``_additional_events`` yields,
    so yielding redacted copies there covers ``save`` of any subclass that keeps that design.
    Put it first: ``class Store(RedactingMixin, SQLTrackerStore)``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rasa_speedups.install()  # once per Rasa process, when its tracker store is made

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        for event in super()._additional_events(session, tracker):  # type: ignore[misc]
            yield RedactedEvent(event)

    def _storable(self, data: dict[str, Any]) -> dict[str, Any]:
        """Serialised events written another way (checkpoints) are redacted too."""
        return redact_event(data)

    async def _stream_new_events(
        self, event_broker: EventBroker, new_events: list[Event], sender_id: str
    ) -> None:
        for event in new_events:
            event_broker.publish({"sender_id": sender_id, **redact_event(event.as_dict())})


class RedactingSQLTrackerStore(
    RecentTrackerCacheMixin,
    RedactingMixin,
    HistoryWindowMixin,
    TunedEngineMixin,
    BulkSaveMixin,
    SQLTrackerStore,
):
    """Rasa's SQL tracker store, as this assistant uses it on every profile.

    From the outside in: the tracker of a conversation's last turn is reused while the
    database agrees (:mod:`bot.rasa_plugins.tracker_cache`); personal details are redacted before
    anything is written; a long conversation is read from a checkpoint plus its last
    turns (:mod:`bot.rasa_plugins.tracker_window`); connections are pooled
(:mod:`bot.rasa_plugins.sql_engine`),
    and a turn's events are written with one insert.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        log.info("tracker store: personal details are redacted before saving")

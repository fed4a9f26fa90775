"""The assistant's tracker store: Rasa's SQL store with layers of our own, in one class chain.

Configure it in ``endpoints.yml`` (embedded profile, SQLite)::

    tracker_store:
      type: bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore
      dialect: "sqlite"
      db: "var/tracker.db"

or, in ``deploy/endpoints.production.yml`` (production profile, PostgreSQL), as
``type: bot.rasa_plugins.tracker_store.ProductionTrackerStore``. Both take the settings of
Rasa's ``type: SQL`` store, plus ``history_turns`` (:mod:`bot.rasa_plugins.tracker_window`)
and ``cached_conversations`` (:mod:`bot.rasa_plugins.tracker_cache`).

The chain, from the outside in (each layer calls the next with ``super()``)::

    ProductionTrackerStore       production only
      StoreFaultMixin            bot.rasa_plugins.turn_failures
    RedactingSQLTrackerStore     both profiles
      RecentTrackerCacheMixin    bot.rasa_plugins.tracker_cache
      RedactingMixin             this module
      HistoryWindowMixin         bot.rasa_plugins.tracker_window
      TunedEngineMixin           bot.rasa_plugins.sql_engine
      BulkSaveMixin              bot.rasa_plugins.sql_engine
      SQLTrackerStore            Rasa

Why in this order:

- ``StoreFaultMixin`` is outermost so a database fault in any layer below is recorded for
  the turn (the REST channel then answers 503 instead of letting Rasa carry on with a
  blank conversation). The embedded profile has no database server to lose.
- ``RecentTrackerCacheMixin`` comes next: a turn whose tracker is still the latest is
  answered from memory before any layer reads the database, and a tracker is kept only
  after every layer below has written it (and not when ``HistoryWindowMixin`` just folded
  it into a checkpoint).
- ``RedactingMixin`` wraps ``_additional_events``, which ``HistoryWindowMixin`` answers
  (the events not stored yet) and ``BulkSaveMixin`` writes: so every row written is
  redacted, and ``_storable`` redacts the checkpoints ``HistoryWindowMixin`` writes.
- ``HistoryWindowMixin`` reads a long conversation from its checkpoint instead of asking
  Rasa's ``retrieve`` for the whole session, so it sits above the engine and the save.
- ``TunedEngineMixin`` replaces the engine right after Rasa's ``__init__`` made it, so
  every layer above uses the tuned engine from its own ``__init__`` on
  (``HistoryWindowMixin`` creates its tables there).
- ``BulkSaveMixin`` replaces Rasa's ``save`` (one insert per turn), so it sits just above
  ``SQLTrackerStore``.

The private parts of ``SQLTrackerStore`` these layers rely on are listed, with their
signatures, in :mod:`bot.internals`.

Redaction here is the second line of defence for anything that reaches Rasa another way
than through the gateway (which redacts what people type before Rasa sees it): a channel
without the gateway, a bot message that repeats a detail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from bot.guidance.privacy import redact
from bot.rasa_plugins.sql_engine import BulkSaveMixin, TunedEngineMixin
from bot.rasa_plugins.tracker_cache import RecentTrackerCacheMixin
from bot.rasa_plugins.tracker_window import HistoryWindowMixin
from bot.rasa_plugins.turn_failures import StoreFaultMixin

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
    """Redacts events on their way to the database.

    Rasa's SQL store writes ``event.as_dict()`` for each event ``_additional_events`` yields,
    so yielding redacted copies there covers ``save`` of any subclass that keeps that design.
    Events are never sent to an event broker unredacted: a store given one refuses to start
    (none is configured; streaming redacted events would need its own override).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if getattr(self, "event_broker", None) is not None:
            raise ValueError("this tracker store does not send events to an event broker")

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator[Any]:
        for event in super()._additional_events(session, tracker):  # type: ignore[misc]
            yield RedactedEvent(event)

    def _storable(self, data: dict[str, Any]) -> dict[str, Any]:
        """Serialised events written another way (checkpoints) are redacted too."""
        return redact_event(data)


class RedactingSQLTrackerStore(
    RecentTrackerCacheMixin,
    RedactingMixin,
    HistoryWindowMixin,
    TunedEngineMixin,
    BulkSaveMixin,
    SQLTrackerStore,
):
    """Rasa's SQL tracker store as this assistant uses it on every profile (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        log.info("tracker store: personal details are redacted before saving")


class ProductionTrackerStore(StoreFaultMixin, RedactingSQLTrackerStore):
    """The production profile's store: the same chain, with its database faults recorded."""

"""Rasa's SQL tracker store, made honest about database faults.

Used by ``deploy/endpoints.production.yml`` as
``type: bot.rasa_plugins.production_store.ProductionTrackerStore`` (guarded, and redacting personal
details with :class:`bot.rasa_plugins.tracker_store.RedactingMixin`). The guard adds two things
to the stock store:

- connections are made by :mod:`bot.rasa_plugins.sql_engine` (checked before use, so the first
  turn after a database restart does not fail on a dead pooled connection);
- every failure to read or write a conversation is recorded for the current turn
  (:mod:`bot.rasa_plugins.turn_failures`), so the REST channel answers 503 rather than letting
  Rasa carry on with a blank in-memory conversation.
"""

from __future__ import annotations

import logging

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_plugins import turn_failures
from bot.rasa_plugins.sql_engine import BulkSaveMixin, TunedEngineMixin
from bot.rasa_plugins.tracker_store import RedactingSQLTrackerStore

log = logging.getLogger(__name__)


class GuardMixin:
    """Reports database faults per turn.

    Put it before the SQL store: ``class Store(GuardMixin, SQLTrackerStore)``.
    """

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """Read a conversation; a database error is recorded, then raised."""
        try:
            return await super().retrieve(sender_id)  # type: ignore[misc]
        except Exception as err:
            self._fault("read", err)
            raise

    async def retrieve_full_tracker(self, sender_id: str) -> DialogueStateTracker | None:
        """Read a whole conversation; a database error is recorded, then raised."""
        try:
            return await super().retrieve_full_tracker(sender_id)  # type: ignore[misc]
        except Exception as err:
            self._fault("read", err)
            raise

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Write a conversation's new events; a database error is recorded, then raised."""
        try:
            await super().save(tracker)  # type: ignore[misc]
        except Exception as err:
            self._fault("write", err)
            raise

    @staticmethod
    def _fault(what: str, err: Exception) -> None:
        log.error("tracker store %s failed: %s", what, type(err).__name__)
        turn_failures.record(turn_failures.STORE)


class GuardedSQLTrackerStore(GuardMixin, TunedEngineMixin, BulkSaveMixin, SQLTrackerStore):
    """Rasa's SQL store with the guard."""


class ProductionTrackerStore(GuardMixin, RedactingSQLTrackerStore):
    """The assistant's store (:class:`~bot.rasa_plugins.tracker_store.RedactingSQLTrackerStore`),
    guarded."""

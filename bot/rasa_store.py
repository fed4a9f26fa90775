"""Rasa's SQL tracker store, made honest about database faults.

Used by ``deploy/endpoints.production.yml`` as
``type: bot.rasa_store.ProductionTrackerStore`` (guarded, and redacting personal
details with :class:`bot.tracker_store.RedactingMixin`). The guard adds two things
to the stock store:

- connections are checked before use (``pool_pre_ping``), so the first turn after
  a database restart does not fail on a dead pooled connection;
- every failure to read or write a conversation is recorded for the current turn
  (:mod:`bot.turn_failures`), so the REST channel answers 503 rather than letting
  Rasa carry on with a blank in-memory conversation.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker

from bot import turn_failures
from bot.tracker_store import RedactingMixin
from bot.tracker_window import HistoryWindowMixin

log = logging.getLogger(__name__)


class GuardMixin:
    """Pings pooled connections and reports database faults per turn.

    Put it before the SQL store: ``class Store(GuardMixin, SQLTrackerStore)``.
    """

    engine: Any
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # hide_parameters: an error message must never carry what a user typed into the logs
        self.engine = sa.create_engine(
            url, pool_pre_ping=True, hide_parameters=True, **create_engine_kwargs(url)
        )
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

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


class GuardedSQLTrackerStore(GuardMixin, SQLTrackerStore):
    """Rasa's SQL store with the guard."""


class ProductionTrackerStore(GuardMixin, RedactingMixin, HistoryWindowMixin, SQLTrackerStore):
    """Rasa's SQL store with the guard, redaction and a bounded history."""

"""How the tracker store talks to its database, for every profile.

Rasa builds a plain SQLAlchemy engine. Ours (:class:`TunedEngineMixin`) differs in three
ways:

- errors never carry query parameters (what a person typed) into the logs;
- pooled connections to a database server are checked before use, so the first turn
  after a database restart does not fail on a dead connection;
- an SQLite file keeps its connections open between turns (SQLAlchemy 1.4 opens and
  closes one per query) and uses write-ahead logging, so the Rasa processes sharing the
  file read while another writes instead of waiting for it. The production profile
  (PostgreSQL) is where durability against a power cut is the database server's job.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import create_engine_kwargs
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.storage import deletions
from bot.storage.sqlite_file import secure_delete

log = logging.getLogger(__name__)

SQLITE_POOL_SIZE = 4


def is_sqlite_file(url: sa.engine.URL) -> bool:
    """True for an SQLite database on disk (not in memory)."""
    return url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")


def tuned_engine(url: sa.engine.URL | str) -> sa.engine.Engine:
    """An engine for the tracker store's database (see the module's description)."""
    url = sa.engine.make_url(url)
    if not is_sqlite_file(url):
        return sa.create_engine(
            url, hide_parameters=True, pool_pre_ping=True, **create_engine_kwargs(url)
        )
    engine = sa.create_engine(
        url,
        hide_parameters=True,
        poolclass=sa.pool.QueuePool,
        pool_size=SQLITE_POOL_SIZE,
        connect_args={"check_same_thread": False},
    )

    @sa.event.listens_for(engine, "connect")
    def write_ahead_log(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # SQLite's advice for WAL: a commit survives the process crashing at once, and
        # is synced at the next checkpoint (so only a power cut could lose the last turn).
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        secure_delete(connection)  # a deleted conversation is overwritten, not just unlinked

    return engine


class TunedEngineMixin:
    """Replaces the engine Rasa's SQL store made with :func:`tuned_engine`.

    Its place in the store's class chain: :mod:`bot.rasa_plugins.tracker_store`.
    """

    engine: Any
    sessionmaker: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = tuned_engine(url)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)


def event_row(sender_id: str, event: Any) -> dict[str, Any]:
    """The ``events`` row Rasa's SQL store writes for one event (same columns, same values)."""
    data = event.as_dict()
    intent = (data.get("parse_data") or {}).get("intent") or {}
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": intent.get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class BulkSaveMixin:
    """Writes a turn's new events with one insert instead of one ORM object per event.

    Rasa's ``save`` builds and flushes an ORM object for each event, which cost more than
    the database itself; the rows written are the same. A tracker read before its
    conversation was deleted (:mod:`bot.storage.deletions`) is not written at all: the turn's
    events are dropped and the tracker is marked ``DISCARDED``. Just above the SQL store in
    the store's class chain (:mod:`bot.rasa_plugins.tracker_store`).
    """

    SQLEvent: Any

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Update the database with the events of the tracker that are not stored yet."""
        await self.stream_events(tracker)  # type: ignore[attr-defined]
        seen = getattr(tracker, deletions.SEEN, None)
        with self.session_scope() as session:  # type: ignore[attr-defined]
            events = self._additional_events(session, tracker)  # type: ignore[attr-defined]
            rows = [event_row(tracker.sender_id, event) for event in events]
            if rows:
                if seen is not None:
                    deletions.hold(session, [tracker.sender_id], exclusive=False)
                session.execute(self.SQLEvent.__table__.insert(), rows)
                # Checked after the insert: on SQLite it holds the write lock by now.
                if seen is not None and deletions.deleted_since(session, tracker.sender_id, seen):
                    session.rollback()
                    setattr(tracker, deletions.DISCARDED, True)
                    log.info("a conversation was deleted during its turn; the turn is not kept")
                    return
            session.commit()

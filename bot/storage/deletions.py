"""Deleting a conversation so that it stays deleted, in every Rasa process.

"Delete my conversation" goes to Rasa's channel (``POST /webhooks/rest/forget``, see
:mod:`bot.rasa_plugins.channel`), which deletes under the conversation's turn lock, the lock every
turn takes (Rasa's lock store: in memory in one process, Redis in production). So no
turn is half-way through when the rows go. Three things here make it final anyway:

- **a marker**: deleting writes a row to ``conversation_deletions`` (the conversation id
  hashed, and the time). Each process's tracker cache reuses a tracker only while the
  newest marker is the one it saw when it read the tracker (:mod:`bot.rasa_plugins.tracker_cache`);
- **a refused write**: a turn whose tracker was read before the newest marker (its lock
  expired, or another process answered it) does not store its events
  (:class:`bot.rasa_plugins.sql_engine.BulkSaveMixin`);
- **one writer at a time**: on PostgreSQL a deletion holds an exclusive advisory lock on
  the conversation and a turn's write a shared one, so the marker check and the delete
  cannot interleave; SQLite has a single writer, and the write inserts before it checks.

A deleted SQLite file is then checkpointed (``wal_checkpoint(TRUNCATE)``), with
``secure_delete`` on for every connection (:mod:`bot.storage.sqlite_file`), so the deleted text
does not stay on disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from bot.storage.tracker_tables import CHECKPOINTS, DELETIONS, EVENTS

SEEN = "_deletions_seen"  # on a tracker: the newest marker id when it was read (0: none)
DISCARDED = "_deleted_during_turn"  # on a tracker whose conversation went during its turn
_CHUNK = 100  # conversations per statement (and advisory locks per transaction)


def sender_key(sender_id: str) -> str:
    """The marker's key: a hash, so the marker does not hold the conversation id itself."""
    return hashlib.sha256(sender_id.encode()).hexdigest()


def advisory_key(sender_id: str) -> int:
    """A PostgreSQL advisory lock key (signed 64-bit) for one conversation."""
    digest = hashlib.sha256(b"eysend-conversation\0" + sender_id.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def stamp_query(events: sa.Table = EVENTS) -> Any:
    """(newest event id, newest marker id) of one conversation (``sender``, ``key``)."""
    newest_event = sa.select(sa.func.max(events.c.id)).where(
        events.c.sender_id == sa.bindparam("sender")
    )
    newest_marker = sa.select(sa.func.max(DELETIONS.c.id)).where(
        DELETIONS.c.sender_key == sa.bindparam("key")
    )
    return sa.select(newest_event.scalar_subquery(), newest_marker.scalar_subquery())


def stamp(connection: Any, query: Any, sender_id: str) -> tuple[int | None, int]:
    """Run :func:`stamp_query`: the newest event id (None if none) and marker id (0 if none)."""
    row = connection.execute(query, {"sender": sender_id, "key": sender_key(sender_id)}).first()
    return row[0], int(row[1] or 0)


def hold(connection: Any, sender_ids: Sequence[str], exclusive: bool) -> None:
    """On PostgreSQL, lock the conversations until the transaction ends (no-op elsewhere)."""
    if _dialect(connection) != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    for key in sorted({advisory_key(s) for s in sender_ids}):  # one order: no deadlock
        connection.execute(sa.text(f"SELECT {function}(:key)"), {"key": key})


def _dialect(connection: Any) -> str:
    """The dialect name of a Connection or an ORM Session."""
    dialect = getattr(connection, "dialect", None) or connection.get_bind().dialect
    return str(dialect.name)


def deleted_since(connection: Any, sender_id: str, seen: int) -> bool:
    """True if the conversation was deleted after the marker ``seen`` (0: none seen)."""
    newest = connection.execute(
        sa.select(sa.func.max(DELETIONS.c.id)).where(
            DELETIONS.c.sender_key == sender_key(sender_id)
        )
    ).scalar()
    return int(newest or 0) > seen


def erase(connection: Any, sender_ids: Sequence[str], now: float) -> int:
    """Mark, then delete, every event and checkpoint of the conversations; return events gone.

    Call it inside one transaction on a database that has the three tables.
    """
    removed = 0
    for start in range(0, len(sender_ids), _CHUNK):
        chunk = list(sender_ids[start : start + _CHUNK])
        hold(connection, chunk, exclusive=True)
        connection.execute(
            DELETIONS.insert(), [{"sender_key": sender_key(s), "deleted_at": now} for s in chunk]
        )
        connection.execute(CHECKPOINTS.delete().where(CHECKPOINTS.c.sender_id.in_(chunk)))
        removed += connection.execute(EVENTS.delete().where(EVENTS.c.sender_id.in_(chunk))).rowcount
    return removed


def forget_markers_before(connection: Any, cutoff: float) -> int:
    """Delete markers older than ``cutoff`` (the retention period: no cache lives that long)."""
    return connection.execute(DELETIONS.delete().where(DELETIONS.c.deleted_at < cutoff)).rowcount


def truncate_log(engine: sa.engine.Engine) -> None:
    """After deleting from an SQLite file: copy the write-ahead log back and empty it.

    Until then the log still holds the pages as they were before the delete.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

"""Reading Rasa's SQL tracker store (the ``events`` table), read-only."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bot.storage.conversations import TrackerSource


@dataclass(frozen=True)
class Event:
    """One row of the tracker store."""

    sender: str
    type: str
    timestamp: float
    intent: str | None = None
    action: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """What the user typed or the bot said ('' for other events)."""
        value = self.data.get("text")
        return value if isinstance(value, str) else ""

    @property
    def custom(self) -> dict[str, Any]:
        """The custom payload of a bot message ({} if none)."""
        inner = self.data.get("data")
        custom = inner.get("custom") if isinstance(inner, dict) else None
        return custom if isinstance(custom, dict) else {}


def _parse(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_QUERY = "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events"
_ORDER = " ORDER BY timestamp, id"


def read_events(source: TrackerSource, since: float | None = None) -> list[Event]:
    """Events in time order (only those at or after ``since``); [] if there is no database.

    ``source`` is an SQLite file (opened read-only) or another database's URL
    (see :func:`bot.storage.conversations.tracker_source`).
    """
    if isinstance(source, sa.engine.URL):
        return [_event(row) for row in _server_rows(source, since)]
    path = Path(source)
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        query = _QUERY
        params: tuple[float, ...] = ()
        if since is not None:
            query, params = _QUERY + " WHERE timestamp >= ?", (since,)
        rows = db.execute(query + _ORDER, params).fetchall()
    except sqlite3.DatabaseError:
        return []
    finally:
        db.close()
    return [_event(row) for row in rows]


def _event(row: Any) -> Event:
    sender, type_name, ts, intent, action, data = row
    return Event(sender, type_name, float(ts or 0.0), intent, action, _parse(data))


def _server_rows(url: sa.engine.URL, since: float | None) -> list[Any]:
    engine = sa.create_engine(url, hide_parameters=True)
    query = _QUERY + (" WHERE timestamp >= :since" if since is not None else "") + _ORDER
    try:
        with engine.connect() as db:
            return list(db.execute(sa.text(query), {"since": since}))
    except sa.exc.DBAPIError:  # no events table yet
        return []
    finally:
        engine.dispose()

"""Reading Rasa's SQL tracker store (the ``events`` table), read-only."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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


def read_events(path: Path, since: float | None = None) -> list[Event]:
    """Events in time order (only those at or after ``since``); [] if there is no database."""
    path = Path(path)
    if not path.exists():
        return []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        query = (
            "SELECT sender_id, type_name, timestamp, intent_name, action_name, data FROM events"
        )
        params: tuple[Any, ...] = ()
        if since is not None:
            query += " WHERE timestamp >= ?"
            params = (since,)
        rows = db.execute(query + " ORDER BY timestamp, id", params).fetchall()
    except sqlite3.DatabaseError:
        return []
    finally:
        db.close()
    return [
        Event(sender, type_name, float(ts or 0.0), intent, action, _parse(data))
        for sender, type_name, ts, intent, action, data in rows
    ]

"""SQLite files: one transaction on a small file (feedback, referral drafts), opened and closed,
and the setting every connection to any of our SQLite files gets."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

BUSY_TIMEOUT_SECONDS = 5


def secure_delete(connection: Any) -> None:
    """Overwrite deleted rows with zeros (SQLite otherwise leaves them in free space).

    Set on every connection, since it is a per-connection setting.
    """
    connection.execute("PRAGMA secure_delete=ON")


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success, rolls back on error, and is always closed.

    (``with sqlite3.connect(...)`` alone commits but leaves the connection open.)
    """
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        secure_delete(db)
        with db:
            yield db
    finally:
        db.close()

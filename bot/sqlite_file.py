"""One transaction on a small SQLite file (feedback, referral drafts), opened and closed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 5


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that commits on success, rolls back on error, and is always closed.

    (``with sqlite3.connect(...)`` alone commits but leaves the connection open.)
    """
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        with db:
            yield db
    finally:
        db.close()
